"""The nightly flow: discover, read and check, load, project, flag, publish — read top to bottom."""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
from prefect import flow, get_run_logger
from prefect.task_runners import TaskRunner
from prefect.utilities.annotations import quote

from core import db, progress
from core.clock import resolve_today, run_month
from core.lock import hold_store
from core.settings import Settings, deployed_settings
from flows import department_steps, discover_step, steps
from flows.cases_step import update_cases
from flows.publish import publish
from flows.flow_options import results_in_memory
from flows.results import Discovery, LoadCounts, RunSummary
from flows.run_log import failed_status, finish_run, resolve_as_of, start_run
from flows.scale_out import county_runner, shed_worker_memory
from tasks.cases.run import changed_counties, ledger_digests
from tasks.departments.events import DEPARTMENTS
from tasks.ingest.batch import ReadingWorkers
from tasks.ingest.department_names import is_department_file
from tasks.ingest import limit_changes
from tasks.ingest.discover import parse_return_name
from tasks.ingest.inbox_scan import walked_ahead
from flows.step_log import StepLog
from tasks.ingest.scope import Scope, check_month


@flow(name="povmon-nightly", log_prints=False, validate_parameters=False, **results_in_memory())
def nightly(settings: Settings | None = None, settings_file: str | None = None, as_of: str | None = None,
            today: str | None = None, wait: bool = False) -> RunSummary:
    """Ingest what is new in the inbox, check it, load it, and publish; returns what the run did.

    The command line hands over the settings object it loaded; a deployment names its settings file
    instead, and this flow, its entry point, loads it once."""
    settings = settings or deployed_settings(settings_file)
    return run_in_store(settings, as_of, resolve_today(today), Scope(), wait)


def run_in_store(settings: Settings, as_of: str | None, today: date, scope: Scope, wait: bool) -> RunSummary:
    """Hold the store (and the Dask cluster, when scaled out) for one run of the pipeline."""
    if as_of:
        check_month(as_of, "--as-of", today)
    # the inbox walked while the store opens (unless the command line walks it already, while Prefect's server boots)
    with (hold_store(settings.db, wait=wait), walked_ahead(settings.inbox, settings.settle_seconds),
          county_runner(settings) as runner, progress.reporting(StepLog())):
        return run_pipeline(settings, as_of, today, scope, runner, wait)


def run_pipeline(settings: Settings, as_of: str | None, today: date, scope: Scope,
                 runner: TaskRunner | None = None, wait: bool = False) -> RunSummary:
    """The steps of a run on the store; a rerun is the same steps with a narrower scope. With a runner (a
    Dask cluster), each county's row checks and page run as tasks on it; the store stays in this process. wait:
    another program holding the DuckDB file is waited out (else the run ends busy after three tries)."""
    con = steps.open_store(settings, wait)
    run_id = start_run(con, "rerun" if scope.is_rerun else "run", scope.label(), os.getpid())
    artifacts = None
    try:
        units = steps.load_reference(con, settings)
        scope.check_known(units, DEPARTMENTS)
        with ReadingWorkers() as workers:  # started while discovery runs when many files came; gone before the marts
            found = discover_step.discover_files(con, settings, run_id, scope, today, quote(workers))
            loaded = load_inbox(con, settings, run_id, found, units, runner, workers)
        # FILE_PERIOD_AHEAD of the files whose month has come goes, as a store rebuilt now would not have it
        db.run(con, "load/expire_period_ahead", {"run_month": run_month(today)})
        db.run(con, "departments/expire_period_ahead", {"run_month": run_month(today)})
        if found.slots:  # each batch with rows stopped them after its checks; a run whose files had none did not
            shed_worker_memory(runner, settings)
        files_seen, files_found, files_arriving = found.listed, len(found.slots), len(found.arriving)
        department_slots = found.department_slots
        found.release()  # the inbox's listing is not held beside the marts
        departments = department_steps.ingest_departments(con, settings, run_id, department_slots)
        if not scope.is_rerun:  # the files refused for a read limit were read under these limits (a rerun's not)
            limit_changes.record_limits(con, settings)
        period = resolve_as_of(con, as_of, today)
        scope = pages_touched(con, scope, period)
        db.trim_heap()  # the batches' freed frames: before the marts' queries fill DuckDB's cache
        # the files' stamps the marts were keyed on: the same for the flags and figures (nothing loads in between)
        stamps = steps.project_incomes(con, settings, scope).stamps
        flagged = steps.flag_households(con, settings, period, quote(stamps))
        steps.record_figures(con, settings, period, quote(stamps))
        # the marts' cached pages given back: the checks, the ledger, exports and pages work in Python on top
        db.release_cache(con, settings.memory_limit)
        findings = department_steps.check_departments(con, settings, period)
        judged = ledger_digests(con) if scope.is_rerun else {}
        cases = update_cases(con, settings, period, today, run_id)
        scope = pages_judged(con, scope, judged)
        db.release_cache(con, settings.memory_limit)  # exports and pages are built in Python from query results
        exports, report, artifacts = publish(con, settings, period, run_id, scope, runner, today)
        exports["cases"] = cases["csv"]
        summary = RunSummary(
            run_id=run_id, as_of=period, scope=scope.label(), files_seen=files_seen,
            files_new=files_found - loaded.files_reread, files_reread=loaded.files_reread,
            files_loaded=loaded.files_loaded, files_rejected=loaded.files_rejected,
            files_arriving=files_arriving, rows_loaded=loaded.rows_loaded,
            households_flagged=flagged.flagged, village_signals=flagged.signals,
            db=str(Path(settings.db).resolve()), report=str(report.resolve()),
            exports={name: str(path.resolve()) for name, path in exports.items()},
            **departments, department_findings=findings)
        finish_run(con, run_id, "completed", summary)
        get_run_logger().info("run %s completed: %s", run_id, summary)
        return summary
    except Exception as err:
        finish_run(con, run_id, failed_status(err), None, f"{type(err).__name__}: {err}")
        raise
    finally:
        con.close()
        if artifacts is not None and (failed := artifacts.wait()) is not None:
            # links in Prefect's UI to pages already written: the run's work stands without them
            get_run_logger().warning("report artifacts not created: %s: %s", type(failed).__name__, failed)


def pages_touched(con: duckdb.DuckDBPyConnection, scope: Scope, period: str | None) -> Scope:
    """A rerun's scope widened to the pages its run changed besides its own county's: a rerun reads every new
    delivery in the inbox (leaving none unread for the night), so the counties of the returns it delivered, and of
    those a run killed since the last completed one delivered; every county for a department file, or when the
    as-of month is no longer that of the last completed run."""
    if not scope.is_rerun:
        return scope
    last = db.scalar(con, "SELECT arg_max(as_of_period, run_id) FROM runs WHERE status = 'completed'")
    names = [name for (name,) in db.rows(con, "runs/unpublished_deliveries")]
    if last != period or any(is_department_file(name) for name in names):
        return scope.widened(None)
    villages = (parse_return_name(name).village_code for name in names)
    return scope.widened({village[:6] for village in villages if village})


def pages_judged(con: duckdb.DuckDBPyConnection, scope: Scope, before: dict[str, str]) -> Scope:
    """A rerun's scope widened to the counties whose cases its ledger update changed: the ledger is judged for the
    whole city as of the rerun's today (days overdue, deadlines within 7 days, closings), and a county page not
    rendered again would show its cases as they stood before, unlike the store, cases.csv and the city page."""
    if not scope.is_rerun:
        return scope
    return scope.widened(changed_counties(before, ledger_digests(con)))


def load_inbox(con: duckdb.DuckDBPyConnection, settings: Settings, run_id: int, found: Discovery,
               units: pl.DataFrame, runner: TaskRunner | None, workers: ReadingWorkers) -> LoadCounts:
    """Read, check and load the files found in batches, oldest month first, each committing on its own, with the
    run's reading workers; returns what they loaded. The last batch's rows go when it returns, not after the marts."""
    loaded = LoadCounts()
    for planned in steps.plan_batches(found, settings):
        db.release_cache(con, settings.memory_limit)  # room for the readers and the batch's frames
        batch = steps.read_and_check(planned, units, settings, runner, workers)
        loaded += steps.load_batch(con, settings, run_id, quote(batch), quote(planned))
        steps.check_history_rows(con, settings, run_id, batch.loaded_file_ids())
    return loaded
