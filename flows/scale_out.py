"""The scale-out path: per-county tasks (row checks, page rendering) on a Dask cluster, the store in the flow.

Tasks sent to Dask receive frames and plain dicts and return them; every DuckDB read and write stays in the
flow's process. The runner is opened once per run, so the cluster (and, on its workers, the imports of
Polars and Great Expectations) is paid once per run and worker, not per county."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import polars as pl
from prefect import Task
from prefect.task_runners import TaskRunner

from core.settings import Settings
from flows import steps
from tasks.ingest import batch as ingest
from tasks.validate.by_county import merge_checks, split_by_county
from tasks.report.pages import render_reports
from flows.report_artifacts import publish_report_artifacts
from tasks.ingest.scope import Scope
from tasks.validate.checks import RESULT_COLUMNS


@contextmanager
def county_runner(settings: Settings) -> Iterator[TaskRunner | None]:
    """The Dask task runner of this run's per-county tasks (the scheduler the settings name, else a local
    cluster of dask_local_workers processes), or None when the run is not scaled out."""
    if not settings.is_scaled_out:
        yield None
        return
    from prefect_dask import DaskTaskRunner  # imports distributed: only when a run is scaled out

    if settings.dask_address:
        runner = DaskTaskRunner(address=settings.dask_address)
    else:
        runner = DaskTaskRunner(cluster_kwargs={"n_workers": settings.dask_local_workers, "threads_per_worker": 1,
                                                "processes": True, "dashboard_address": None})
    with runner:
        yield runner


def run_each(runner: TaskRunner, task: Task, calls: Iterable[dict]) -> list:
    """Submit one task run per parameter set to the runner (all at once), then collect the results in order."""
    futures = [runner.submit(task, parameters=parameters) for parameters in calls]
    return [future.result() for future in futures]


def validate_by_county(runner: TaskRunner, batch: ingest.Batch, units: pl.DataFrame,
                       settings: Settings) -> tuple[pl.DataFrame | None, pl.DataFrame, pl.DataFrame]:
    """steps.validate with each county's rows cleaned and checked by its own task on the runner."""
    raw = batch.rows_frame()
    if raw is None:
        return None, batch.problems_frame(), pl.DataFrame(schema=RESULT_COLUMNS)
    parts = split_by_county(raw, units)
    checks = run_each(runner, steps.validate_county, ({"raw": part, "settings": settings} for _, part in parts))
    return steps.quarantine_rows(batch, merge_checks(checks))


def render_by_county(runner: TaskRunner, con: duckdb.DuckDBPyConnection, settings: Settings, as_of: str | None,
                     run_id: int, scope: Scope) -> Path:
    """steps.render_reports with each county's page rendered by its own task on the runner; the store is read
    and the files written here. Called from the flow, not from a task: a task's context holds the connection,
    which cannot travel to a worker."""
    def render_pages(pages: Iterable[dict]) -> list[str]:
        return run_each(runner, steps.render_county, pages)

    rendered = render_reports(con, Path(settings.out) / "reports", as_of, run_id, settings.report_row_limits,
                              scope.counties(), render_pages)
    publish_report_artifacts(rendered, as_of)
    return rendered["index"]
