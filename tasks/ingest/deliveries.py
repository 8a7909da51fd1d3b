"""The delivery log: each time an inbox path holds bytes it did not hold before, in delivery order. Kept in the
store (table deliveries) and appended to <raw store>/deliveries.jsonl, so that a store rebuilt from the raw
store and the log picks the same current versions (spec: village-return.md, The drop folder)."""
from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

import polars as pl

from tasks.ingest.discover import RAW_SUFFIX, Delivery, kept_size, raw_path

LOG_NAME = "deliveries.jsonl"
SCHEMA = {"delivery_id": pl.Int32, "path": pl.Utf8, "sha256": pl.Utf8, "file_name": pl.Utf8,
          "run_id": pl.Int32, "delivered_at": pl.Datetime("us")}


def log_path(raw_store: Path) -> Path:
    """Where the delivery log lies: beside the raw bytes it orders."""
    return Path(raw_store) / LOG_NAME


def read_log(raw_store: Path) -> pl.DataFrame:
    """Every delivery the log holds (a line cut short by a crash is left out)."""
    records = []
    path = log_path(raw_store)
    if path.exists():
        # lines end at \n only: a name may hold U+2028 or \x85 (written raw), which splitlines() breaks on
        for line in path.read_text(encoding="utf-8").split("\n"):
            try:
                record = json.loads(line)
                records.append({**record, "delivered_at": datetime.fromisoformat(record["delivered_at"])})
            except (ValueError, KeyError, TypeError):
                continue
    frame = pl.DataFrame(records, schema=SCHEMA)
    return frame.unique("delivery_id", keep="last", maintain_order=True)  # a failed run's ids are used again


def last_logged_id(raw_store: Path) -> int:
    """The highest delivery id the log holds (0 without a log): ids only grow, so the last whole line has it."""
    path = log_path(raw_store)
    if not path.exists():
        return 0
    with open(path, "rb") as handle:
        handle.seek(max(0, path.stat().st_size - (1 << 16)))
        lines = handle.read().decode("utf-8", "replace").split("\n")
    for line in reversed(lines):
        try:
            return int(json.loads(line)["delivery_id"])
        except (ValueError, KeyError, TypeError):
            continue
    return int(read_log(raw_store)["delivery_id"].max() or 0)


def new_deliveries(deliveries: list[Delivery], latest: dict[str, str], first_id: int, run_id: int,
                   now: datetime) -> pl.DataFrame:
    """The deliveries of this run: paths whose bytes differ from what they last held (or that are new),
    numbered from first_id in the order of the spec's tie-break within a run: by file name, then path."""
    fresh = sorted((d for d in deliveries if latest.get(d.rel_path) != d.sha256),
                   key=lambda d: (d.file_name, d.rel_path))
    return pl.DataFrame({"delivery_id": range(first_id, first_id + len(fresh)), "path": [d.rel_path for d in fresh],
                         "sha256": [d.sha256 for d in fresh], "file_name": [d.file_name for d in fresh],
                         "run_id": [run_id] * len(fresh), "delivered_at": [now] * len(fresh)}, schema=SCHEMA)


def append_log(raw_store: Path, frame: pl.DataFrame) -> None:
    """Add deliveries to the log and flush them to disk (before the store commits them: the log never misses
    a delivery the store holds)."""
    if frame.height == 0:
        return
    path = log_path(raw_store)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    lines = "".join(json.dumps({**row, "delivered_at": row["delivered_at"].isoformat()}, ensure_ascii=False) + "\n"
                    for row in frame.iter_rows(named=True))
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        handle.write(lines)
        handle.flush()
        os.fsync(handle.fileno())


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
        raw = raw_path(raw_store, row["sha256"])
        if raw is None:
            continue
        found[key] = Delivery(str(raw), row["path"], row["file_name"], kept_size(raw), raw.stat().st_mtime_ns,
                              row["sha256"], packed=raw.suffix == RAW_SUFFIX)
    return list(found.values())
