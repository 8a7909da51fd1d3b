"""The scale-out path: per-county tasks (row checks, page rendering) on a Dask cluster, the store in the flow.

Tasks sent to Dask receive frames and plain dicts and return them; every DuckDB read and write stays in the
flow's process. The runner is opened once per run, so the cluster (and, on its workers, the imports of
Polars and Great Expectations) is paid once per run and worker, not per county."""
from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
from prefect import Task, task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import TaskRunner

from core.settings import Settings
from tasks.ingest.batch import Batch
from tasks.ingest.load import mark_quarantine
from tasks.ingest.row_check import CheckedRows
from tasks.ingest.scope import Scope
from tasks.report.pages import render_county_html, render_reports
from tasks.validate.by_county import RowCheck, check_rows, merge_checks, split_by_county
from tasks.validate.checks import PROBLEM_COLUMNS, RESULT_COLUMNS


logger = logging.getLogger(__name__)

WORKER_WAIT_SECONDS = 60  # a worker process starts in ~0.5 s and stops in ~1.5 s here
CHECK_WAVE_PER_WORKER = 4  # county checks in flight per worker: enough to keep it busy, few results held


def worker_count(runner: TaskRunner) -> int:
    """How many workers the runner's cluster has now (at least 1)."""
    return max(1, len(runner.client.scheduler_info()["workers"]))


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


def shed_worker_memory(runner: TaskRunner | None, settings: Settings) -> None:
    """After a batch's row checks: stop the workers of the run's own local cluster (their nanny processes with
    them), so the memory they kept (Great Expectations, the checked frames' heap) is not held beside the batch's
    load, the next batch's read or the flow's marts; the next batch's checks and render_by_county start them
    again (workers_ready, ~0.5 s; each new worker imports Great Expectations again on its first check). A
    cluster named by an address is shared: its workers are left alone."""
    if runner is not None and not settings.dask_address:
        runner.client.cluster.scale(0)
        if not await_running_workers(runner, lambda running: running == 0):
            logger.warning("the run's Dask workers were still stopping after %s s", WORKER_WAIT_SECONDS)


def workers_ready(runner: TaskRunner, settings: Settings) -> None:
    """The run's own local cluster back at its workers (after shed_worker_memory), waiting until they answer."""
    if not settings.dask_address:
        runner.client.cluster.scale(settings.dask_local_workers)
        if not await_running_workers(runner, lambda running: running >= settings.dask_local_workers):
            raise RuntimeError(f"the run's {settings.dask_local_workers} Dask workers did not start within "
                               f"{WORKER_WAIT_SECONDS} s")


def await_running_workers(runner: TaskRunner, reached: Callable[[int], bool]) -> bool:
    """Whether the scheduler's count of running workers reached the wanted state within WORKER_WAIT_SECONDS.

    Asked through the client, never through the cluster: the cluster's own wait_for_workers replaces its copy of
    the scheduler's workers with a snapshot that can arrive after, and so erase, a worker's 'add' from the
    scheduler's status stream; the later 'remove' of that worker then raises KeyError in the cluster's watcher,
    and the cluster's close re-raises it (dask/distributed SpecCluster._update_worker_status), failing the run."""
    deadline = time.monotonic() + WORKER_WAIT_SECONDS
    while True:
        workers = runner.client.scheduler_info(n_workers=-1)["workers"].values()
        if reached(sum(1 for worker in workers if worker.get("status") == "running")):
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)


def run_each(runner: TaskRunner, task: Task, calls: Iterable[dict], wave: int = 0) -> list:
    """Submit one task run per parameter set to the runner, `wave` at a time (0: all at once), collecting each
    wave's results in order before the next: the workers hold a wave's results, not the whole batch's."""
    results: list = []
    pending = iter(calls)
    while futures := [runner.submit(task, parameters=p) for p in itertools.islice(pending, wave or None)]:
        results += [future.result() for future in futures]
    return results


@task(name="validate-county", cache_policy=NO_CACHE)
def validate_county(raw: pl.DataFrame) -> RowCheck:
    """Clean and check one county's raw rows (on a Dask worker)."""
    return check_rows(raw)


@task(name="render-county", cache_policy=NO_CACHE)
def render_county(county: dict, period: str | None, run: dict, data: dict, policy: dict) -> str:
    """The HTML of one county's page from its fetched data (on a Dask worker)."""
    return render_county_html(county, period, run, data, policy)


def check_by_county(runner: TaskRunner, batch: Batch, units: pl.DataFrame, settings: Settings) -> CheckedRows:
    """The batch's raw rows cleaned and checked by one task per county on the runner (its workers up for the
    checks and stopped after them: shed_worker_memory), merged back in batch order, errors quarantined: what
    checking them as they were read gives."""
    raw = batch.rows_frame()
    batch.raw_frames = []
    if raw is None:
        return CheckedRows(None, pl.DataFrame(schema=PROBLEM_COLUMNS), pl.DataFrame(schema=RESULT_COLUMNS))
    workers_ready(runner, settings)
    parts = ({"raw": part} for _, part in split_by_county(raw, units))
    checked = merge_checks(run_each(runner, validate_county, parts, CHECK_WAVE_PER_WORKER * worker_count(runner)))
    shed_worker_memory(runner, settings)
    return CheckedRows(mark_quarantine(checked.cleaned, checked.problems), checked.problems, checked.results)


def render_by_county(runner: TaskRunner, con: duckdb.DuckDBPyConnection, settings: Settings, as_of: str | None,
                     run_id: int, scope: Scope, today: date | None = None) -> dict:
    """The pages of the scope with each county's page rendered by its own task on the runner; the store is read
    and the files written here. Called from the flow, not from a task: a task's context holds the connection,
    which cannot travel to a worker."""
    def render_pages(pages: Iterable[dict]) -> list[str]:
        workers_ready(runner, settings)
        return run_each(runner, render_county, pages)

    return render_reports(con, Path(settings.out) / "reports", as_of, run_id, settings,
                          scope.counties(), render_pages, today)
