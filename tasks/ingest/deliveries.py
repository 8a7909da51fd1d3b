"""The delivery log: each time an inbox path holds bytes it did not hold before, in delivery order. Kept in the
store (table deliveries) and appended to <raw store>/deliveries.jsonl, so that a store rebuilt from the raw
store and the log picks the same current versions (spec: village-return.md, The drop folder). A delivery's line
is written before the store commits it, so a run killed or failed in between leaves lines the store never held:
the next run voids them with a marker line {"void_after": N}, which drops every earlier line above id N. That is
sound only while one store writes the log: a second store's lines would be voided as never committed (and it would
void the first's), so the store writing it is recorded in the raw store and any other refused before its run
(tasks/ingest/log_writer.py)."""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from core import db, void_log
from tasks.ingest.discover import Delivery
from tasks.ingest.raw_rereads import kept_delivery

LOG_NAME = "deliveries.jsonl"
VOID = void_log.VOID
SCHEMA = {"delivery_id": pl.Int32, "path": pl.Utf8, "sha256": pl.Utf8, "file_name": pl.Utf8,
          "run_id": pl.Int32, "delivered_at": pl.Datetime("us"), "mtime_ns": pl.Int64}


def log_path(raw_store: Path) -> Path:
    """Where the delivery log lies: beside the raw bytes it orders."""
    return Path(raw_store) / LOG_NAME


def _parse(entry: dict) -> dict:
    """A logged delivery, its id, time and modification time typed."""
    mtime = entry.get("mtime_ns")  # lines written before it was logged have none
    return {**entry, "delivery_id": int(entry["delivery_id"]),
            "delivered_at": datetime.fromisoformat(entry["delivered_at"]),
            "mtime_ns": None if mtime is None else int(mtime)}


def read_log(raw_store: Path) -> pl.DataFrame:
    """Every delivery the log holds, but those a later marker voided (never committed) and a line cut short."""
    frame = pl.DataFrame(void_log.read_standing(log_path(raw_store), _parse, "delivery_id"), schema=SCHEMA)
    return frame.unique("delivery_id", keep="last", maintain_order=True)  # an id logged twice: its later line stands


def last_logged_id(raw_store: Path) -> int:
    """The id the log's next delivery comes after (0 without a log): that of its last whole line, a marker's N."""
    return void_log.last_logged_id(log_path(raw_store), _parse, "delivery_id")


def void_uncommitted(con: duckdb.DuckDBPyConnection, raw_store: Path, stored: int, last_stored: int) -> None:
    """Before a run numbers its deliveries: void the log's lines above the store's highest delivery id (or its base),
    those of its own runs that never committed, and mark those up to it committed (void_log.settle; the run took
    the log first: log_writer.take_log, so no other store appended to it)."""
    if stored:
        committed = last_stored
    # a store holding none yet (new, or rebuilt from the log, the truth then) holds what the log's lines that stand
    # say: a line a writer killed before its commit left after the last commit marker is voided, never read back
    elif (committed := db.scalar(con, "SELECT max(last_id) FROM delivery_log_base")) is None:
        committed = read_log(raw_store)["delivery_id"].max() or 0
        db.run(con, "load/insert_delivery_log_base", {"last_id": committed})
    settle(raw_store, committed)


def mark_committed(con: duckdb.DuckDBPyConnection, raw_store: Path) -> None:
    """After a batch's commit: mark the log's lines up to the store's highest delivery id committed."""
    settle(raw_store, int(db.scalar(con, "SELECT coalesce(max(delivery_id), 0) FROM deliveries")))


def settle(raw_store: Path, committed: int) -> None:
    """The store holds the deliveries up to id `committed`: void the log's lines above it, mark those up to it
    committed (void_log.settle)."""
    void_log.settle(log_path(raw_store), _parse, "delivery_id", committed)


def new_deliveries(deliveries: list[Delivery], latest: dict[str, str], first_id: int, run_id: int,
                   now: datetime) -> pl.DataFrame:
    """The deliveries of this run: paths whose bytes differ from what they last held (or that are new),
    numbered from first_id in the order of the spec's tie-break within a run: by file name, then path."""
    fresh = sorted((d for d in deliveries if latest.get(d.rel_path) != d.sha256),
                   key=lambda d: (d.file_name, d.rel_path))
    return pl.DataFrame({"delivery_id": range(first_id, first_id + len(fresh)), "path": [d.rel_path for d in fresh],
                         "sha256": [d.sha256 for d in fresh], "file_name": [d.file_name for d in fresh],
                         "run_id": [run_id] * len(fresh), "delivered_at": [now] * len(fresh),
                         "mtime_ns": [d.mtime_ns for d in fresh]}, schema=SCHEMA)


def append_log(raw_store: Path, frame: pl.DataFrame) -> None:
    """Add deliveries to the log and flush them to disk (before the store commits them: the log never misses
    a delivery the store holds)."""
    if frame.height == 0:
        return
    void_log.append_entries(log_path(raw_store), "".join(
        json.dumps({**row, "delivered_at": row["delivered_at"].isoformat()}, ensure_ascii=False) + "\n"
        for row in frame.iter_rows(named=True)))


def replayed(logged: pl.DataFrame, inbox: list[Delivery], raw_store: Path,
             also_present: set[tuple[str, str]] = frozenset()) -> list[Delivery]:
    """For a store being rebuilt: the logged versions no longer in the inbox (overwritten or removed), read back
    from the raw store, so the history and the current versions come out as they were. also_present: the (hash,
    name) of the inbox's paths not among `inbox` (those settled without a Delivery each)."""
    if logged.height == 0:  # nothing logged that the store lacks: the common case, every night
        return []
    present = {(d.sha256, d.file_name) for d in inbox} | set(also_present)
    found: dict[tuple[str, str], Delivery] = {}
    for row in logged.sort("delivery_id").iter_rows(named=True):
        key = (row["sha256"], row["file_name"])
        if key in present or key in found:
            continue
        if (kept := kept_delivery(raw_store, row["path"], *key)) is not None:
            found[key] = kept
    return list(found.values())
