"""A run's work on the ledger: judge every source of the as-of month, append the events, derive the cases."""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from core import db
from core.income_year import income_year_month, period_of
from core.settings import Settings
from tasks.cases import candidates, evaluate, event_log, fresh_openings, judged, judged_month, ledger, rules, sources
from tasks.report.exports import write_csv


def update_ledger(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: str | None, today: date,
                  run_id: int | None, findings: pl.DataFrame | None = None) -> dict[str, int]:
    """Open and close cases for the run's as-of month (findings: department findings, see
    sources.department_sources), in one transaction, unless the last update read the same and left the ledger as
    it is (judged.py); returns how many opened and closed. A store rebuilt reads its ledger back from the raw store first."""
    raw_store = ledger.read_back(con, settings, today)
    if not as_of or not (db.has_table(con, "household_status") and db.has_table(con, "village_signals")):
        return {"opened": 0, "closed": 0}
    inputs = judged.inputs_digest(con, settings, as_of, today, findings)
    if judged.updated_already(con, inputs):
        judged_month.record(raw_store, as_of)  # judged for it already (perhaps before the raw store kept the month)
        return {"opened": 0, "closed": 0}
    ctx = evaluate.RunContext(run_id, as_of, today, settings.cases, departments_checked=findings is not None,
                              judged_until=ledger.judged_until(con, raw_store),
                              listed_villages=frozenset(code for (code,) in db.rows(con, "cases/listed_villages"))
                              or None)  # a store given no list yet (a test's) judges every case

    with db.transaction(con):
        collect_evidence(con, settings, as_of)
        found = sources.run_sources(con, as_of, settings.cases.open_on)
        if findings is not None:
            found = pl.concat([found, sources.department_sources(findings)])
        evidence: dict[str, list[dict]] = {}
        for row in db.frame(con, "cases/evidence_of").to_dicts():
            evidence.setdefault(row["household_id"], []).append(row)
        events = plan(con, db.frame(con, "cases/current"), found, evidence, ctx, ledger.first_as_of(con),
                      departments=findings is not None)
        ledger.append_events(con, events, raw_store)
        ledger.derive_cases(con, settings, as_of, today)
        opened = events.filter(pl.col("event") == "opened")
        if opened.filter(pl.col("kind").str.starts_with("DEPT_")).height:
            # the households of department cases opened now (no flag of theirs brought them in above): their
            # months now, not at the next run, so a night with nothing new changes nothing
            collect_evidence(con, settings, as_of)
    event_log.settle(con, raw_store)  # committed: a rebuild reads back the events a commit marker covers
    judged_month.record(raw_store, as_of)
    judged.remember_update(con, inputs)  # the update only writes the ledger: what it read is as it was
    return {"opened": opened.height, "closed": events.filter(pl.col("event") == "closed").height}


def plan(con: duckdb.DuckDBPyConnection, current: pl.DataFrame, found: pl.DataFrame, evidence: dict[str, list[dict]],
         ctx: evaluate.RunContext, first_as_of: str | None, departments: bool) -> pl.DataFrame:
    """The run's events for the latest case of every subject × kind (current) and every source found, as
    evaluate.plan_events gives them and in its order: the subjects with a case the run may act on judged case by case,
    those with none opened on frames (fresh_openings). With departments (department findings given), an open DEPT
    case without a finding whose record is still there stays open (department_records)."""
    kept, found = candidates.narrow(current, found)
    cases, kept_keys = kept.to_dicts(), candidates.subject(kept)
    fresh, openable = fresh_openings.split(sources.opening_sources(found, ctx.as_of, first_as_of), kept_keys)
    # the sources of subjects with a case: whether a case's source is still there (no other subject's source is)
    found_rows = found.filter(candidates.subject(found).is_in(kept_keys.unique())).to_dicts()
    if departments:
        ctx = replace(ctx, department_records=department_records(con, cases, found_rows, ctx.as_of))
    return fresh_openings.in_order(evaluate.plan_events(cases, found_rows, openable.to_dicts(), evidence, ctx),
                                   fresh_openings.fresh_events(con, fresh, ctx))


def collect_evidence(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: str) -> None:
    """Keep in case_evidence the months of the income year of every household with a case or a flag that opens
    one (what closing and risk removal are judged on), where they changed; and for a household of a case, the
    previous year's months within the removal window it has none of (evidence_backfill.sql). A month of the income
    year a correction took the household out of is forgotten."""
    year = rules.income_year(as_of)
    near_line = settings.policy_for(year)["near_line_factor"]
    db.create_empty_temp(con, "case_evidence", "case_evidence_changes")  # not CREATE … AS: see create_empty_temp
    db.run(con, "cases/evidence_changes", {"period": as_of, "open_on": list(settings.cases.open_on),
                                           "near_line_factor": near_line})
    # the months before the income year a case has none of: within the window only in its first months
    if db.has_table(con, "projection_backtest") and income_year_month(as_of)[1] < settings.cases.removal_months:
        db.run(con, "cases/evidence_backfill", {"period": as_of, "removal_months": settings.cases.removal_months,
                                                "previous_near_line_factor": settings.policy_for(year - 1)["near_line_factor"]})
    db.run(con, "cases/forget_changed_evidence")
    db.run(con, "cases/forget_vanished_evidence", {"period": as_of})
    db.run(con, "cases/insert_evidence")


def department_records(con: duckdb.DuckDBPyConnection, cases: list[dict], found: list[dict],
                       as_of: str) -> frozenset:
    """(kind, household) of the open DEPT cases without a finding this run one of whose records is still in the
    current department files of the case's income year: a record of its event dated as its detail quotes (any, for a
    detail quoting no date: MEDICAL_OOP's yearly amount). Those stay open (evaluate.close_reason); another record of
    the event (a tractor beside the withdrawn car) does not keep a case whose own record was withdrawn."""
    present = {(f["kind"], f["subject_key"]) for f in found}
    waiting = [c for c in cases if c["kind"].startswith("DEPT_") and c["status"] == "open"
               and (c["kind"], c["subject_key"]) not in present]
    if not waiting:
        return frozenset()
    first = period_of(min(rules.income_year(c["opened_period"]) for c in waiting), 1)
    records: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for kind, household, period, day in db.rows(con, "cases/department_records", {
            "household_ids": sorted({c["subject_key"] for c in waiting}), "first_period": first, "as_of": as_of}):
        records.setdefault((kind, household), []).append((rules.income_year(period), day))
    kept = set()
    for case in waiting:
        key, year = (case["kind"], case["subject_key"]), rules.income_year(case["opened_period"])
        days = {day for day, _ in rules.department_records(case["detail"]) if day}
        if any(y == year and (not days or day in days) for y, day in records.get(key, [])):
            kept.add(key)
    return frozenset(kept)


def judge_as_of(con: duckdb.DuckDBPyConnection, settings: Settings, today: date) -> None:
    """Derive the cases table again as of today (overdue days), for a command that shows the ledger."""
    with db.transaction(con):
        ledger.derive_cases(con, settings, ledger.ledger_as_of(con, event_log.raw_store_of(con, settings)), today)


def write_cases_csv(con: duckdb.DuckDBPyConnection, exports_dir: Path, as_of: str | None = None,
                    raw_store: Path | None = None) -> Path:
    """Write exports/cases.csv (overdue days as of the cases table's today), for the income year of as_of (a run's),
    else of the ledger's as-of month (of a store whose ledger is logged in raw_store, as its raw store records it)."""
    # a run as of a month of an earlier income year than the ledger's latest describes that month's year
    as_of = as_of or ledger.ledger_as_of(con, raw_store)
    frame = db.frame(con, "cases/export_csv", {"income_year": rules.income_year(as_of) if as_of else 0})
    return write_csv(frame, Path(exports_dir) / "cases.csv")


def ledger_digests(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Each county's cases as a digest (sql/cases/county_digests.sql): which county pages a ledger update changed."""
    return dict(db.rows(con, "cases/county_digests"))


def changed_counties(before: dict[str, str], after: dict[str, str]) -> set[str]:
    """The counties whose cases differ between two ledger_digests."""
    return {county for county in before.keys() | after.keys() if before.get(county) != after.get(county)}
