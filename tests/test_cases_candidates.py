"""Narrowing a run's plan (tasks/cases/candidates.py) leaves its events exactly as the plan over everything gives."""
from __future__ import annotations

from itertools import product

import polars as pl

from core.settings import CaseSettings
from tasks.cases import rules
from tasks.cases.candidates import narrow
from tasks.cases.evaluate import RunContext, plan_events
from tasks.cases.sources import SOURCE_SCHEMA
from tests.test_cases_rules import TODAY, case, months, source

KINDS = ("BELOW_LINE", "SUDDEN_DROP", "THRESHOLD_BUNCHING", "DATA_ERRORS", "DEPT_DIBAO_NEW")
STATUSES = (*rules.ACTIVE, "dismissed", "closed")


def key_of(kind: str, n: int) -> str:
    """The subject key of the n-th subject (each its own village) for a kind."""
    village = f"430521100{n:03d}"
    return f"{village}0001" if rules.is_household_kind(kind) else f"{village}:202003" if kind == "DATA_ERRORS" else village


def test_the_narrowed_plan_is_the_full_plan():
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
    cases.sort(key=lambda c: c["case_id"])  # as sql/cases/current.sql gives them: one per subject × kind
    assert len({(c["kind"], c["subject_key"]) for c in cases}) == len(cases)
    ctx = RunContext(9, "202003", TODAY, CaseSettings(), departments_checked=True)
    full = plan_events(cases, sources, sources, evidence, ctx)
    kept, found = narrow(pl.DataFrame(cases, infer_schema_length=None), pl.DataFrame(sources, schema=SOURCE_SCHEMA))
    assert len(kept) < len(cases) and len(found) < len(sources)
    # an unconfirmed household flag's case whose flag is gone closes on no run: not looked at
    assert not [c for c in kept if rules.is_household_kind(c["kind"]) and not c["kind"].startswith("DEPT_")
                and c["status"] in ("open", "assisting")]
    assert {e["event"] for e in full} == {"opened", "closed"}
    assert plan_events(kept, found, found, evidence, ctx) == full
