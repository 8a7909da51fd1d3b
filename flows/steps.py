"""Prefect tasks of the nightly flow: thin wrappers that call the plain functions in tasks/."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl
from prefect import task
from prefect.cache_policies import NO_CACHE

from povmon import db
from povmon.settings import Settings
from tasks import backtest, discover, flag, ingest, load, project, reference
from tasks.clean import clean_batch
from tasks.export import write_exports
from tasks.scope import Scope
from tasks.validate import validate_rows


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
    deliveries, arriving = discover.list_inbox(settings.inbox, known_paths, settings.settle_seconds)
    known = {(sha, name): (fid, rid, at) for sha, name, fid, rid, at in db.rows(con, "load/known_files")}
    slots = ingest.plan_reads(deliveries, known, scope.covers, run_id, next_file_id(con), datetime.now())
    paths = pl.DataFrame(
        [{"path": d.rel_path, "size_bytes": d.size_bytes, "mtime_ns": d.mtime_ns, "sha256": d.sha256,
          "first_seen_run_id": run_id, "last_seen_run_id": run_id} for d in deliveries],
        schema={"path": pl.Utf8, "size_bytes": pl.Int64, "mtime_ns": pl.Int64, "sha256": pl.Utf8,
                "first_seen_run_id": pl.Int32, "last_seen_run_id": pl.Int32})
    return {"all": deliveries, "slots": slots, "arriving": arriving, "paths": paths}


@task(name="read-files", cache_policy=NO_CACHE)
def read_files(slots: list[ingest.FileSlot], units: pl.DataFrame, settings: Settings) -> ingest.Batch:
    """Keep, name-check and parse every file the run reads."""
    villages = set(units.filter(pl.col("level") == "village")["code"].to_list())
    return ingest.read_files(slots, villages, settings.raw_store)


@task(name="validate", cache_policy=NO_CACHE)
def validate(batch: ingest.Batch, settings: Settings) -> tuple[pl.DataFrame | None, pl.DataFrame]:
    """Clean the batch's rows and run the expectation suites on them; errors quarantine rows."""
    raw = batch.rows_frame()
    if raw is None:
        return None, batch.problems_frame()
    cleaned = clean_batch(raw)
    row_problems = validate_rows(cleaned, settings)
    problems = pl.concat([batch.problems_frame(), row_problems.select(ingest.PROBLEM_SCHEMA.keys())])
    return load.mark_quarantine(cleaned, problems), problems


@task(name="load", cache_policy=NO_CACHE)
def load_batch(con: duckdb.DuckDBPyConnection, run_id: int, batch: ingest.Batch,
               rows: pl.DataFrame | None, problems: pl.DataFrame, paths: pl.DataFrame) -> None:
    """Write the batch into DuckDB in one transaction."""
    load.load_batch(con, run_id, batch.files_frame(), rows, problems, paths, batch.reread_file_ids)


@task(name="project", cache_policy=NO_CACHE)
def project_incomes(con: duckdb.DuckDBPyConnection, settings: Settings) -> int:
    """Rebuild the year-end projections (seasonal shares per county, bands) and the backtest table."""
    projected = project.project_household_income(con, settings)
    backtest.measure_projection(con)
    return projected


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


def next_file_id(con: duckdb.DuckDBPyConnection) -> int:
    """The next free file_id."""
    return int(db.scalar(con, "SELECT coalesce(max(file_id), 0) + 1 FROM source_files"))
