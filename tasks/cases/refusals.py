"""The refused checks of imported decision rows: each import's numbered as one check, a row's latest check the
highest numbered."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from core import db
from tasks.cases import refusal_log

# the end of a refused row's reason in a workbook with several sheets of decisions (importer)
SHEET_NAMED = re.compile(r"（工作表“(.+)”）$")


def refusals_of(con: duckdb.DuckDBPyConnection,
                sha: str) -> dict[tuple[str | None, int, str], list[tuple[str, str, tuple]]]:
    """The refused checks recorded for a file's rows (code, reason, and the check: its number, None before checks
    were numbered, and the day of the import that found it), by its sheet (None: the only one with decisions),
    Excel row and case id as written."""
    found: dict[tuple[str | None, int, str], list[tuple[str, str, tuple]]] = {}
    for sheet, row, case_id, code, detail, seq, day in con.execute(
            "SELECT file_sheet, file_row, case_id, code, detail, check_seq, imported_on FROM case_import_refusals "
            "WHERE file_sha256 = ? ORDER BY file_sheet NULLS FIRST, file_row, case_id, rowid", [sha]).fetchall():
        found.setdefault((sheet or sheet_named(detail), row, case_id), []).append((code, detail, (seq, day)))
    return found


def sheet_named(detail: str) -> str | None:
    """The sheet a refusal's reason names (importer: of a workbook with several sheets of decisions), which a
    refusal recorded before file_sheet was kept holds alone."""
    named = SHEET_NAMED.search(detail)
    return named[1] if named else None


def last_check(recorded: list[tuple[str, str, tuple]]) -> tuple[list[tuple[str, str]], tuple[int, int] | None]:
    """The reasons (code, reason) of a row's latest recorded check (the highest numbered; of unnumbered ones, the
    latest import day's) and its (year, month): a check again in that month that finds the same records nothing
    (each import of the same bytes would add them again), one that finds others, or comes in a later month, is
    kept as the row's latest check."""
    order = {check: (check[0] is not None, check[0] or 0, check[1]) for _, _, check in recorded}
    latest = max(order, key=order.__getitem__, default=None)
    return ([(code, detail) for code, detail, check in recorded if check == latest],
            None if latest is None else (latest[1].year, latest[1].month))


def found_again(lines: list[dict], last: tuple[list, tuple[int, int] | None] | None, today: date) -> bool:
    """Whether a row's refusals are the reasons of its latest recorded check (last_check), found in that month."""
    return last is not None and last[1] == (today.year, today.month) and {
        (line["code"], line["detail"]) for line in lines} == set(last[0])


def record_refusals(con: duckdb.DuckDBPyConnection, refusals: list[dict], raw_store: Path | None) -> None:
    """Keep the refusals of one import of a file in case_import_refusals, numbered as one check after every other,
    logged first in the raw store (refusal_log; None: a store in memory, unlogged)."""
    if not refusals:
        return
    check = int(db.scalar(con, "SELECT coalesce(max(check_seq), 0) + 1 FROM case_import_refusals"))
    frame = pl.DataFrame(refusals, schema={c: t for c, t in refusal_log.SCHEMA.items() if c != "check_seq"}).with_columns(
        pl.lit(check, pl.Int64).alias("check_seq"))
    refusal_log.log_refusals(con, raw_store, frame.select(refusal_log.COLUMNS))
    con.register("new_refusals", frame)
    try:
        db.run(con, "cases/insert_refusals")
    finally:
        con.unregister("new_refusals")
