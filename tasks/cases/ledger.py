"""The ledger in the store: appending events (never changing them) and deriving the cases table from them."""
from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl

from core import db
from core.settings import Settings
from tasks.cases import event_log, judged_month, refusal_log, rules

EVENT_COLUMNS, EVENT_SCHEMA = event_log.COLUMNS, event_log.SCHEMA  # case_events' columns, as logged
# what cases/derive and cases/forget_changed read: the whole ledger, or (scoped) the cases of derive_scope
DERIVE_SOURCES = {
    False: ("CREATE OR REPLACE TEMP VIEW derive_events AS SELECT * FROM case_events",
            "CREATE OR REPLACE TEMP VIEW derive_before AS SELECT * FROM cases"),
    True: ("CREATE OR REPLACE TEMP VIEW derive_events AS SELECT * FROM case_events SEMI JOIN derive_scope USING (case_id)",
           "CREATE OR REPLACE TEMP VIEW derive_before AS SELECT * FROM cases SEMI JOIN derive_scope USING (case_id)")}
DERIVED_DROPPED = ("DROP VIEW derive_events", "DROP VIEW derive_before", "DROP TABLE derived_cases",
                   "DROP TABLE IF EXISTS derive_scope")


def append_events(con: duckdb.DuckDBPyConnection, events: list[dict] | pl.DataFrame, raw_store: Path | None) -> int:
    """Append events (dicts, or a frame of some of case_events' columns) to case_events in the order given (seq
    continues the store's), logged first in the raw store (event_log; None: a store in memory, unlogged); returns
    how many."""
    if not len(events):
        return 0
    first = int(db.scalar(con, "SELECT coalesce(max(seq), 0) + 1 FROM case_events"))
    now = datetime.now()
    frame = event_log.planned(events).with_columns(
        pl.int_range(first, first + len(events), dtype=pl.Int64).alias("seq"),
        pl.lit(now, dtype=EVENT_SCHEMA["recorded_at"]).alias("recorded_at"))
    event_log.log_events(con, raw_store, frame.select(EVENT_COLUMNS))
    con.register("new_case_events", frame)
    try:
        con.execute(f"INSERT INTO case_events ({', '.join(EVENT_COLUMNS)}) "
                    f"SELECT {', '.join(EVENT_COLUMNS)} FROM new_case_events").fetchall()
    finally:
        con.unregister("new_case_events")
    return len(events)


def read_back(con: duckdb.DuckDBPyConnection, settings: Settings, today: date) -> Path | None:
    """Before the ledger is judged: a store meeting its raw store's case log for the first time reads the events back
    (a rebuilt store) and derives its cases from them (event_log.read_back), and the refused import rows
    (refusal_log.read_back); returns the raw store it logs to."""
    raw_store = event_log.raw_store_of(con, settings)
    if event_log.read_back(con, raw_store):
        with db.transaction(con):
            derive_cases(con, settings, ledger_as_of(con, raw_store), today)
    refusal_log.read_back(con, raw_store)  # the refused import rows the county pages list
    return raw_store


def derive_cases(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: str | None, today: date) -> int:
    """Bring the cases table to its state derived from case_events (and case_evidence for removal candidates),
    judged as of today: the cases whose state changed are replaced, the others keep their rows. While the table holds
    the derivation of every earlier event with the same settings (cases_derived), only the cases of the events since
    (and those derive_scope.sql names with them) are derived again, and the others judged as of today: a night's
    update reads its own events, not the ledger's whole history. Returns how many cases were derived."""
    cases = settings.cases
    params = {"verify_days": cases.verify_days, "fix_days": cases.fix_days, "campaign_end": cases.campaign_end,
              "removal_months": cases.removal_months}
    derived_with = hashlib.sha256(repr((sorted(params.items()), db.sql_text("cases/derive"))).encode()).hexdigest()
    last_seq = derived_since(con, derived_with)
    scoped = last_seq is not None
    if scoped:
        db.run(con, "cases/derive_scope", {"last_seq": last_seq})
    for statement in DERIVE_SOURCES[scoped]:
        con.execute(statement).fetchall()
    db.create_empty_temp(con, "cases", "derived_cases")  # not CREATE … AS … LIMIT 0: see create_empty_temp
    db.run(con, "cases/derive", {**params, "as_of": as_of or "000001", "today": today})
    for statement in ("cases/forget_changed", "cases/insert_changed", "cases/judge"):
        db.run(con, statement)
    if scoped:
        db.run(con, "cases/judge_rest", {"today": today})
    derived = int(db.scalar(con, "SELECT count(*) FROM derived_cases"))
    for statement in DERIVED_DROPPED:
        con.execute(statement).fetchall()
    db.run(con, "cases/record_derived", {"derived_with": derived_with})
    return derived


def derived_since(con: duckdb.DuckDBPyConnection, derived_with: str) -> int | None:
    """The last event seq the cases table holds the derivation of, when it was derived with these settings and SQL
    and neither its events up to that seq nor its rows changed since (a store rebuilt, events read back, a case
    changed by hand: derived whole again); else None."""
    recorded = db.rows(con, "cases/derived_now")
    if len(recorded) != 1:
        return None
    recorded_with, events, last_seq, cases, events_now, cases_now = recorded[0]
    return last_seq if (recorded_with, events, cases) == (derived_with, events_now, cases_now) else None


def ledger_as_of(con: duckdb.DuckDBPyConnection, raw_store: Path | None) -> str | None:
    """The as-of month the ledger was last judged for: the latest of its evidence's months and judged_until (a run
    that opened and closed nothing, and kept no month of a household, judged the ledger for its month too: a decision
    imported after it is of that month, and a dismissal holds in that month's income year)."""
    evidence = db.scalar(con, "SELECT max(period) FROM case_evidence")
    return max((p for p in (evidence, judged_until(con, raw_store)) if p), default=None)


def judged_until(con: duckdb.DuckDBPyConnection, raw_store: Path | None) -> str | None:
    """The latest as-of month a run judged the ledger for (every run does, with or without events): of the store's
    completed runs, of the runs' events, and as the raw store records it (judged_month: a rebuilt store's runs table
    starts empty)."""
    stored = db.scalar(con, "SELECT greatest((SELECT max(as_of_period) FROM runs WHERE status = 'completed'), "
                            "(SELECT max(as_of_period) FROM case_events WHERE run_id IS NOT NULL))")
    return max((p for p in (stored, judged_month.read(raw_store)) if p), default=None)


def first_as_of(con: duckdb.DuckDBPyConnection) -> str | None:
    """The first as-of month a run judged the ledger for (None before any run's event)."""
    return db.scalar(con, "SELECT min(as_of_period) FROM case_events WHERE run_id IS NOT NULL")


def cases_named(con: duckdb.DuckDBPyConnection, case_ids: list[str]) -> dict[str, dict]:
    """The current state of the cases with these ids, by id, each with `opened_value`, the value it was opened with
    (a dismissed case carries its dismissal's instead); a closed or dismissed one with `opened_since`, the (case id,
    status) of the latest case opened after it for its subject × kind, and `reopened_as`, that of the one now active
    for it, when there are."""
    cases = {c["case_id"]: c for c in db.frame(con, "cases/by_ids", {"case_ids": case_ids}).to_dicts()}
    for case in cases.values():
        case["opened_value"] = case["evidence_value"]
    if dismissed := [c for c, case in cases.items() if case["status"] == "dismissed"]:
        for case_id, value in db.rows(con, "cases/opened_values", {"case_ids": dismissed}):
            cases[case_id]["opened_value"] = value
    for named, case_id, status in db.rows(con, "cases/reopened_as", {"case_ids": case_ids}):
        cases[named]["opened_since"] = (case_id, status)  # oldest first: the latest stays
        if status in rules.ACTIVE:
            cases[named]["reopened_as"] = (case_id, status)
    return cases
