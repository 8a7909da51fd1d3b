"""The reference list of units (admin_units.csv): read, check, and store."""
from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from core import db
from tasks.ingest.decode import Unreadable, decode_text

LEVELS = ("county", "township", "village")


class ReferenceError(Exception):
    """The reference list is missing or unusable: the run cannot go on."""


def read_admin_units(reference_dir: Path) -> pl.DataFrame:
    """admin_units.csv as a frame (code, name, level, parent_code, management_area); UTF-8 as the spec says, or the
    GB18030 Excel and WPS save a CSV in on Chinese Windows (a list edited there is not refused every night)."""
    path = Path(reference_dir) / "admin_units.csv"
    if not path.exists():
        raise ReferenceError(f"reference list not found: {path}")
    try:
        units = pl.read_csv(decode_text(path.read_bytes())[0].encode(), infer_schema=False)
    except (Unreadable, pl.exceptions.PolarsError) as err:
        raise ReferenceError(f"reference list unreadable: {path}: {err}") from err
    units = units.rename({c: c.strip() for c in units.columns})
    missing = {"code", "name", "level", "parent_code", "management_area"} - set(units.columns)
    if missing:
        raise ReferenceError(f"reference list {path} lacks columns: {', '.join(sorted(missing))}")
    units = units.select(
        pl.col("code").str.strip_chars(), pl.col("name").str.strip_chars(),
        pl.col("level").str.strip_chars().str.to_lowercase(),
        pl.col("parent_code").str.strip_chars().replace("", None),
        # 1 marks a management-area county; anything else, an empty cell too (a township's or village's), is 0
        (pl.col("management_area").str.strip_chars() == "1").fill_null(False).alias("management_area"),
    ).filter(pl.col("code").is_not_null())
    for column in ("name", "level"):  # a line cut short: the store refuses it, and a unit without them is no unit
        lacking = units.filter(pl.col(column).fill_null("") == "")
        if lacking.height:
            raise ReferenceError(f"reference list {path}: {lacking['code'][0]} has no {column} (a line cut short?)")
    bad = units.filter(~pl.col("level").is_in(LEVELS))
    if bad.height:
        raise ReferenceError(f"reference list {path}: unknown level {bad['level'][0]!r} for {bad['code'][0]}")
    units = units.unique(maintain_order=True)  # a line written twice is one unit
    twice = units.filter(pl.col("code").is_duplicated())
    if twice.height:  # which of two different lines is right cannot be told: the list must say it once
        raise ReferenceError(f"reference list {path}: code {twice['code'][0]} is listed {twice.height} times "
                             f"with different names, levels or parents")
    if not units.filter(pl.col("level") == "village").height:  # a list saved empty, like a missing one
        raise ReferenceError(f"reference list {path} names no village: every return would be refused as "
                             "FILE_UNKNOWN_VILLAGE")
    return units


def store_admin_units(con: duckdb.DuckDBPyConnection, units: pl.DataFrame) -> None:
    """Replace the stored reference list with this one (a list the store holds already is left as it is)."""
    con.register("units", units)
    try:
        if holds_rows(con, "admin_units", units):
            return
        with db.transaction(con):  # a list the store refuses leaves the stored one, not an empty table
            con.execute("DELETE FROM admin_units").fetchall()
            db.run(con, "load/replace_admin_units")
    finally:
        con.unregister("units")


def holds_rows(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> bool:
    """Whether a stored table holds exactly a frame's rows (its columns of the frame's names), in any order: a
    reference table replaced each run is then left as it is (the city's 49,500 registered members rewritten cost a
    run ~0.1 s, and as much again at the store's close). Compared in Polars: DuckDB's EXCEPT ALL took 0.2 s."""
    columns = frame.columns
    stored = con.sql(f"SELECT {', '.join(quote_name(c) for c in columns)} FROM {quote_name(table)}").pl()
    if stored.height != frame.height:
        return False
    try:
        given = frame.cast(stored.schema)
    except pl.exceptions.PolarsError:  # a value the table's column could not hold: not what it holds
        return False
    return stored.sort(columns, nulls_last=True).equals(given.sort(columns, nulls_last=True))


def quote_name(name: str) -> str:
    """A table or column name as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'
