"""The inbox walked and each path's lstat taken, by the discover step or, for a `povmon run`, ahead of it while
Prefect's temporary server boots: the run's process has imported what it needs by then and waits ~2-3 s with a
core to spare, and a province's inbox (462,000 paths) takes ~1.5-2 s to walk. Standard library only, so that
starting the walk ahead delays nothing.

A scan taken ahead stands for the listing the discover step would take itself a few seconds later: a file that
arrives in between is left for the next run, as one arriving just after the listing is. It is used by the run it
was taken for alone (`taken_ahead` ... `take`); any other run walks the inbox itself."""
from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tasks.ingest.discover import as_text, path_text, walk_files


@dataclass
class Scan:
    """Every path under an inbox in the order walked (`listed` of them): those still being written or unreadable
    now (arriving: walk index, path as the OS gave it), and for the others their walk index, full path, relative
    path as the OS gave it and as text, name as text, size, mtime (ns) and mode."""

    listed: int = 0
    arriving: list[tuple[int, str]] = field(default_factory=list)
    order: list[int] = field(default_factory=list)
    fulls: list[str] = field(default_factory=list)
    raw_rels: list[str] = field(default_factory=list)
    rels: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    mtimes: list[int] = field(default_factory=list)
    modes: list[int] = field(default_factory=list)


def scan_inbox(inbox: Path, settle_seconds: float, now: float | None = None) -> Scan:
    """Walk the inbox: a path changed within `settle_seconds` of now, or one that cannot be looked at, is arriving
    (left for the next run, not read half-written); one dated more than `settle_seconds` ahead (a clock set wrong,
    times kept by a copy) is not: a write in progress is dated now."""
    now = time.time() if now is None else now
    paths = walk_files(str(inbox))
    scan = Scan(listed=len(paths))
    for index, (full, rel, name) in enumerate(paths):
        try:
            entry = os.lstat(full)
        except OSError:  # vanished or unreadable: look again next run
            scan.arriving.append((index, rel))
            continue
        if -settle_seconds <= now - entry.st_mtime < settle_seconds:
            scan.arriving.append((index, rel))
            continue
        scan.order.append(index)
        scan.fulls.append(full)
        scan.raw_rels.append(rel)
        scan.rels.append(rel if rel.isascii() else path_text(rel))  # path_text's own test, inlined (462,000 calls)
        scan.names.append(name if name.isascii() else as_text(name))
        scan.sizes.append(entry.st_size)
        scan.mtimes.append(entry.st_mtime_ns)
        scan.modes.append(entry.st_mode)
    return scan


def scan_key(inbox: Path, settle_seconds: float) -> tuple[str, float]:
    """What a scan taken ahead must match to stand for a run's listing: the inbox (resolved) and settling time."""
    return str(Path(inbox).resolve()), float(settle_seconds)


class _Ahead:
    """A scan being taken in a thread of its own, for one inbox and settling time."""

    def __init__(self, inbox: Path, settle_seconds: float):
        self.key = scan_key(inbox, settle_seconds)
        self.scan: Scan | None = None
        self.thread = threading.Thread(target=self._walk, args=(inbox, settle_seconds), name="povmon-inbox-scan",
                                       daemon=True)
        self.thread.start()

    def _walk(self, inbox: Path, settle_seconds: float) -> None:
        try:
            self.scan = scan_inbox(inbox, settle_seconds)
        except Exception:  # noqa: BLE001 - the discover step walks the inbox itself and meets the error there
            self.scan = None


_ahead: list[_Ahead] = []
_lock = threading.Lock()


@contextmanager
def taken_ahead(inbox: Path, settle_seconds: float) -> Iterator[None]:
    """Walk the inbox in a thread while the block (one run) starts; the run's discover step takes the scan
    (`take`); whatever it did not take is dropped when the block ends."""
    with _lock:
        try:
            _ahead[:] = [_Ahead(inbox, settle_seconds)]
        except Exception:  # noqa: BLE001 - an inbox that cannot be looked at: the discover step says why
            _ahead.clear()
    try:
        yield
    finally:
        with _lock:
            _ahead.clear()


@contextmanager
def walked_ahead(inbox: Path, settle_seconds: float) -> Iterator[None]:
    """taken_ahead, unless a scan of this inbox and settling time is being taken already (the command line's, while
    Prefect's server booted): a flow run that `povmon serve`'s worker started walks the inbox while it opens the
    store and reads the reference list (~0.3 s of a city night's 51,000 paths, on the core the run leaves idle)."""
    with _lock:
        try:
            pending = any(ahead.key == scan_key(inbox, settle_seconds) for ahead in _ahead)
        except (OSError, TypeError, ValueError):  # not a path: the discover step says why
            pending = True
    if pending:
        yield
        return
    with taken_ahead(inbox, settle_seconds):
        yield


def take(inbox: Path, settle_seconds: float) -> Scan | None:
    """The scan taken ahead for this inbox and settling time, once (None when there is none, or it failed)."""
    with _lock:
        ahead = _ahead.pop() if _ahead else None
    try:
        if ahead is None or ahead.key != scan_key(inbox, settle_seconds):
            return None
    except (OSError, TypeError, ValueError):
        return None
    ahead.thread.join()
    return ahead.scan
