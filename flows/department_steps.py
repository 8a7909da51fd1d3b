"""Prefect tasks of the department cross-checks (部门数据比对): thin wrappers over tasks/departments."""
from __future__ import annotations

from pathlib import Path

import duckdb
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from core import progress
from core.settings import Settings
from tasks.departments import ingest
from tasks.ingest.limits import ReadLimits
from tasks.ingest.read import FileSlot


@task(name="ingest-departments", cache_policy=NO_CACHE)
@progress.reported("departments", lambda c: {"files loaded": c["department_files_loaded"],
                                             "rejected": c["department_files_rejected"], "members": c["members"]})
def ingest_departments(con: duckdb.DuckDBPyConnection, settings: Settings, run_id: int,
                       slots: list[FileSlot]) -> dict:
    """Keep, read, check and load the run's department files (one transaction) and the member roster; returns
    counts of files loaded, rejected and re-read."""
    batch = ingest.ingest_department_files(con, slots, settings.raw_store, run_id,
                                           limits=ReadLimits.from_table(settings.read_limits))
    roster = ingest.load_members(con, settings.reference)
    if roster.refused:
        get_run_logger().warning("reference/members.csv: %s", roster.refused)
    return {"department_files_loaded": sum(f["status"] == "loaded" for f in batch.files),
            "department_files_rejected": sum(f["status"] == "rejected" for f in batch.files),
            "department_files_reread": len(batch.reread_file_ids),
            "members": roster.count()}


@task(name="check-departments", cache_policy=NO_CACHE)
@progress.reported("department-checks", lambda findings: {"findings": sum(findings.values())})
def check_departments(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: str | None) -> dict:
    """Judge the as-of month's department records, store the findings and the measures of their clues, write
    exports/department_checks.csv/.xlsx; returns the findings counted by code."""
    return ingest.check_departments(con, settings.departments, as_of, Path(settings.out) / "exports")
