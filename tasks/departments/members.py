"""The member roster reference/members.csv (optional): household_id,id_number,name,relation, one row per member.

The roster comes from the registry, is edited in Excel and saved again like any list: it is read in UTF-8 or the
GB18030 Excel and WPS save a CSV in. It is a help to matching, not a condition of the night: a roster that cannot be
read (no table, a required column missing) leaves the roster the store holds in place, and its rows in error are
left out of matching; either way the problem is listed in problems.csv under the file name `members.csv`
(table roster_problems), never a failed run."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from core import db
from tasks.ingest.decode import Unreadable, decode_text
from tasks.ingest.reference import holds_rows
from tasks.validate.clean import nfkc
from tasks.validate.id_number import eighteen_digit, id_number_reason, mask_id_text

ROSTER_SCHEMA = {"household_id": pl.Utf8, "id_number": pl.Utf8, "name": pl.Utf8, "relation": pl.Utf8}
# the column names of the registry's own Chinese exports, beside the spec's
HEADER_NAMES = {"户编号": "household_id", "身份证号": "id_number", "身份证号码": "id_number", "证件号码": "id_number",
                "姓名": "name", "与户主关系": "relation", "关系": "relation"}
PROBLEM_SCHEMA = {"source_row": pl.Int64, "household_id": pl.Utf8, "code": pl.Utf8, "level": pl.Utf8,
                  "detail": pl.Utf8}


@dataclass
class Roster:
    """The roster's usable members, its rows' problems, and why the whole file was refused (None: it was read)."""

    members: pl.DataFrame
    problems: list[dict] = field(default_factory=list)
    refused: str | None = None


def read_members(reference_dir: Path) -> Roster:
    """members.csv read and checked (NFKC-normalised like the department files and returns, so full-width digits and
    spaces are ASCII; IDs trimmed, a final x upper-cased, '.0' of a number dropped); empty without it."""
    path = Path(reference_dir) / "members.csv"
    if not path.exists():
        return Roster(pl.DataFrame(schema=ROSTER_SCHEMA))
    try:
        text = decode_text(path.read_bytes())[0]
        table = pl.read_csv(text.encode(), infer_schema=False, truncate_ragged_lines=True)
    except Unreadable as err:
        return refused("FILE_UNREADABLE", str(err))
    except (OSError, pl.exceptions.PolarsError) as err:
        return refused("FILE_UNREADABLE", f"无法读取为CSV表格：{type(err).__name__}")
    table = table.rename({c: HEADER_NAMES.get(c.strip(), c.strip()) for c in table.columns}, strict=False)
    missing = [c for c in ROSTER_SCHEMA if c not in table.columns]
    if missing or len(set(table.columns)) != len(table.columns):
        return refused("FILE_MISSING_COLUMNS", "缺少列：" + "、".join(missing) if missing else "有重名的列")
    table = table.select(nfkc(table.get_column(c)).alias(c) for c in ROSTER_SCHEMA).with_row_index("source_row", 2)
    table = table.select(
        pl.col("source_row").cast(pl.Int64),
        pl.col("household_id").str.replace_all(r"\s", "").replace("", None),
        pl.col("id_number").str.replace_all(r"\s", "").str.replace(r"\.0+$", "").str.to_uppercase().replace("", None),
        pl.col("name").str.strip_chars(), pl.col("relation").str.strip_chars(),
    )
    return Roster(*checked(table))


def refused(code: str, reason: str) -> Roster:
    """A roster that could not be read: no members, one file-level problem."""
    detail = f"成员名单无法使用({reason})，沿用上次读入的名单"
    return Roster(pl.DataFrame(schema=ROSTER_SCHEMA), [problem(None, None, code, "error", detail)], detail)


def problem(row: int | None, household_id: str | None, code: str, level: str, detail: str) -> dict:
    """One roster problem, as roster_problems holds it."""
    return {"source_row": row, "household_id": household_id, "code": code, "level": level, "detail": detail}


def checked(table: pl.DataFrame) -> tuple[pl.DataFrame, list[dict]]:
    """The rows matching can use, and the problems of the others: a row without 户编号 or 身份证号 is left out
    (ROW_MISSING_VALUE); an ID failing GB 11643 is kept as written but listed (ROW_ID_NUMBER: a department record of
    that person cannot be matched until it is corrected); one person listed in two households is listed on each
    row (ROW_DUPLICATE: matching takes the smaller household number, as it must take one)."""
    problems = [problem(r["source_row"], r["household_id"], "ROW_MISSING_VALUE", "error",
                        "缺少" + "、".join(n for c, n in (("household_id", "户编号"), ("id_number", "身份证号"))
                                         if r[c] is None) + "，该行未用于比对")
                for r in table.filter(pl.col("household_id").is_null() | pl.col("id_number").is_null())
                .iter_rows(named=True)]
    usable = table.filter(pl.col("household_id").is_not_null() & pl.col("id_number").is_not_null())
    # a first-generation (15-digit) ID is judged, as it is matched, in its 18-digit form
    judged = usable.with_columns(eighteen_digit("id_number").alias("key")).with_columns(
        id_number_reason("key").alias("reason"), mask_id_text("id_number").alias("shown"))
    problems += [problem(r["source_row"], r["household_id"], "ROW_ID_NUMBER", "warning",
                         f"身份证号{r['shown']}{r['reason']}，无法与部门数据比对")
                 for r in judged.filter(pl.col("reason").is_not_null()).iter_rows(named=True)]
    homes = judged.group_by("key").agg(pl.col("household_id").unique().sort().alias("homes"))
    twice = judged.join(homes.filter(pl.col("homes").list.len() > 1), on="key").sort("source_row")
    problems += [problem(r["source_row"], r["household_id"], "ROW_DUPLICATE", "warning",
                         f"同一身份证号列在{len(r['homes'])}户：{'、'.join(r['homes'])}，比对时按{r['homes'][0]}")
                 for r in twice.iter_rows(named=True)]
    return usable.drop("source_row"), sorted(problems, key=lambda p: (p["source_row"] or 0, p["code"]))


def store_members(con: duckdb.DuckDBPyConnection, roster: Roster) -> None:
    """Replace the stored roster with this one (a roster the store holds already is left as it is; a refused one
    leaves the stored one) and its problems with this reading's, in one transaction."""
    con.register("members", roster.members)
    con.register("member_problems", pl.DataFrame(roster.problems, schema=PROBLEM_SCHEMA))
    try:
        with db.transaction(con):
            if roster.refused is None and not holds_rows(con, "registry_members", roster.members):
                con.execute("DELETE FROM registry_members").fetchall()
                db.run(con, "departments/replace_members")
            if not holds_rows(con, "roster_problems", pl.DataFrame(roster.problems, schema=PROBLEM_SCHEMA)):
                con.execute("DELETE FROM roster_problems").fetchall()
                con.execute("INSERT INTO roster_problems BY NAME SELECT * FROM member_problems").fetchall()
    finally:
        con.unregister("members")
        con.unregister("member_problems")
