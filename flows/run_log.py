"""The runs table: opening and closing a run, and deciding its as-of month."""
from __future__ import annotations

from dataclasses import asdict
from datetime import date

import duckdb

from core import db
from core.clock import run_month
from core.interrupts import interrupted
from flows.results import RunSummary

RUN_COUNTS = ("as_of", "files_seen", "files_new", "files_loaded", "files_rejected")  # the runs table's columns


def start_run(con: duckdb.DuckDBPyConnection, kind: str, scope: str | None, pid: int) -> int:
    """Record a new run as running (closing any run a crash left open); returns its id."""
    db.run(con, "runs/close_interrupted_runs")
    return int(db.rows(con, "runs/start_run", {"kind": kind, "scope": scope, "pid": pid})[0][0])


def failed_status(err: BaseException) -> str:
    """How a run that raised err is recorded: 'interrupted' for Ctrl-C met inside a DuckDB query (which DuckDB
    reports as an error, not a KeyboardInterrupt), else 'failed'."""
    return "interrupted" if interrupted(err) else "failed"


def finish_run(con: duckdb.DuckDBPyConnection, run_id: int, status: str, summary: RunSummary | None,
               message: str | None = None) -> None:
    """Record a run's outcome and counts (a failed run has no summary, only its message)."""
    counts = asdict(summary) if summary else {}
    db.run(con, "runs/finish_run", {"run_id": run_id, "status": status, "message": message,
                                    **{name: counts.get(name) for name in RUN_COUNTS}})


def resolve_as_of(con: duckdb.DuckDBPyConnection, as_of: str | None, today: date | None = None) -> str | None:
    """The as-of month: the one asked for, else the latest month up to the run's (today's) that any usable return
    was received for (a file named for a later month would otherwise hold every night after it). A current return
    whose every row is in error is no usable return (MISSING_RETURN): it would move the city to a month of none."""
    if as_of:
        return as_of
    return db.scalar(con, "SELECT max(period) FROM current_files WHERE rows_used > 0 AND period <= ?",
                     [run_month(today)])
