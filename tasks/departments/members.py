"""The member roster reference/members.csv (optional): household_id,id_number,name,relation, one row per member.

The roster comes from the registry, is edited in Excel and saved again like any list: it is read in UTF-8 or the
GB18030 Excel and WPS save a CSV in. It is a help to matching, not a condition of the night: a roster that cannot be
read (no table, a required column missing) leaves the roster the store holds in place, and its rows in error are
left out of matching; either way the problem is listed in problems.csv under the file name `members.csv`
(table roster_problems), never a failed run."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from core import db
from core.project import PROJECT_DIR
from tasks.ingest.decode import Unreadable, decode_text
from tasks.ingest.reference import holds_rows
from tasks.report.freshness import code_digest
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
    kept: int | None = None  # members stored already (the roster was not read again: kept_roster), else None

    def count(self) -> int:
        """How many members the store holds from this roster."""
        return self.members.height if self.kept is None else self.kept


# the code that makes the stored roster from the file's bytes (with the decoding, cleaning and ID checks it calls): a
# new version of it reads the file again, as a new Polars, which parses it, does
READING_CODE = tuple(PROJECT_DIR / "tasks" / folder for folder in ("departments", "ingest", "validate"))


def roster_bytes(reference_dir: Path) -> tuple[bool, bytes | None]:
    """Whether members.csv could be looked at now, and its bytes (None: there is none)."""
    path = Path(reference_dir) / "members.csv"
    try:
        return True, (path.read_bytes() if path.exists() else None)
    except OSError:  # read_members says why
        return False, None


def roster_stamp(data: bytes | None) -> str:
    """A digest of members.csv's bytes (None: of its absence) and of the code reading them."""
    found = "absent" if data is None else hashlib.sha256(data).hexdigest()
    return f"{found}:{pl.__version__}:{code_digest(READING_CODE)}"


def kept_roster(con: duckdb.DuckDBPyConnection, stamp: str) -> Roster | None:
    """The roster the store holds, when it was made from this stamp's bytes and code (the file is then not read
    again: ~0.2 s of every city run, its 49,500 members), else None. Its refusal, if the file was refused, is its
    file-level problem (the only roster problem without a row)."""
    if db.scalar(con, "SELECT max(stamp) FROM roster_read") != stamp:
        return None
    refused = db.scalar(con, "SELECT min(detail) FROM roster_problems WHERE source_row IS NULL")
    # a refused roster read no member (the stored ones are an earlier roster's), as when it was read
    kept = 0 if refused else int(db.scalar(con, "SELECT count(*) FROM registry_members"))
    return Roster(pl.DataFrame(schema=ROSTER_SCHEMA), refused=refused, kept=kept)


def read_members(reference_dir: Path, data: bytes | None = None) -> Roster:
    """members.csv read and checked (NFKC-normalised like the department files and returns, so full-width digits and
    spaces are ASCII; IDs trimmed, a final x upper-cased, '.0' of a number dropped); empty without it. data: its
    bytes, read already."""
    path = Path(reference_dir) / "members.csv"
    if data is None and not path.exists():
        return Roster(pl.DataFrame(schema=ROSTER_SCHEMA))
    try:
        text = decode_text(path.read_bytes() if data is None else data)[0]
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


def store_members(con: duckdb.DuckDBPyConnection, roster: Roster, stamp: str | None = None) -> None:
    """Replace the stored roster with this one (a roster the store holds already is left as it is; a refused one
    leaves the stored one) and its problems with this reading's, with the stamp of what was read (roster_stamp), in
    one transaction."""
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
            con.execute("DELETE FROM roster_read").fetchall()
            if stamp is not None:
                con.execute("INSERT INTO roster_read VALUES (?)", [stamp]).fetchall()
    finally:
        con.unregister("members")
        con.unregister("member_problems")
