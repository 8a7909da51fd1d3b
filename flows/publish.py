"""The run's publication: exports and pages, or, when nothing they are made from changed since the last one,
the files that publication left (tasks/report/freshness.py)."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import date
from pathlib import Path

import duckdb
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture
from prefect.task_runners import TaskRunner

from core.files import sweep_partials
from core.settings import Settings
from flows import steps
from flows.report_artifacts import PendingArtifacts
from tasks.ingest.scope import Scope
from tasks.report.freshness import inputs_digest, published, record_published, rendered_from


@task(name="check-published", cache_policy=NO_CACHE)
def check_published(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: str | None, today: date,
                    compare: bool = True) -> tuple[str, dict | None]:
    """The digest of the publication's inputs, and the last publication's record when it is current (never when
    not to compare: the exports are already being written)."""
    digest = inputs_digest(con, settings, as_of, today)
    return digest, published(Path(settings.out), digest) if compare else None


@contextmanager
def exports_started(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: str | None,
                    start: bool = True) -> Iterator[PrefectFuture | None]:
    """The exports being written in a thread of the flow's task runner, on a cursor of their own (None when not to
    start): they spend much of their time in DuckDB and Polars, which let the other thread run. Leaving waits for
    them, so the cursor is closed only once they are done with it."""
    if not start:
        yield None
        return
    with closing(con.cursor()) as reader:
        written = steps.publish_exports.submit(reader, settings, as_of)
        try:
            yield written
        finally:
            written.wait()


def publish(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: str | None, run_id: int, scope: Scope,
            runner: TaskRunner | None, today: date,
            exports: PrefectFuture | None = None) -> tuple[dict[str, Path], Path, PendingArtifacts]:
    """Write out/exports and out/reports (a rerun: its counties' pages), unless the last publication is current,
    and start publishing the report artifacts; returns the exports, the city report's path and the artifacts
    still being created (the run waits for them once its store is closed). exports: those the run started writing
    already (exports_started), the publication then made whatever the last one was."""
    sweep_partials(Path(settings.out))  # what a run killed mid-write left (this process's own are kept)
    digest, state = (None, None) if scope.is_rerun else check_published(con, settings, as_of, today,
                                                                        compare=exports is None)
    if state is not None:
        written, rendered = rendered_from(state)
        get_run_logger().info("pages and exports unchanged since their last publication: kept")
    else:
        with exports_started(con, settings, as_of, start=exports is None) as started:
            rendered = steps.render_reports(con, settings, as_of, run_id, scope, runner, today)
            written = (exports or started).result()
        record_published(Path(settings.out), digest, written, rendered)
    return written, rendered["index"], PendingArtifacts(rendered, as_of)
