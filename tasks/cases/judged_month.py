"""The latest as-of month a run judged the ledger for, kept in the raw store beside the ledger's log
(<raw store>/case_events.judged.json, written by the store that writes the log: log_writer), so that a store rebuilt
from the raw store, whose runs table starts empty, knows it: a run as of an earlier month right after the rebuild then
closes nothing a later month's run kept open (evaluate.close_reason), as it would on the store deleted."""
from __future__ import annotations

import json
import os
from pathlib import Path

from core.files import atomic_path

RECORD_NAME = "case_events.judged.json"


def record_path(raw_store: Path) -> Path:
    """Where the month lies: beside the ledger's log."""
    return Path(raw_store) / RECORD_NAME


def read(raw_store: Path | None) -> str | None:
    """The latest as-of month recorded (None: a store in memory, or no run has recorded one yet)."""
    if raw_store is None or not record_path(raw_store).exists():
        return None
    try:
        return json.loads(record_path(raw_store).read_text(encoding="utf-8"))["judged_until"]
    except (ValueError, KeyError, TypeError):
        return None  # a record edited by hand into nonsense: the store's runs and events still tell


def record(raw_store: Path | None, as_of: str) -> None:
    """After a run's ledger update committed: keep its as-of month when it is later than the one recorded."""
    if raw_store is None or ((known := read(raw_store)) is not None and known >= as_of):
        return
    with atomic_path(record_path(raw_store)) as partial:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(json.dumps({"judged_until": as_of}).encode("utf-8") + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
