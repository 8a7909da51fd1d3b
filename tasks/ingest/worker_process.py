"""A reading worker process: its start (tied to its parent, its modules imported), its exit, and Polars on one
thread in it."""
from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import logging
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from core.collector import collector_paused

PR_SET_PDEATHSIG = 1  # prctl option: the signal a process gets when its parent dies


def start_worker() -> None:
    """A reading worker's start: tied to its parent (die_with_parent), then what its chunks use imported with the
    cycle collector paused and frozen, so the full collections during the rows' parse do not walk it again."""
    die_with_parent()
    atexit.register(leave_without_teardown)
    with collector_paused():
        import tasks.ingest.row_check  # noqa: F401  (read_chunk's module too)


def leave_without_teardown() -> None:
    """A reading worker's last exit duty: flush what it wrote and end without the interpreter's teardown of its
    modules, in which DuckDB's bindings (nanobind) print pages of "leaked instances" into the run's output (every
    run over PARALLEL_MIN_FILES files, `make demo`'s first); the worker holds nothing the system does not free."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def die_with_parent() -> None:
    """In a worker process: be killed when the process that started it dies, even by kill -9 (Linux), so no
    worker holding hundreds of MB outlives an interrupted run; and leave a terminal's Ctrl-C (SIGINT to the whole
    group) to the run, which stops the pool: a worker interrupted mid-chunk broke the pool's pipes, and the run
    hung in its shutdown."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the pool's own shutdown is all there is
        return
    if os.getppid() == 1:  # the parent died before the request was made
        os._exit(1)


@contextmanager
def single_threaded_polars() -> Iterator[None]:
    """Worker processes started meanwhile run Polars on one thread: there is one worker per core already, and
    Polars' idle threads spin (twice the CPU for the same parse). Read by a worker's Polars when it starts (the
    parent's own thread pool is long made)."""
    before = os.environ.get("POLARS_MAX_THREADS")
    os.environ["POLARS_MAX_THREADS"] = "1"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("POLARS_MAX_THREADS", None)
        else:
            os.environ["POLARS_MAX_THREADS"] = before
