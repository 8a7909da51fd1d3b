"""The refused checks of imported decision rows: each import's numbered as one check, a row's latest check the
highest numbered; and the rows that wait for a 属实."""
from __future__ import annotations

import json
from datetime import date

import duckdb
import polars as pl

from core import db
from tasks.cases import decisions

CELLS = ("conclusion", "measures", "actor", "decided_on", "note", "sheet")


def written(row: decisions.Decision) -> str:
    """A row's five decision cells and its sheet as written, as its refusals keep them."""
    return json.dumps({name: getattr(row, name) for name in CELLS}, ensure_ascii=False)



def refusals_of(con: duckdb.DuckDBPyConnection, sha: str) -> dict[tuple[int, str], list[tuple[str, str, tuple]]]:
    """The refused checks recorded for a file's rows (code, reason, and the check: its number, None before checks
    were numbered, and the day of the import that found it), by its Excel row and case id as written."""
    found: dict[tuple[int, str], list[tuple[str, str, tuple]]] = {}
    for row, case_id, code, detail, seq, day in con.execute(
            "SELECT file_row, case_id, code, detail, check_seq, imported_on FROM case_import_refusals "
            "WHERE file_sha256 = ? ORDER BY file_row, case_id, rowid", [sha]).fetchall():
        found.setdefault((row, case_id), []).append((code, detail, (seq, day)))
    return found


def last_check(recorded: list[tuple[str, str, tuple]]) -> tuple[list[tuple[str, str]], tuple[int, int] | None]:
    """The reasons (code, reason) of a row's latest recorded check (the highest numbered; of unnumbered ones, the
    latest import day's) and its (year, month): a check again in that month that finds the same records nothing
    (each import of the same bytes would add them again), one that finds others, or comes in a later month, is
    kept as the row's latest check."""
    latest = max((check for _, _, check in recorded), key=check_order, default=None)
    return ([(code, detail) for code, detail, check in recorded if check == latest],
            None if latest is None else (latest[1].year, latest[1].month))


def check_order(check: tuple) -> tuple:
    """A recorded check (its number, its import day) as checks are ordered: numbered after unnumbered, then by
    number, then by day."""
    return check[0] is not None, check[0] or 0, check[1]


def found_again(lines: list[dict], last: tuple[list, tuple[int, int] | None] | None, today: date) -> bool:
    """Whether a row's refusals are the reasons of its latest recorded check (last_check), found in that month."""
    return last is not None and last[1] == (today.year, today.month) and {
        (line["code"], line["detail"]) for line in lines} == set(last[0])


def awaits(reasons: set[tuple[str, str]] | list[tuple[str, str]]) -> bool:
    """Whether a row was refused for want of a 属实 in force alone: it waits for one."""
    return len(reasons) == 1 and all(code == "CASE_STATUS" and detail.startswith(decisions.NEEDS_CONFIRMED)
                                     for code, detail in reasons)


def awaiting(con: duckdb.DuckDBPyConnection, case_ids: list[str], sha: str) -> list[tuple[str, str, decisions.Decision]]:
    """Rows of other files on these cases waiting for a 属实 (awaits, not applied since): (hash, name, row as written)."""
    checks: dict[tuple[str, int, str], list[tuple]] = {}
    for file_sha, name, row, case_id, code, detail, day, seq, cells in db.rows(
            con, "cases/awaiting_refusals", {"case_ids": case_ids, "sha": sha}):
        checks.setdefault((file_sha, row, case_id), []).append((code, detail, (seq, day), name, cells))
    found = []
    for (file_sha, row, case_id), recorded in checks.items():
        reasons, _ = last_check([check[:3] for check in recorded])
        # the latest check's cells (a check without them: recorded before they were kept)
        *_, name, cells = max(recorded, key=lambda check: (check_order(check[2]), bool(check[4])))
        if cells and awaits(reasons):
            found.append((file_sha, name, decisions.Decision(row, case_id, **json.loads(cells))))
    return found


def record_refusals(con: duckdb.DuckDBPyConnection, refusals: list[dict]) -> None:
    """Keep the refusals of one import of a file in case_import_refusals, numbered as one check after every other."""
    if not refusals:
        return
    con.register("new_refusals", pl.DataFrame(refusals, schema={
        "file_sha256": pl.Utf8, "file_name": pl.Utf8, "file_row": pl.Int32, "case_id": pl.Utf8,
        "county_code": pl.Utf8, "code": pl.Utf8, "detail": pl.Utf8, "imported_on": pl.Date, "written": pl.Utf8}))
    try:
        db.run(con, "cases/insert_refusals")
    finally:
        con.unregister("new_refusals")
