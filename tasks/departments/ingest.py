"""Department files of a run: plan which to read (new ones, and those a rerun's scope re-reads), read, check and
load them in one transaction; then the as-of month's findings."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from core import db
from core.clock import NO_LATER_MONTH
from tasks.departments import judged
from tasks.departments.exports import write_department_checks
from tasks.departments.findings import Rules
from tasks.departments.members import (ROSTER_SCHEMA, Roster, kept_roster, read_members, roster_bytes, roster_stamp,
                                       store_members)
from tasks.departments.read import DepartmentBatch, read_department_files
from tasks.ingest.limits import DEFAULT_LIMITS, ReadLimits
from tasks.departments.rows import check_rows
from tasks.departments.store import find_department_findings, load_department_batch, store_findings
from tasks.ingest.batch import plan_reads
from tasks.ingest.discover import Delivery
from tasks.ingest.read import FileSlot


def plan_department_reads(con: duckdb.DuckDBPyConnection, deliveries: list[Delivery], reread: Callable[[str], bool],
                          run_id: int, now: datetime, latest_period: str = NO_LATER_MONTH) -> list[FileSlot]:
    """One slot per department file (hash × name) to read: every unseen one, and the known ones `reread` selects;
    latest_period: the run's month (a file named for a later one is listed)."""
    known = {(sha, name): (fid, rid, at) for sha, name, fid, rid, at in db.rows(con, "departments/known_files")}
    first_id = int(db.rows(con, "departments/next_file_id")[0][0])
    return plan_reads(deliveries, known, reread, run_id, first_id, now, latest_period)


def ingest_department_files(con: duckdb.DuckDBPyConnection, slots: list[FileSlot], raw_store: Path,
                            run_id: int, with_gx: bool = True, limits: ReadLimits = DEFAULT_LIMITS) -> DepartmentBatch:
    """Keep, read and check the department files of the slots under the [ingest] limits, and load them (files,
    rows with errors quarantined, problems) in one transaction; returns the batch's file records."""
    batch = read_department_files(slots, raw_store, limits)
    rows, problems, results = check_rows(batch.raw_frame(), with_gx)
    load_department_batch(con, run_id, batch, rows, problems, results)
    batch.raw = []
    return batch


def load_members(con: duckdb.DuckDBPyConnection, reference_dir: Path) -> Roster:
    """Read reference/members.csv (when present) into registry_members and its problems into roster_problems;
    returns what was read. The same bytes read by the same code as last time are not read again (kept_roster)."""
    readable, data = roster_bytes(reference_dir)
    stamp = roster_stamp(data) if readable else None  # of the very bytes read below (None: read it next run too)
    kept = kept_roster(con, stamp) if stamp else None
    if kept is not None:
        return kept
    if readable and data is None:  # no roster: none stored
        roster = Roster(pl.DataFrame(schema=ROSTER_SCHEMA))
    else:
        roster = read_members(reference_dir, data)
    store_members(con, roster, stamp)
    return roster


def check_departments(con: duckdb.DuckDBPyConnection, departments: dict, as_of: str | None,
                      exports_dir: Path) -> dict:
    """Judge the as-of month's department records, store the findings (and the measures their clues add), and
    write exports/department_checks.csv and .xlsx; returns the findings counted by code. Findings judged from the
    same inputs are kept as they are (judged.py)."""
    if as_of:
        digest = judged.inputs_digest(con, departments, as_of)
        if not judged.judged_already(con, digest):
            judge_departments(con, departments, as_of)
            judged.remember_judged(con, digest)
    write_department_checks(con, exports_dir)
    counts = db.rows(con, "departments/finding_counts")
    return {finding: count for finding, count in counts}


def judge_departments(con: duckdb.DuckDBPyConnection, departments: dict, as_of: str) -> None:
    """Judge the as-of month's department records and store the findings with the measures their clues add to
    household_status (after the flag step, as the nightly flow runs it)."""
    store_findings(con, find_department_findings(con, Rules(**departments), as_of), as_of)


def case_findings(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The stored CLUE, MISMATCH and ASSET findings, one row per finding: what the case ledger opens DEPT_<EVENT>
    cases on (household_id, event, event_date, amount, finding, detail...)."""
    return db.frame(con, "departments/case_findings")
