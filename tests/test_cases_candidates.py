"""Narrowing a run's plan (tasks/cases/candidates.py), and planning the openings of subjects without a case on frames
(tasks/cases/fresh_openings.py), leave its events exactly as the plan over everything gives."""
from __future__ import annotations

from itertools import product

import duckdb
import polars as pl
import pytest

from core.settings import CaseSettings
from tasks.cases import event_log, fresh_openings, rules
from tasks.cases.candidates import narrow
from tasks.cases.evaluate import RunContext, plan_events
from tasks.cases.run import plan
from tasks.cases.sources import SOURCE_SCHEMA
from tests.test_cases_rules import TODAY, case, months, source

KINDS = ("BELOW_LINE", "SUDDEN_DROP", "THRESHOLD_BUNCHING", "DATA_ERRORS", "DEPT_DIBAO_NEW")
STATUSES = (*rules.ACTIVE, "dismissed", "closed")


def key_of(kind: str, n: int) -> str:
    """The subject key of the n-th subject (each its own village) for a kind."""
    village = f"430521100{n:03d}"
    return f"{village}0001" if rules.is_household_kind(kind) else f"{village}:202003" if kind == "DATA_ERRORS" else village


def ledger_of_every_state() -> tuple[list[dict], list[dict], dict]:
    """Cases of every kind and state, with and without a source, and subjects without a case: some with several
    sources (given out of order, one detail missing), one source of a data error from before the ledger's year."""
    cases, sources, evidence = [], [], {}
    for n, (kind, status, has_source) in enumerate(product(KINDS, STATUSES, (True, False))):
        key = key_of(kind, n)
        closed = "202002" if status in ("dismissed", "closed") else None
        cases.append(case(status, kind=kind, key=key, opened="201911", closed_period=closed, value=5000.0,
                          case_number=n % 2))
        if has_source:
            sources.append(source(kind=kind, key=key, value=2000.0 + 1000 * (n % 3)))
        if rules.is_household_kind(kind):
            evidence[key] = months({"201912": kind, "202001": "", "202002": "", "202003": ""})
    sources += [source(kind=kind, key=key_of(kind, 90 + i)) for i, kind in enumerate(KINDS)]  # subjects without a case
    for detail in ("预计人均3100元", None, "预计人均2900元"):  # the first in plan_events' order opens: no detail
        sources.append(source(key=key_of("BELOW_LINE", 80), value=1.0, detail=detail))
    sources.append({**source(kind="DATA_ERRORS", key=key_of("DATA_ERRORS", 81)), "subject_period": "201908"})
    sources.append(source(kind="SUDDEN_DROP", key=key_of("BELOW_LINE", 0)))  # before every case's subject, by key
    cases.sort(key=lambda c: c["case_id"])  # as sql/cases/current.sql gives them: one per subject × kind
    assert len({(c["kind"], c["subject_key"]) for c in cases}) == len(cases)
    return cases, sources, evidence


def test_the_narrowed_plan_is_the_full_plan():
    cases, sources, evidence = ledger_of_every_state()
    ctx = RunContext(9, "202003", TODAY, CaseSettings(), departments_checked=True)
    full = plan_events(cases, sources, sources, evidence, ctx)
    kept, found = narrow(pl.DataFrame(cases, infer_schema_length=None), pl.DataFrame(sources, schema=SOURCE_SCHEMA))
    kept, found = kept.to_dicts(), found.to_dicts()
    assert len(kept) < len(cases) and len(found) < len(sources)
    # an unconfirmed household flag's case whose flag is gone closes on no run: not looked at
    assert not [c for c in kept if rules.is_household_kind(c["kind"]) and not c["kind"].startswith("DEPT_")
                and c["status"] in ("open", "assisting")]
    assert {e["event"] for e in full} == {"opened", "closed"}
    assert plan_events(kept, found, found, evidence, ctx) == full


@pytest.mark.parametrize("first_as_of", [None, "201901"])
def test_the_run_plans_on_frames_the_events_of_the_full_plan_in_its_order(first_as_of):
    cases, sources, evidence = ledger_of_every_state()
    ctx = RunContext(9, "202003", TODAY, CaseSettings(), departments_checked=True)
    # the data error of 201908 opens only for a ledger judged since its income year
    openable = [s for s in sources if s["subject_period"] is None or first_as_of]
    full = event_log.planned(plan_events(cases, sources, openable, evidence, ctx))
    with duckdb.connect() as con:
        planned = plan(con, pl.DataFrame(cases, infer_schema_length=None), pl.DataFrame(sources, schema=SOURCE_SCHEMA),
                       evidence, ctx, first_as_of, departments=False)
    fresh = planned.filter(pl.col("previous_case_id").is_null() & (pl.col("event") == "opened"))
    assert fresh.height >= len(KINDS) + 1  # the frames opened the subjects without a case
    assert full.filter(pl.col("subject_key") == key_of("BELOW_LINE", 80))["detail"].to_list() == [None]
    opened_subjects = set(planned.select("kind", "subject_key").iter_rows())
    assert (("DATA_ERRORS", key_of("DATA_ERRORS", 81)) in opened_subjects) == bool(first_as_of)
    assert planned.to_dicts() == full.to_dicts()


def test_ids_hashed_by_duckdb_are_those_of_the_rules():
    keys = ["4305211000010001", "430521100001:202003", "村委会\u4e00\U0001f600", "a|b", ""]
    sources = pl.DataFrame({"kind": ["BELOW_LINE", "DATA_ERRORS", "DEPT_DIBAO_NEW", "X", "BELOW_LINE"],
                            "subject_key": keys})
    with duckdb.connect() as con:
        ids = fresh_openings.case_ids(con, sources, "202010").to_list()
    assert ids == [rules.case_id(k, s, "202010", 0) for k, s in sources.iter_rows()]
