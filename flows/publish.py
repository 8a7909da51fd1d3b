"""The run's publication: exports and pages, or, when nothing they are made from changed since the last one,
the files that publication left; the exports alone are kept when only the pages' own inputs changed (today, the
case ledger: tasks/report/freshness.py)."""
from __future__ import annotations

from contextlib import closing
from datetime import date
from pathlib import Path

import duckdb
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import TaskRunner

from core.files import sweep_partials
from core.settings import Settings
from flows import steps
from flows.report_artifacts import PendingArtifacts
from tasks.ingest.scope import Scope
from tasks.report.freshness import Digests, exports_published, inputs_digests, published, record_published, \
    rendered_from


@task(name="check-published", cache_policy=NO_CACHE)
def check_published(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: str | None,
                    today: date) -> tuple[Digests, dict | None]:
    """The digests of the publication's inputs, and the last publication's record when it is current."""
    digests = inputs_digests(con, settings, as_of, today)
    return digests, published(Path(settings.out), digests.publication)


def publish(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: str | None, run_id: int, scope: Scope,
            runner: TaskRunner | None, today: date) -> tuple[dict[str, Path], Path, PendingArtifacts]:
    """Write out/exports and out/reports (a rerun: its counties' pages), unless the last publication is current
    (or, its exports, when they are), and start publishing the report artifacts; returns the exports, the city
    report's path and the artifacts still being created (the run waits for them once its store is closed)."""
    sweep_partials(Path(settings.out))  # what a run killed mid-write left
    digests, state = (None, None) if scope.is_rerun else check_published(con, settings, as_of, today)
    kept = None if digests is None or state is not None else exports_published(Path(settings.out), digests.exports)
    if state is not None:
        exports, rendered = rendered_from(state)
        get_run_logger().info("pages and exports unchanged since their last publication: kept")
    elif kept is not None:
        get_run_logger().info("exports unchanged since their last publication: kept; pages rendered")
        exports, rendered = kept, steps.render_reports(con, settings, as_of, run_id, scope, runner, today)
    else:
        exports, rendered = exports_beside_pages(con, settings, as_of, run_id, scope, runner, today)
    if state is None:
        record_published(Path(settings.out), digests, exports, rendered)
    return exports, rendered["index"], PendingArtifacts(rendered, as_of)


def exports_beside_pages(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: str | None, run_id: int,
                         scope: Scope, runner: TaskRunner | None, today: date) -> tuple[dict[str, Path], dict]:
    """The exports, written in a thread of the flow's task runner (on a cursor of their own) while the pages render
    here: both spend much of their time in DuckDB and Polars, which let the other thread run (on the city
    increment the two took 1.5 and 2.1 s one after the other). Both are read from the store as the run left it."""
    with closing(con.cursor()) as reader:
        written = steps.publish_exports.submit(reader, settings, as_of)
        try:
            rendered = steps.render_reports(con, settings, as_of, run_id, scope, runner, today)
        finally:
            written.wait()  # the cursor is closed only once the exports are done with it
        return written.result(), rendered
