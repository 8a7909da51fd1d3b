"""The nightly flow's discover step: the inbox listed and what to read planned (village returns and department
files apart), its deliveries numbered; the delivery log's uncommitted lines voided first."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from core import db, progress
from core.clock import run_month
from core.settings import Settings
from flows.results import Discovery
from tasks.departments.ingest import plan_department_reads
from tasks.ingest import batch as ingest
from tasks.ingest import deliveries as delivery_log
from tasks.ingest import inbox_scan, limit_changes, raw_rereads
from tasks.ingest.department_names import is_department_file
from tasks.ingest.limits import ReadLimits
from tasks.ingest.listing import echoed_names, known_files, latest_deliveries as listing_latest, list_inbox_frame
from tasks.ingest.listing import settled_paths
from tasks.ingest.scope import Scope
from tasks.validate.checks import ROW_SUITE
from tasks.validate.expectation_suite import load_suite
from tasks.validate.gx_run import warm_up


@task(name="discover", cache_policy=NO_CACHE)
@progress.reported("discover", lambda found: {"returns to read": len(found.slots), "department files to read": len(
    found.department_slots), "still arriving": len(found.arriving)})
def discover_files(con: duckdb.DuckDBPyConnection, settings: Settings, run_id: int, scope: Scope,
                   today: date | None = None, workers: ingest.ReadingWorkers | None = None) -> Discovery:
    """List the inbox and plan what to read: files not seen before, and those a rerun's scope re-reads (village
    returns and department files apart); note the run's deliveries (a store rebuilt beside an existing delivery
    log reads the log back first, and reads the versions no longer in the inbox from the raw store; so does the
    next run the versions a rebuild killed midway left unread). The log's lines of deliveries a killed or failed
    run never committed are voided first, so no rebuild replays them. A file read again (the reference list or the
    read limits changed, or in a rerun's scope) that the inbox no longer holds is read from the raw store. The run's
    reading workers, when given, start as soon as the inbox's new paths are many (ReadingWorkers.start_ahead)."""
    if not Path(settings.inbox).is_dir():  # listed as empty, it would be a night with nothing new, exit 0
        raise InboxMissing(f"inbox not found or not a folder: {settings.inbox}")
    known_paths = db.frame(con, "load/known_paths")
    listing = list_inbox_frame(settings.inbox, known_paths, settings.settle_seconds,
                               limits=ReadLimits.from_table(settings.read_limits),
                               scan=inbox_scan.take(settings.inbox, settings.settle_seconds))
    if workers is not None:
        workers.start_ahead(len(listing.deliveries))
    stored, last_stored = db.rows(con, "load/delivery_count")[0]
    delivery_log.void_uncommitted(con, settings.raw_store, stored, last_stored)  # before the log is read or numbered
    logged = delivery_log.read_log(settings.raw_store) if stored == 0 else None
    # refused for a village the list now holds: a nightly run reads them again (a rerun keeps to its scope, whose
    # pages alone it renders); a known return whose bytes came now under another name: any run (FILE_SAME_BYTES)
    relisted = set() if scope.is_rerun else {name for (name,) in db.rows(con, "load/relisted_files")}
    # and loaded for a village the list no longer holds: read again, to be refused (FILE_UNKNOWN_VILLAGE)
    relisted |= set() if scope.is_rerun else {name for (name,) in db.rows(con, "load/delisted_files")}
    # refused for a read limit the city has changed since: a nightly run reads them again under the new one
    relisted |= set() if scope.is_rerun else limit_changes.refused_under_other_limits(con, settings)
    relisted |= echoed_names(con, listing.deliveries)
    # the unchanged paths of known returns (all but a month's at province) are settled in one query; a store being
    # rebuilt from the delivery log looks at every path
    def rereads(name: str) -> bool:
        """Whether a known return of this name is read again: relisted, its bytes come under another name, or in a
        rerun's scope."""
        return name in relisted or scope.covers(name)

    settled = listing.unchanged.clear() if logged is not None else settled_paths(
        con, listing.unchanged, rereads if relisted or scope.is_rerun else None)
    deliveries = sorted(listing.deliveries + listing.unchanged_deliveries(
        listing.unchanged.filter(~pl.col("path").is_in(settled["path"]))), key=lambda d: d.rel_path)
    latest = listing_latest(con, deliveries)
    if logged is not None:  # rebuilding: the log is the history of what arrived and when
        latest |= dict(logged.sort("delivery_id").select("path", "sha256").iter_rows())
    now = datetime.now()
    first_id = max(last_stored, delivery_log.last_logged_id(settings.raw_store)) + 1
    fresh = delivery_log.new_deliveries(deliveries, latest, first_id, run_id, now)
    unread = logged if logged is not None else db.frame(con, "load/unread_deliveries")  # a rebuild killed midway
    replays = delivery_log.replayed(unread, deliveries, settings.raw_store,
                                    set(zip(settled["sha256"], settled["file_name"])) if unread.height else set())
    # files read again (relisted, or in a rerun's scope) whose inbox copy is gone (cleared once loaded): read from
    # the raw store, as a rebuild would
    archived, uncopied = raw_rereads.archived_rereads(
        con, relisted | raw_rereads.scope_names(con, scope), deliveries + replays, settings.raw_store, settled)
    if uncopied:  # a raw store emptied or damaged by hand
        get_run_logger().warning("not read again, neither in the inbox nor in the raw store: %s", uncopied)
    arrived = replays + archived + deliveries
    returns, department_files = [], []
    for delivery in arrived:
        (department_files if is_department_file(delivery.file_name) else returns).append(delivery)
    slots = ingest.plan_reads(returns, known_files(con, returns), rereads, run_id, next_file_id(con), now,
                              run_month(today))
    department_slots = plan_department_reads(
        con, department_files, lambda name: name in relisted or scope.covers_department(name), run_id, now,
        run_month(today))
    # only the paths new or changed since recorded: rewriting all of them (462,000 at province) cost 10 s a night
    recorded = {p: (s, m, h) for p, s, m, h in known_paths.filter(
        pl.col("path").is_in([d.rel_path for d in deliveries if not d.unchanged])).iter_rows()}
    seen = [d for d in deliveries
            if not d.unchanged and recorded.get(d.rel_path) != (d.size_bytes, d.mtime_ns, d.sha256)]
    paths = pl.DataFrame(
        {"path": [d.rel_path for d in seen], "size_bytes": [d.size_bytes for d in seen],
         "mtime_ns": [d.mtime_ns for d in seen], "sha256": [d.sha256 for d in seen],
         "first_seen_run_id": [run_id] * len(seen), "last_seen_run_id": [run_id] * len(seen)},
        schema={"path": pl.Utf8, "size_bytes": pl.Int64, "mtime_ns": pl.Int64, "sha256": pl.Utf8,
                "first_seen_run_id": pl.Int32, "last_seen_run_id": pl.Int32})
    progress.foresee("read", len(slots))  # in one step or in several batches
    if slots or department_slots:  # rows to check: Great Expectations imports while they are read
        warm_up(load_suite(ROW_SUITE))
    return Discovery(deliveries, slots, listing.arriving, paths, fresh, logged, department_slots=department_slots,
                     listed=len(deliveries) + settled.height)


class InboxMissing(Exception):
    """The inbox is not there (a share not mounted, a path mistyped): the run cannot tell what arrived."""


def next_file_id(con: duckdb.DuckDBPyConnection) -> int:
    """The next free file_id."""
    return int(db.scalar(con, "SELECT coalesce(max(file_id), 0) + 1 FROM source_files"))
