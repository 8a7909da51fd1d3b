"""Prefect tasks of the nightly flow: thin wrappers that call the plain functions in tasks/."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl
from prefect import get_run_logger, task
from prefect.runtime import task_run
from prefect.cache_policies import NO_CACHE

from core import db
from core.settings import Settings
from tasks.ingest import batch as ingest
from tasks.ingest import discover, load, reference
from tasks.ingest.limits import ReadLimits
from tasks.ingest.read import FileSlot
from tasks.marts import flag, project
from tasks.validate.by_county import RowCheck, check_rows
from tasks.report.exports import write_exports
from tasks.validate.history import check_history
from tasks.report.pages import render_county_html, render_reports as render_report_pages
from flows.report_artifacts import publish_report_artifacts
from tasks.ingest.row_check import RowChecker
from tasks.validate.checks import RESULT_COLUMNS
from tasks.ingest.scope import Scope


@task(name="load-reference", cache_policy=NO_CACHE)
def load_reference(con: duckdb.DuckDBPyConnection, settings: Settings) -> pl.DataFrame:
    """Read admin_units.csv and store it."""
    units = reference.read_admin_units(settings.reference)
    reference.store_admin_units(con, units)
    return units


@task(name="discover", cache_policy=NO_CACHE)
def discover_files(con: duckdb.DuckDBPyConnection, settings: Settings, run_id: int, scope: Scope) -> dict:
    """List the inbox and plan what to read: files not seen before, and those a rerun's scope re-reads."""
    known_paths = {p: (s, m, h) for p, s, m, h in db.rows(con, "load/known_paths")}
    deliveries, arriving = discover.list_inbox(settings.inbox, known_paths, settings.settle_seconds,
                                               limits=ReadLimits.from_table(settings.read_limits))
    known = {(sha, name): (fid, rid, at) for sha, name, fid, rid, at in db.rows(con, "load/known_files")}
    slots = ingest.plan_reads(deliveries, known, scope.covers, run_id, next_file_id(con), datetime.now())
    paths = pl.DataFrame(
        {"path": [d.rel_path for d in deliveries], "size_bytes": [d.size_bytes for d in deliveries],
         "mtime_ns": [d.mtime_ns for d in deliveries], "sha256": [d.sha256 for d in deliveries],
         "first_seen_run_id": [run_id] * len(deliveries), "last_seen_run_id": [run_id] * len(deliveries)},
        schema={"path": pl.Utf8, "size_bytes": pl.Int64, "mtime_ns": pl.Int64, "sha256": pl.Utf8,
                "first_seen_run_id": pl.Int32, "last_seen_run_id": pl.Int32})
    return {"all": deliveries, "slots": slots, "arriving": arriving, "paths": paths}


class FilesUnavailable(Exception):
    """Some files could not be read just now (locked, vanished, still changing): worth a retry."""


class StoreLocked(Exception):
    """Another program holds the DuckDB file: worth a retry."""


def retry_on(*transient: type[Exception]):
    """A Prefect retry condition: retry only these exceptions, never bad data or bugs."""
    def should_retry(task, task_run, state) -> bool:
        return isinstance(state.result(raise_on_failure=False), transient)
    return should_retry


READ_RETRIES = 2


@task(name="open-store", cache_policy=NO_CACHE, retries=3, retry_delay_seconds=[2, 5, 10],
      retry_condition_fn=retry_on(StoreLocked))
def open_store(settings: Settings) -> duckdb.DuckDBPyConnection:
    """Open the DuckDB file; a lock held by another program (an analyst's session) is waited out."""
    try:
        return db.connect(settings.db)
    except duckdb.IOException as err:
        if "lock" in str(err).lower():
            raise StoreLocked(str(err).splitlines()[0]) from err
        raise


@task(name="read-files", cache_policy=NO_CACHE, retries=READ_RETRIES, retry_delay_seconds=3,
      retry_condition_fn=retry_on(FilesUnavailable))
def read_files(slots: list[FileSlot], units: pl.DataFrame, settings: Settings) -> ingest.Batch:
    """Keep, name-check and parse every file the run reads; files unreadable after retries wait for the next run."""
    villages = set(units.filter(pl.col("level") == "village")["code"].to_list())
    # rows are checked where they are read, unless each county's are checked on the cluster (scale_out)
    batch = ingest.read_files(slots, villages, settings.raw_store, None if settings.is_scaled_out else RowChecker(),
                              ReadLimits.from_table(settings.read_limits))
    if batch.unavailable and task_run.run_count <= READ_RETRIES:
        raise FilesUnavailable("; ".join(f"{path}: {why}" for path, why in batch.unavailable.items()))
    if batch.unavailable:
        get_run_logger().warning("left for the next run: %s", batch.unavailable)
    return batch


@task(name="validate", cache_policy=NO_CACHE)
def validate(batch: ingest.Batch, settings: Settings) -> tuple[pl.DataFrame | None, pl.DataFrame, pl.DataFrame]:
    """Clean the batch's rows and run the row suite on them; errors quarantine rows. Returns the rows,
    the problems (file and row) and the per-expectation counts."""
    if batch.checked is not None:  # cleaned and checked as they were read (tasks.ingest.row_check)
        checked = batch.checked
        return checked.rows, pl.concat([batch.problems_frame(), checked.problems]), checked.results
    raw = batch.rows_frame()
    if raw is None:
        return None, batch.problems_frame(), pl.DataFrame(schema=RESULT_COLUMNS)
    return quarantine_rows(batch, check_rows(raw, settings))


@task(name="validate-county", cache_policy=NO_CACHE)
def validate_county(raw: pl.DataFrame, settings: Settings) -> RowCheck:
    """Clean and check one county's raw rows (on a Dask worker when the run is scaled out)."""
    return check_rows(raw, settings)


def quarantine_rows(batch: ingest.Batch, checked: RowCheck) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """The checked rows with errors quarantined, every problem (file and row), and the per-expectation counts."""
    problems = pl.concat([batch.problems_frame(), checked.problems])
    return load.mark_quarantine(checked.cleaned, problems), problems, checked.results


@task(name="load", cache_policy=NO_CACHE)
def load_batch(con: duckdb.DuckDBPyConnection, run_id: int, batch: ingest.Batch, rows: pl.DataFrame | None,
               problems: pl.DataFrame, results: pl.DataFrame, paths: pl.DataFrame) -> None:
    """Write the batch (and its validation counts) into DuckDB in one transaction."""
    settled = paths.filter(~pl.col("path").is_in(list(batch.unavailable)))  # unread paths are looked at again
    load.load_batch(con, run_id, batch.files_frame(), rows, problems, settled, batch.reread_file_ids, results)
    batch.raw_frames, batch.checked = [], None  # loaded: the batch keeps its file records only


@task(name="check-history", cache_policy=NO_CACHE)
def check_history_rows(con: duckdb.DuckDBPyConnection, settings: Settings, run_id: int, batch: ingest.Batch) -> int:
    """Re-run the history suite (previous month, village distribution) on the current files the batch
    touched; returns the number of history problems found."""
    loaded = [f["file_id"] for f in batch.files if f["status"] == "loaded"]
    return check_history(con, settings, run_id, loaded).problems.height


@task(name="project", cache_policy=NO_CACHE)
def project_incomes(con: duckdb.DuckDBPyConnection, settings: Settings, scope: Scope = Scope()) -> int:
    """Update the year-end projections (seasonal shares per county, bands) and the backtest table where the
    store changed (the files a rerun re-read are looked at again)."""
    return project.project_household_income(con, settings, scope)


@task(name="flag", cache_policy=NO_CACHE)
def flag_households(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: str | None) -> dict[str, int]:
    """Rebuild household_status and village_signals for the as-of month."""
    if not as_of:
        return {"households": 0, "flagged": 0, "signals": 0}
    rows = flag.flag_households(con, settings, as_of)
    flagged = int(db.scalar(con, "SELECT count(*) FROM household_status WHERE period = ? AND flags <> ''", [as_of]))
    return {"households": rows, "flagged": flagged, "signals": flag.signal_villages(con, as_of)}


@task(name="publish-exports", cache_policy=NO_CACHE)
def publish_exports(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: str | None) -> dict[str, Path]:
    """Write out/exports/*.csv."""
    return write_exports(con, Path(settings.out) / "exports", as_of)


@task(name="render-reports", cache_policy=NO_CACHE)
def render_reports(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: str | None, run_id: int,
                   scope: Scope) -> Path:
    """Write out/reports/<county>.html (those of the scope) and index.html, publish their artifacts;
    returns the city report's path."""
    rendered = render_report_pages(con, Path(settings.out) / "reports", as_of, run_id, settings.report_row_limits,
                                   scope.counties())
    publish_report_artifacts(rendered, as_of)
    return rendered["index"]


@task(name="render-county", cache_policy=NO_CACHE)
def render_county(county: dict, period: str | None, run: dict, data: dict) -> str:
    """The HTML of one county's page from its fetched data (on a Dask worker when the run is scaled out)."""
    return render_county_html(county, period, run, data)


def next_file_id(con: duckdb.DuckDBPyConnection) -> int:
    """The next free file_id."""
    return int(db.scalar(con, "SELECT coalesce(max(file_id), 0) + 1 FROM source_files"))
