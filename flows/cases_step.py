"""The nightly flow's step on the case ledger (tasks/cases): judge the as-of month, rewrite exports/cases.csv."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
from prefect import task
from prefect.cache_policies import NO_CACHE

from core import progress
from core.settings import Settings
from tasks.cases.run import update_ledger, write_cases_csv
from tasks.departments.ingest import case_findings


@task(name="update-cases", cache_policy=NO_CACHE)
@progress.reported("cases", lambda c: {"opened": c["opened"], "closed": c["closed"]})
def update_cases(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: str | None, today: date,
                 run_id: int) -> dict:
    """Open and close cases for the as-of month as of today (one transaction), from the flags, village signals,
    data errors and department findings (DEPT_<EVENT>), then write exports/cases.csv; returns how many opened
    and closed, and the CSV's path."""
    findings = case_findings(con) if as_of else None  # the department step judged the as-of month just before
    counts = update_ledger(con, settings, as_of, today, run_id, findings)
    return {**counts, "csv": write_cases_csv(con, Path(settings.out) / "exports", as_of)}
