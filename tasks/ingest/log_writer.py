"""Which store writes a raw store's delivery log. The log (tasks/ingest/deliveries.py) is one store's history: a
run voids the lines above its own highest delivery id, so two stores appending to one log would void each other's
deliveries, and a store rebuilt from the raw store would lose them (a version no longer current, or one current
that never was). So each store has an id (table store_identity, given on its first run) and the raw store names
the store writing its log: <raw store>/deliveries.writer.json, {"store_id", "db": its absolute path, "raw_store":
the raw store's own}. The record covers the raw store's case ledger logs as well (<raw store>/case_events.jsonl and
case_import_refusals.jsonl, tasks/cases/event_log.py, refusal_log.py: voided and read back alike), which `cases
import` takes as a run does. A run takes the log before it is recorded:

- no record (a raw store new, or kept by an earlier povmon), or one naming another raw store (this one a copy,
  made with a copy of its store: a store and a raw store of their own): this store writes the log from now on;
- the record names this store at this path: nothing to do;
- this store holds no delivery (new, or being rebuilt, which reads the log back): it takes the log over, unless the
  store named is still there under another path (a second store beside it, not a rebuild): refused;
- this store holds deliveries and has the id named but another path: moved, it takes its log along; a copy
  beside its original (still there) is refused;
- this store holds deliveries and is another store (another id, or none: one from before ids): refused.

A refused run changes neither the store nor the raw store (a new store's file is not even made): RawStoreTaken,
which names both stores' paths and what to do."""
from __future__ import annotations

import fcntl
import json
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import duckdb

from core import db
from core.files import atomic_path

RECORD_NAME = "deliveries.writer.json"
OWN_RAW_STORE = "--raw-store DIR, $POVMON_RAW_STORE or [paths] raw_store"  # how a store gets a raw store of its own


class RawStoreTaken(Exception):
    """Another store writes the raw store's delivery log: this store's runs would void its deliveries there (or it
    this store's). An unusable run: nothing changed; the message names both stores and what to do."""


def record_path(raw_store: Path) -> Path:
    """Where a raw store names the store writing its delivery log."""
    return Path(raw_store) / RECORD_NAME


def read_record(raw_store: Path) -> dict | None:
    """The raw store's writer ({"store_id", "db"}), None when it names none: new, kept by an earlier povmon, or a
    copy of another raw store (the record copied with it names that one)."""
    path = record_path(raw_store)
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        named = {"store_id": str(record["store_id"]), "db": str(record["db"]), "raw_store": str(record["raw_store"])}
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError) as err:  # written whole (renamed into place): edited by hand
        raise RawStoreTaken(f"{path} does not name the store writing the delivery log of {raw_store} ({err}); "
                            "delete it if this store is to write that log") from None
    return named if named["raw_store"] == str(Path(raw_store).resolve()) else None


def refusal(record: dict | None, store_id: str | None, ours: Path, holds_deliveries: bool,
            raw_store: Path) -> str | None:
    """Why this store (its id, absolute path, whether it holds a delivery) may not write the log of the raw store
    (absolute path); None when it may (see the module)."""
    if record is None or (record["store_id"] == store_id and record["db"] == str(ours)):
        return None
    theirs = Path(record["db"])
    # the same file by another path (a bind mount, a second mount of one share) is this store, not a copy beside it
    still_there = theirs != ours and theirs.exists() and not same_file(theirs, ours)
    own = f"Give this store a raw store of its own ({OWN_RAW_STORE}"
    if not holds_deliveries:
        return None if not still_there else (
            f"the delivery log of the raw store {raw_store} is written by the store {theirs}, which is still there: "
            f"this store {ours}, holding no delivery, would take it over as a store rebuilt from it does (a rebuild "
            f"is of a store deleted), and the next run of {theirs} would be refused. {own}; a copy of {raw_store} "
            f"holds the history so far), or delete or move {theirs} first to rebuild it here")
    if record["store_id"] == store_id:
        return None if not still_there else (
            f"the store {ours} is a copy of {theirs}, which writes the delivery log of the raw store {raw_store}: "
            f"both writing it, each would void the other's deliveries there. {own}; a copy of {raw_store} taken "
            f"with it holds its history), or delete or move {theirs} first if this copy is the store from now on")
    writer = ("another store, last run at this same path (this one was put there since: an older copy?)"
              if theirs == ours else f"another store, last run at {theirs}")
    return (f"the delivery log of the raw store {raw_store} is written by {writer}, not by the store {ours}: its "
            f"runs would void the deliveries that store logged, and a store rebuilt from {raw_store} would lose "
            f"them. {own}); only to drop what that store logged and write the log from this one, delete "
            f"{record_path(raw_store)}")


def same_file(one: Path, other: Path) -> bool:
    """Whether two paths name one file (False when either cannot be looked at)."""
    try:
        return os.path.samefile(one, other)
    except OSError:
        return False


def refuse_new_store(db_path: Path, raw_store: Path) -> None:
    """Before a store not made yet is made: raise RawStoreTaken when the raw store's writer is still there elsewhere
    (so a refused run leaves no file behind)."""
    if not Path(db_path).exists():
        raw_store = Path(raw_store).resolve()
        if reason := refusal(read_record(raw_store), None, Path(db_path).resolve(), False, raw_store):
            raise RawStoreTaken(reason)


def take_log(con: duckdb.DuckDBPyConnection, db_path: Path, raw_store: Path) -> None:
    """Make this store the writer of the raw store's delivery log, giving it its id on its first run; raise
    RawStoreTaken, changing nothing, when another store writes the log (see the module)."""
    ours, raw_store = Path(db_path).resolve(), Path(raw_store).resolve()
    store_id = db.scalar(con, "SELECT max(store_id) FROM store_identity")
    holds = bool(db.scalar(con, "SELECT EXISTS (SELECT 1 FROM deliveries)"))
    with holding(raw_store):  # two stores' first runs at once: one takes the log, the other is refused
        record = read_record(raw_store)
        if reason := refusal(record, store_id, ours, holds, raw_store):
            raise RawStoreTaken(reason)
        if store_id is None:
            store_id = uuid.uuid4().hex
            db.run(con, "load/insert_store_identity", {"store_id": store_id})
        if record is None or record["store_id"] != store_id or record["db"] != str(ours):
            write_record(raw_store, store_id, ours)


@contextmanager
def holding(raw_store: Path) -> Iterator[None]:
    """The raw store's folder locked for the block (made first, owner only, as the raw bytes are kept)."""
    Path(raw_store).mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(raw_store, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # the lock goes with it


def write_record(raw_store: Path, store_id: str, ours: Path) -> None:
    """Name this store (id, absolute path) as the writer of the log of the raw store (absolute path): written
    whole, renamed into place, readable by the owner only."""
    text = json.dumps({"store_id": store_id, "db": str(ours), "raw_store": str(raw_store),
                       "since": datetime.now().isoformat(timespec="seconds")}, ensure_ascii=False)
    with atomic_path(record_path(raw_store)) as partial:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8") + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
