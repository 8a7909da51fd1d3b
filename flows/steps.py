"""Prefect tasks of the nightly flow: thin wrappers that call the plain functions in tasks/."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import polars as pl
from prefect import get_run_logger, task
from prefect.runtime import task_run
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import TaskRunner
from prefect.utilities.annotations import quote

from core import db, progress
from core.lock import StoreBusy
from core.settings import Settings
from tasks.ingest import batch as ingest
from tasks.ingest import deliveries as delivery_log
from tasks.ingest import load, log_writer, reference
from tasks.ingest.raw_store import sweep_raw_partials
from tasks.ingest.batch_plan import PlannedBatch, plan_batches as plan_ingest_batches
from tasks.ingest.limits import ReadLimits
from tasks.ingest.read import FileSlot
from tasks.marts import flag, mart_keys, project
from tasks.report import history
from tasks.report.exports import write_exports
from tasks.validate.history import check_history
from tasks.report.pages import policy_of, render_reports as render_report_pages
from flows.results import Discovery, FlagCounts, LoadCounts, Projected
from flows.scale_out import check_by_county, render_by_county
from tasks.ingest.row_check import RowChecker
from tasks.validate.checks import RESULT_COLUMNS
from tasks.ingest.scope import Scope


@task(name="load-reference", cache_policy=NO_CACHE)
def load_reference(con: duckdb.DuckDBPyConnection, settings: Settings) -> pl.DataFrame:
    """Read admin_units.csv and store it."""
    units = reference.read_admin_units(settings.reference)
    reference.store_admin_units(con, units)
    return units


class FilesUnavailable(Exception):
    """Some files could not be read just now (locked, vanished, still changing): worth a retry."""


class StoreLocked(StoreBusy):
    """Another program holds the DuckDB file: worth a retry; once the retries are spent, the run ends busy (75)."""


def retry_on(*transient: type[Exception]):
    """A Prefect retry condition: retry only these exceptions, never bad data or bugs."""
    def should_retry(task, task_run, state) -> bool:
        return isinstance(state.result(raise_on_failure=False), transient)
    return should_retry


READ_RETRIES = 2


@task(name="open-store", cache_policy=NO_CACHE, retries=3, retry_delay_seconds=[2, 5, 10],
      retry_condition_fn=retry_on(StoreLocked))
def open_store(settings: Settings, wait: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the DuckDB file; a lock held by another program (an analyst's session) is tried again three times, or
    with wait until it lets go. The store then takes the raw store's delivery log: refused (RawStoreTaken, before
    the run is recorded, a new store's file not even made) when another store writes it (tasks/ingest/log_writer.py)."""
    log_writer.refuse_new_store(settings.db, settings.raw_store)
    try:
        con = db.connect_when_free(settings.db, wait, settings.memory_limit)
    except StoreBusy as busy:
        raise StoreLocked(str(busy)) from None
    try:
        log_writer.take_log(con, settings.db, settings.raw_store)
    except BaseException:
        con.close()
        raise
    return con


@task(name="read-files", cache_policy=NO_CACHE, retries=READ_RETRIES, retry_delay_seconds=3,
      retry_condition_fn=retry_on(FilesUnavailable))
@progress.reported("read", lambda batch: read_counts(batch))
def read_files(slots: list[FileSlot], units: pl.DataFrame, settings: Settings, check_rows: bool,
               workers: ingest.ReadingWorkers | None = None) -> ingest.Batch:
    """Keep, name-check and parse every file of a batch (cleaning and checking their rows as they are read, with
    check_rows; by the run's reading workers); files unreadable after retries wait for the next run."""
    villages = set(units.filter(pl.col("level") == "village")["code"].to_list())
    sweep_raw_partials(settings.raw_store)  # what reading workers killed mid-write left
    batch = ingest.read_files(slots, villages, settings.raw_store, RowChecker() if check_rows else None,
                              ReadLimits.from_table(settings.read_limits), workers)
    if batch.unavailable and task_run.run_count <= READ_RETRIES:
        raise FilesUnavailable("; ".join(f"{path}: {why}" for path, why in batch.unavailable.items()))
    if batch.unavailable:
        get_run_logger().warning("left for the next run: %s", batch.unavailable)
    return batch


def read_counts(batch: ingest.Batch) -> dict[str, int]:
    """What the read step tells of its files: loaded, rejected, and those left for the next run (if any)."""
    counts = {status: sum(f["status"] == status for f in batch.files) for status in ("loaded", "rejected")}
    return counts | ({"left for the next run": len(batch.unavailable)} if batch.unavailable else {})


def plan_batches(found: Discovery, settings: Settings) -> list[PlannedBatch]:
    """The run's files in batches read, checked and loaded one after the other, oldest month first, each within
    the byte budget [ingest] batch_bytes (see tasks/ingest/batch_plan)."""
    return plan_ingest_batches(found.slots, found.paths, found.fresh, found.logged, settings.batch_bytes)


def read_and_check(planned: PlannedBatch, units: pl.DataFrame, settings: Settings, runner: TaskRunner | None,
                   workers: ingest.ReadingWorkers | None = None) -> ingest.Batch:
    """Read a batch's files and check their rows: as they are read (in the reading worker processes), or,
    when the run is scaled out, each county's rows by its own task on the Dask cluster."""
    batch = read_files(quote(planned.slots), units, settings, check_rows=runner is None, workers=quote(workers))
    if runner is not None:
        batch.checked = check_by_county(runner, batch, units, settings)
    return batch


@task(name="load", cache_policy=NO_CACHE)
@progress.reported("load", lambda counts: {"rows": counts.rows_loaded})
def load_batch(con: duckdb.DuckDBPyConnection, settings: Settings, run_id: int, batch: ingest.Batch,
               planned: PlannedBatch) -> LoadCounts:
    """Write the batch (and its validation counts, and its deliveries and inbox paths) into DuckDB in one
    transaction; returns what it loaded. The deliveries go to the log file first, so the log never misses one;
    the next run voids them there if this transaction never commits (discover_files), and a commit marker follows
    them once it has (core/void_log.py)."""
    checked = batch.checked
    unread = list(batch.unavailable)
    settled = planned.paths.filter(~pl.col("path").is_in(unread))  # unread paths: looked at again
    fresh = planned.fresh.filter(~pl.col("path").is_in(unread))
    delivery_log.append_log(settings.raw_store, fresh)
    delivered = fresh if planned.logged is None else pl.concat([planned.logged, fresh])
    problems = pl.concat([batch.problems_frame(), checked.problems]) if checked else batch.problems_frame()
    rows = checked.rows if checked else None
    results = checked.results if checked else pl.DataFrame(schema=RESULT_COLUMNS)
    load.load_batch(con, run_id, batch.files_frame(), rows, problems, settled, batch.reread_file_ids, results,
                    delivered)
    if fresh.height or planned.logged is not None:  # committed: a rebuild trusts the lines a commit marker covers
        delivery_log.mark_committed(con, settings.raw_store)
    batch.checked = None  # loaded: the batch keeps its file records only, the next batch gets the memory
    return LoadCounts(files_reread=len(batch.reread_file_ids),
                      files_loaded=sum(f["status"] == "loaded" for f in batch.files),
                      files_rejected=sum(f["status"] == "rejected" for f in batch.files),
                      rows_loaded=0 if rows is None else rows.height)


@task(name="check-history", cache_policy=NO_CACHE)
@progress.reported("check-history", lambda problems: {"problems": problems})
def check_history_rows(con: duckdb.DuckDBPyConnection, settings: Settings, run_id: int, file_ids: list[int]) -> int:
    """Re-run the history suite (previous month, village distribution) on the current files the batch
    loaded; returns the number of history problems found."""
    return check_history(con, settings, run_id, file_ids).problems.height


@task(name="project", cache_policy=NO_CACHE)
@progress.reported("project", lambda projected: {"household months": projected.rows})
def project_incomes(con: duckdb.DuckDBPyConnection, settings: Settings, scope: Scope) -> Projected:
    """Update the year-end projections (seasonal shares per county, bands) and the backtest table where the
    store changed (the files a rerun re-read are looked at again)."""
    stamps = project.update_projection_marts(con, settings, scope)
    return Projected(project.household_months_on_record(con), stamps)


@task(name="flag", cache_policy=NO_CACHE)
@progress.reported("flag", lambda c: {"households": c.households, "flagged": c.flagged, "village signals": c.signals})
def flag_households(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: str | None,
                    stamps: mart_keys.Stamps | None = None) -> FlagCounts:
    """Rebuild household_status and village_signals for the as-of month (stamps: the project step's)."""
    if not as_of:
        return FlagCounts()
    stamps = stamps or mart_keys.Stamps(con)  # the files' digests, taken once for both
    rows = flag.flag_households(con, settings, as_of, stamps)
    flagged = int(db.scalar(con, "SELECT count(*) FROM household_status WHERE period = ? AND flags <> ''", [as_of]))
    return FlagCounts(households=rows, flagged=flagged, signals=flag.signal_villages(con, as_of, stamps))


@task(name="record-figures", cache_policy=NO_CACHE)
def record_figures(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: str | None,
                   stamps: mart_keys.Stamps | None = None) -> int:
    """Record each county's key figures of the months the pages show and compare with (this income year up to
    the as-of month, the whole previous one); returns the county × months (re)computed (stamps: the project
    step's)."""
    return history.record_figures(con, settings, as_of, stamps)


@task(name="publish-exports", cache_policy=NO_CACHE)
@progress.reported("exports", lambda written: {"files": len(written)})
def publish_exports(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: str | None) -> dict[str, Path]:
    """Write out/exports/*.csv."""
    return write_exports(con, Path(settings.out) / "exports", as_of, policy_of(settings, as_of)["near_line_factor"])


def render_reports(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: str | None, run_id: int,
                   scope: Scope, runner: TaskRunner | None, today: date | None = None) -> dict:
    """Write out/reports/<county>.html (those of the scope) and index.html; returns their paths and the city
    summary (pages.render_reports). Each county's page is rendered by its own task on the runner when scaled
    out. today: the run's date, that returns still missing count their days overdue to."""
    with progress.step("pages"):
        return (render_pages(con, settings, as_of, run_id, scope, today) if runner is None
                else render_by_county(runner, con, settings, as_of, run_id, scope, today))


@task(name="render-reports", cache_policy=NO_CACHE)
def render_pages(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: str | None, run_id: int,
                 scope: Scope, today: date | None = None) -> dict:
    """Render the pages of the scope in this process."""
    return render_report_pages(con, Path(settings.out) / "reports", as_of, run_id, settings, scope.counties(),
                               today=today)
