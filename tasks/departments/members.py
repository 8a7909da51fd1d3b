"""The member roster reference/members.csv (optional): household_id,id_number,name,relation, one row per member."""
from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from core import db
from tasks.ingest.reference import ReferenceError, holds_rows
from tasks.validate.clean import nfkc

ROSTER_SCHEMA = {"household_id": pl.Utf8, "id_number": pl.Utf8, "name": pl.Utf8, "relation": pl.Utf8}


def read_members(reference_dir: Path) -> pl.DataFrame:
    """members.csv as a frame (NFKC-normalised like the department files and returns, so full-width digits and
    spaces are ASCII; IDs trimmed, a final x upper-cased, '.0' of a number dropped); empty without it."""
    path = Path(reference_dir) / "members.csv"
    if not path.exists():
        return pl.DataFrame(schema=ROSTER_SCHEMA)
    try:
        roster = pl.read_csv(path.read_bytes().decode("utf-8-sig").encode(), infer_schema=False)
    except (UnicodeDecodeError, pl.exceptions.PolarsError) as err:
        raise ReferenceError(f"member roster unreadable: {path}: {err}") from err
    roster = roster.rename({c: c.strip() for c in roster.columns})
    missing = set(ROSTER_SCHEMA) - set(roster.columns)
    if missing:
        raise ReferenceError(f"member roster {path} lacks columns: {', '.join(sorted(missing))}")
    roster = roster.with_columns(nfkc(roster.get_column(c)) for c in ROSTER_SCHEMA)
    return roster.select(
        pl.col("household_id").str.replace_all(r"\s", ""),
        pl.col("id_number").str.replace_all(r"\s", "").str.replace(r"\.0+$", "").str.to_uppercase(),
        pl.col("name").str.strip_chars(), pl.col("relation").str.strip_chars(),
    ).filter(pl.col("household_id").is_not_null() & pl.col("id_number").is_not_null())


def store_members(con: duckdb.DuckDBPyConnection, roster: pl.DataFrame) -> None:
    """Replace the stored roster with this one (a roster the store holds already is left as it is)."""
    con.register("members", roster)
    try:
        if holds_rows(con, "registry_members", roster):
            return
        con.execute("DELETE FROM registry_members").fetchall()
        db.run(con, "departments/replace_members")
    finally:
        con.unregister("members")
