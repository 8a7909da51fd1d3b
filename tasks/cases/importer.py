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
from tasks.cases import decisions, ledger, replay, rules
from tasks.cases.evaluate import STATE_FIELDS
from tasks.ingest.discover import read_bounded
from tasks.ingest.limits import LimitExceeded, ReadLimits
from tasks.ingest.xlsx_layout import BadWorkbook, check_every_sheet
from tasks.report.exports import write_csv

PENDING = 1 << 62  # the seq of a decision of this file not yet recorded: after every recorded one
PROBLEM_SCHEMA = {"file": pl.Utf8, "row": pl.Int64, "case_id": pl.Utf8, "code": pl.Utf8, "detail": pl.Utf8}


@dataclass
class ImportResult:
    """What an import did: rows applied (superseded: those losing to a later 核查日期), unchanged, refused, and why."""

    applied: int = 0
    superseded: int = 0
    unchanged: int = 0
    refused: int = 0
    problems: list[dict] = field(default_factory=list)
    unreadable: dict[str, str] = field(default_factory=dict)


def import_workbooks(con: duckdb.DuckDBPyConnection, settings: Settings, paths: list[Path], today: date) -> ImportResult:
    """Import each workbook in turn (in the order given), then write exports/case_import_problems.csv."""
    result = ImportResult()
    for path in paths:
        try:
            import_one(con, settings, Path(path), today, result)
        except decisions.NotACaseWorkbook as err:
            result.unreadable[Path(path).name] = str(err)
            result.problems.append({"file": Path(path).name, "row": None, "case_id": None, "code": "CASE_FILE",
                                    "detail": str(err)})
    write_csv(pl.DataFrame(result.problems, schema=PROBLEM_SCHEMA),
              Path(settings.out) / "exports" / "case_import_problems.csv")
    return result


def import_one(con: duckdb.DuckDBPyConnection, settings: Settings, path: Path, today: date,
               result: ImportResult) -> None:
    """Check every decision row of one workbook and apply the good ones together; the same bytes imported again
    check again, as of this import's today and the ledger now, only the rows refused for those (decisions.rechecked)."""
    data = read_workbook(path, ReadLimits.from_table(settings.read_limits))
    rows = decisions.read_decisions(data)
    sha = hashlib.sha256(data).hexdigest()
    case_ids = sorted({r.case_id for r in rows})
    cases = ledger.cases_named(con, case_ids)
    applied = applied_decisions(con, case_ids)
    # the same file (the same bytes, under any name) imported again: its rows applied then are unchanged; a row
    # refused then for what the file says stays refused for the reasons found then, one refused only as of that
    # import's today or the ledger then (a mistaken --today, a case confirmed since) is checked again
    seen = set(con.execute("SELECT file_row, case_id FROM case_events WHERE file_sha256 = ?", [sha]).fetchall())
    recorded = {key: last_check(found) for key, found in refusals_of(con, sha).items()}
    refused_before = {key: found for key, (found, _) in recorded.items()
                      if not all(decisions.rechecked(code, detail, key[1]) for code, detail in found)}
    as_of = ledger.ledger_as_of(con)
    values = latest_values(con)
    for case in cases.values():  # the labour 风险消除 is checked with, beside the measures the row leaves
        case["labor_count"] = values.get(case["household_id"] or "", (None, None))[1]
    events, refusals = [], {}
    counties = Counter(c["county_code"] for c in cases.values())
    file_county = counties.most_common(1)[0][0] if counties else None  # an unknown id: the workbook's county
    pending: dict[str, list[dict]] = {}  # the events of this file's decisions, by case, until they are recorded
    shown: list[tuple[int, list[dict]]] = []  # the refused rows' lines, put back in the workbook's order below
    windows: dict[str, bool] = {}  # by household: its last removal_months months above the floor (checked_case)
    # a file's decisions are applied in the order of their 核查日期 (at the same date, the workbook's): rows in any
    # order, the later 核查日期 of two on one case wins, as it does across imports
    for position in sorted(range(len(rows)), key=lambda i: (decisions.parse_date(rows[i].decided_on) or date.max, i)):
        row = rows[position]
        case = cases.get(row.case_id)
        decisions.restore_masked(row, case, applied.get(row.case_id, []))
        if (row.row, row.case_id) in seen:
            result.unchanged += 1
            continue
        if (row.row, row.case_id) in refused_before:
            result.refused += 1
            shown.append((position, [{"file": path.name, "row": row.row, "case_id": row.case_id, "code": code,
                                      "detail": detail} for code, detail in refused_before[(row.row, row.case_id)]]))
            continue
        if decisions.repeats(row, case, applied.get(row.case_id, [])):
            result.unchanged += 1
            continue
        history = applied.get(row.case_id, []) + pending.get(row.case_id, [])
        if row.case_id in pending and row.conclusion == rules.REMOVED:
            # the file's earlier rows changed the case: a candidate as cases/derive judges what they left, as if
            # they had come in a file of their own
            case = {**case, "is_removal_candidate": removal_candidate(con, settings, as_of, case, windows)}
        decided = decisions.check(row, checked_case(con, settings, as_of, case, history, row, windows), today)
        if decided is None:
            where = f"（工作表“{row.sheet}”）" if row.sheet else ""
            found = [(code, detail + where) for code, detail in row.refusals]
            result.refused += 1
            shown.append((position, [{"file": path.name, "row": row.row, "case_id": row.case_id, "code": code,
                                      "detail": detail} for code, detail in found]))
            refusals.setdefault((row.row, row.case_id), []).extend(
                {"file_sha256": sha, "file_name": path.name, "file_row": row.row, "case_id": row.case_id,
                 "county_code": case["county_code"] if case else file_county, "code": code, "detail": detail,
                 "imported_on": today} for code, detail in found)
            continue
        made = decision_events(case, decided, values.get(case["household_id"] or "", (None, None))[0], history)
        for event in made:
            event.update(event_on=decided["decided_on"], as_of_period=as_of, file_sha256=sha, file_name=path.name,
                         file_row=row.row)
        events += made
        # a later row of the same case in this file is checked against the state it leaves, and replayed with it
        pending.setdefault(row.case_id, []).append({**made[0], "seq": PENDING + len(events)})
        if made[-1]["event"] != "superseded":
            cases[case["case_id"]] = {**case, **{k: made[-1][k] for k in (*STATE_FIELDS, *replay.CLOSING)}}
        result.applied += 1
        result.superseded += made[0]["event"] == "superseded"
    result.problems += [line for _, lines in sorted(shown, key=lambda found: found[0]) for line in lines]
    # checked again (the same bytes) in the month of its latest recorded check, finding its reasons: nothing to
    # add; in a later month it is recorded again (the county page lists the refusals of its month on)
    changed = [line for key, lines in refusals.items() if not found_again(lines, recorded.get(key), today)
               for line in lines]

    with db.transaction(con):
        ledger.append_events(con, events)
        record_refusals(con, changed)
        ledger.derive_cases(con, settings, as_of, today)


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


def applied_decisions(con: duckdb.DuckDBPyConnection, case_ids: list[str]) -> dict[str, list[dict]]:
    """Every decision applied to these cases (newest first), by case id."""
    found: dict[str, list[dict]] = {}
    for event in db.frame(con, "cases/applied_decisions", {"case_ids": case_ids}).to_dicts():
        found.setdefault(event["case_id"], []).append(event)
    return found


def decision_event(case: dict, decided: dict, value: float | None) -> dict:
    """The event of a decision that passed its checks: the case's state after it, the cells it wrote in detail;
    'superseded' when it is dated before the one in force (the later 核查日期 wins; at the same date, the later import)."""
    loses = case["decided_on"] is not None and decided["decided_on"] < case["decided_on"]
    state = replay.settled(replay.after({k: case[k] for k in (*STATE_FIELDS, *replay.CLOSING)}, decided, value), case)
    return {"case_id": case["case_id"], "event": "superseded" if loses else "decision", **state,
            "detail": replay.written(decided)}


def checked_case(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: str | None, case: dict | None,
                 history: list[dict], row: decisions.Decision, windows: dict[str, bool]) -> dict | None:
    """The case as a row is checked against (decisions.refuse_status): the case now, and beside it `standing`
    (replay.standing) when the row is dated before the decision in force or a person closed the case (and no case
    opened since). The standing state is a removal candidate as cases/derive judges one (assisting, a measure,
    labour or 兜底保障, the household's last removal_months months at or above the floor), asked only for 风险消除,
    once a household (windows)."""
    decided_on = decisions.parse_date(row.decided_on)
    if case is None or decided_on is None:
        return case
    if case["status"] in rules.ACTIVE:
        if case["decided_on"] is None or decided_on >= case["decided_on"]:
            return case
    elif case.get("opened_since") or not rules.closed_by_person(case):
        return case  # refused whatever its date
    state = {**replay.standing(case, history, decided_on), "labor_count": case.get("labor_count"),
             "household_id": case["household_id"]}
    candidate = row.conclusion == rules.REMOVED and removal_candidate(con, settings, as_of, state, windows)
    return {**case, "standing": {**state, "is_removal_candidate": candidate}}


def removal_candidate(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: str | None, state: dict,
                      windows: dict[str, bool]) -> bool:
    """Whether a case in this state is a removal candidate as cases/derive judges one: the ground its decisions give
    (rules.removal_ground) and its household's last removal_months months at or above the floor (once a household)."""
    household = state["household_id"]
    if not (rules.removal_ground(state["status"], rules.split_measures(state["measures"]), state.get("labor_count"))
            and as_of is not None and household is not None):
        return False
    if household not in windows:
        windows[household] = bool(db.rows(con, "cases/months_above", {
            "household_id": household, "as_of": as_of, "removal_months": settings.cases.removal_months})[0][0])
    return windows[household]


def decision_events(case: dict, decided: dict, value: float | None, history: list[dict]) -> list[dict]:
    """The decision's event and, for a superseded one whose case's decisions (history) replayed in 核查日期 order with
    it leave another state (a blank of the later one keeps its measures), a 'replayed' event carrying that state:
    the case ends the same whichever file came first."""
    event = decision_event(case, decided, value)
    if event["event"] == "superseded" and replay.changes(case, state := replay.replayed(case, history, decided, value)):
        return [event, {"case_id": case["case_id"], "event": "replayed", **state}]
    return [event]


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
    order = {check: (check[0] is not None, check[0] or 0, check[1]) for _, _, check in recorded}
    latest = max(order, key=order.__getitem__, default=None)
    return ([(code, detail) for code, detail, check in recorded if check == latest],
            None if latest is None else (latest[1].year, latest[1].month))


def found_again(lines: list[dict], last: tuple[list, tuple[int, int] | None] | None, today: date) -> bool:
    """Whether a row's refusals are the reasons of its latest recorded check (last_check), found in that month."""
    return last is not None and last[1] == (today.year, today.month) and {
        (line["code"], line["detail"]) for line in lines} == set(last[0])


def record_refusals(con: duckdb.DuckDBPyConnection, refusals: list[dict]) -> None:
    """Keep the refusals of one import of a file in case_import_refusals, numbered as one check after every other."""
    if not refusals:
        return
    con.register("new_refusals", pl.DataFrame(refusals, schema={
        "file_sha256": pl.Utf8, "file_name": pl.Utf8, "file_row": pl.Int32, "case_id": pl.Utf8,
        "county_code": pl.Utf8, "code": pl.Utf8, "detail": pl.Utf8, "imported_on": pl.Date}))
    try:
        db.run(con, "cases/insert_refusals")
    finally:
        con.unregister("new_refusals")


def latest_values(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[float | None, int | None]]:
    """Each household's latest projected per-capita (what a dismissal is later compared with) and labour on record."""
    return {household: (value, labour) for household, value, labour in db.rows(con, "cases/latest_values")}
