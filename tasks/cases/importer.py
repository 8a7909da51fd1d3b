"""`cases import`: apply the good decision rows of filled workbooks, one transaction per file; list the refused."""
from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from core import db
from core.settings import Settings
from tasks.cases import decisions, event_log, ledger, refusal_log, refusals
from tasks.cases.batch import Batch
from tasks.ingest.discover import read_bounded
from tasks.ingest.limits import LimitExceeded, ReadLimits
from tasks.ingest.xlsx_layout import BadWorkbook, check_every_sheet
from tasks.report.exports import write_csv

PROBLEM_SCHEMA = {"file": pl.Utf8, "row": pl.Int64, "case_id": pl.Utf8, "code": pl.Utf8, "detail": pl.Utf8}


@dataclass
class ImportResult:
    """What an import did: rows applied (superseded: those losing to a later 核查日期), unchanged, refused, and why."""

    applied: int = 0
    superseded: int = 0
    unchanged: int = 0
    files_read: int = 0  # the files read as case workbooks (each derived the cases as of the import's today)
    refused: int = 0
    problems: list[dict] = field(default_factory=list)
    unreadable: dict[str, str] = field(default_factory=dict)


def import_workbooks(con: duckdb.DuckDBPyConnection, settings: Settings, paths: list[Path], today: date) -> ImportResult:
    """Import each workbook in turn (in the order given), then write exports/case_import_problems.csv. The store must
    write its raw store's logs (event_log.claim), and reads its ledger back first if it never has."""
    event_log.claim(con, settings)
    raw_store = ledger.read_back(con, settings, today)
    result = ImportResult()
    for path in paths:
        try:
            import_one(con, settings, Path(path), today, result, raw_store)
            result.files_read += 1
        except decisions.NotACaseWorkbook as err:
            result.unreadable[Path(path).name] = str(err)
            result.problems.append({"file": Path(path).name, "row": None, "case_id": None, "code": "CASE_FILE",
                                    "detail": str(err)})
    write_csv(pl.DataFrame(result.problems, schema=PROBLEM_SCHEMA),
              Path(settings.out) / "exports" / "case_import_problems.csv")
    return result


def import_one(con: duckdb.DuckDBPyConnection, settings: Settings, path: Path, today: date,
               result: ImportResult, raw_store: Path | None) -> None:
    """Check every decision row of one workbook and apply the good ones together; the same bytes imported again
    check again, as of this import's today and the ledger now, only the rows refused for those (decisions.rechecked).
    The events go to the raw store's case log first (None: a store in memory)."""
    data = read_workbook(path, ReadLimits.from_table(settings.read_limits))
    rows = decisions.read_decisions(data)
    sha = hashlib.sha256(data).hexdigest()
    case_ids = sorted({r.case_id for r in rows})
    batch = Batch(con, settings, case_ids, today)
    # the same file (the same bytes, under any name) imported again: its rows applied then are unchanged; a row
    # refused then for what the file says stays refused for the reasons found then, one refused only as of that
    # import's today or the ledger then (a mistaken --today, a case confirmed since) is checked again
    seen = set(con.execute("SELECT file_sheet, file_row, case_id FROM case_events WHERE file_sha256 = ?",
                           [sha]).fetchall())
    recorded = {key: refusals.last_check(found) for key, found in refusals.refusals_of(con, sha).items()}
    refused_before = {key: found for key, (found, _) in recorded.items()
                      if not all(decisions.rechecked(code, detail, key[2]) for code, detail in found)}
    refused: dict[tuple[str | None, int, str], list[dict]] = {}
    file_county = workbook_county(con, batch, rows)  # an unknown id's: the workbook's county
    shown: dict[int, list[dict]] = {}  # the refused rows' lines by position, put back in the workbook's order below
    # a file's decisions are applied in the order of their 核查日期 (at the same date, a row writing a 核查结论 before
    # one leaving it blank, which builds on the conclusion in force: the 属实 and the measures of one visit on two
    # rows apply whichever comes first; then the workbook's order): rows in any order, the later 核查日期 of two on one
    # case wins, as it does across imports
    for position in sorted(range(len(rows)), key=lambda i: (decisions.parse_date(rows[i].decided_on) or date.max,
                                                            not rows[i].conclusion, i)):
        row = rows[position]
        case = batch.cases.get(row.case_id)
        decisions.restore_masked(row, case, batch.applied.get(row.case_id, []))
        key = (row.sheet or None, row.row, row.case_id)  # a copied sheet repeats the rows' numbers
        if key in seen:
            result.unchanged += 1
            continue
        if key in refused_before:
            result.refused += 1
            shown[position] = [{"file": path.name, "row": row.row, "case_id": row.case_id, "code": code,
                                "detail": detail} for code, detail in refused_before[key]]
            # kept again in a later month, as a row checked again is: that month's page lists it
            refused[key] = recorded_lines(sha, path, row, case["county_code"] if case else file_county,
                                          refused_before[key], today)
            continue
        # a twin of a row this import applied (the same decision on a copied sheet) repeats it too
        if decisions.repeats(row, case, batch.applied.get(row.case_id, []) + batch.pending.get(row.case_id, [])
                             + batch.replayed.get(row.case_id, [])):
            result.unchanged += 1
            continue
        made = batch.apply(row, sha, path.name)
        if made is None:
            where = f"（工作表“{row.sheet}”）" if row.sheet else ""
            found = [(code, detail + where) for code, detail in row.refusals]
            result.refused += 1
            shown[position] = [{"file": path.name, "row": row.row, "case_id": row.case_id, "code": code,
                                "detail": detail} for code, detail in found]
            refused[key] = recorded_lines(sha, path, row, case["county_code"] if case else file_county, found, today)
            continue
        result.applied += 1
        result.superseded += made["event"] == "superseded"
    result.problems += [line for _, lines in sorted(shown.items()) for line in lines]
    # checked again (the same bytes) in the month of its latest recorded check, finding its reasons: nothing to
    # add; in a later month it is recorded again (the county page lists the refusals of its month on)
    changed = [line for key, lines in refused.items() if not refusals.found_again(lines, recorded.get(key), today)
               for line in lines]

    with db.transaction(con):
        ledger.append_events(con, batch.events, raw_store)
        refusals.record_refusals(con, changed, raw_store)
        ledger.derive_cases(con, settings, batch.as_of, today)
    event_log.settle(con, raw_store)  # committed: a rebuild reads back the lines a commit marker covers
    refusal_log.settle(con, raw_store)


def workbook_county(con: duckdb.DuckDBPyConnection, batch: Batch, rows: list[decisions.Decision]) -> str | None:
    """The county most of the workbook's known cases belong to; with none known (every 台账编号 mistyped), the one
    most of its 户编号 name, among the reference's counties: the county page its refusals are listed on."""
    counties = Counter(c["county_code"] for c in batch.cases.values())
    if not counties:
        known = {code for (code,) in con.execute("SELECT code FROM admin_units WHERE level = 'county'").fetchall()}
        counties = Counter(county for row in rows if (county := (row.shown.get("户编号") or "")[:6]) in known)
    return counties.most_common(1)[0][0] if counties else None


def recorded_lines(sha: str, path: Path, row: decisions.Decision, county: str | None, found: list[tuple[str, str]],
                   today: date) -> list[dict]:
    """A refused row's checks (code, reason) as case_import_refusals keeps them."""
    return [{"file_sha256": sha, "file_name": path.name, "file_sheet": row.sheet or None, "file_row": row.row,
             "case_id": row.case_id, "county_code": county, "code": code, "detail": detail, "imported_on": today}
            for code, detail in found]


def read_workbook(path: Path, limits: ReadLimits) -> bytes:
    """A workbook's bytes, once its size, unpacked size and every sheet's used range are within the [ingest]
    limits the villages' files are read under (a 5 KB file can claim a sheet of 17 billion cells)."""
    try:
        data = read_bounded(path.resolve(), limits)  # a path given on the command line may be a link
        if data.startswith(decisions.ZIP_MAGIC):  # anything else is refused by read_decisions, with its reason
            check_every_sheet(data, limits, limits.deadline())
    except LimitExceeded as err:
        raise decisions.NotACaseWorkbook(str(err)) from err
    except BadWorkbook as err:
        raise decisions.NotACaseWorkbook(f"Excel文件已损坏或不完整: {err}") from err
    except OSError as err:
        raise decisions.NotACaseWorkbook(f"无法读取文件: {err.strerror or err}") from err
    return data
