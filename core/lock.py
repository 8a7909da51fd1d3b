"""One writer at a time: an advisory lock beside the DuckDB file, naming the run that holds it."""
from __future__ import annotations

import fcntl
import os
import re
import time
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

EXIT_BUSY = 75  # EX_TEMPFAIL: another run holds the store; try again later
_HELD: set[Path] = set()  # locks this process holds (the CLI takes it before Prefect starts; the flow again)


class StoreBusy(Exception):
    """Another process holds the store; the message names it (pid, start time)."""


def foreign_holder(err: BaseException) -> str | None:
    """The program DuckDB names when another process (a DuckDB shell, a database browser) holds the database file's
    own lock, from the error opening it raised; None for any other error."""
    text = str(err)
    if "Could not set lock on file" not in text:
        return None
    found = re.search(r"Conflicting lock is held in (.+?) \(PID (\d+)\)", text)
    return f"{Path(found[1]).name}, pid {found[2]}" if found else "another program"


def lock_path(db_path: Path) -> Path:
    """The lock file that guards a DuckDB file."""
    return Path(str(db_path) + ".lock")


@contextmanager
def hold_store(db_path: str | Path, wait: bool = False, poll_seconds: float = 1.0):
    """Hold the store's lock for the block; raise StoreBusy at once (or wait, with wait=True).

    The kernel drops the lock when the holder dies, even by SIGKILL, so a crash never leaves it stale.
    """
    path = lock_path(Path(db_path)).resolve()
    if path in _HELD:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+", encoding="utf-8")
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not wait:
                    handle.seek(0)
                    holder = handle.read().strip() or "an unknown process"
                    raise StoreBusy(f"another povmon run holds {db_path} ({holder}); "
                                    "try again later or pass --wait") from None
                time.sleep(poll_seconds)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, started {datetime.now().isoformat(timespec='seconds')}")
        handle.flush()
        _HELD.add(path)
        yield
    finally:
        _HELD.discard(path)
        handle.close()
