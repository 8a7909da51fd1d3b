"""Other processes in tests: the povmon command, and a process that holds the store's lock."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

POVMON = [sys.executable, "-m", "povmon.cli"]
HOLD = ("import sys, time; from core.lock import hold_store\n"
        "with hold_store(sys.argv[1]):\n    print('holding', flush=True); time.sleep(float(sys.argv[2]))\n")


def start_holder(db: Path, seconds: float) -> subprocess.Popen:
    """Another process that holds the store's lock for a while."""
    return started(HOLD, db, seconds, "holding")


def started(script: str, db: Path, seconds: float, ready: str) -> subprocess.Popen:
    """A Python process running script on the store for a while, once it has printed ready."""
    process = subprocess.Popen([sys.executable, "-c", script, str(db), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == ready
    return process


OPEN_DUCKDB = ("import sys, time, duckdb\n"
               "con = duckdb.connect(sys.argv[1])\nprint('open', flush=True); time.sleep(float(sys.argv[2]))\n")


def start_duckdb_session(db: Path, seconds: float) -> subprocess.Popen:
    """Another program with the DuckDB file open for a while (an analyst's DuckDB session): DuckDB's own lock,
    not povmon's lock file."""
    return started(OPEN_DUCKDB, db, seconds, "open")


def started_at(pid: int) -> float:
    """When a process started, on the wall clock to the kernel's tick (0.01 s).

    psutil's create_time adds the start's ticks to /proc/stat's btime, whole seconds: up to a second off the wall
    clock, either side of another clock's reading (it failed a comparison with a server's timestamp by 0.37 s on CI).
    Here the boot is placed by /proc/uptime instead."""
    import time

    import psutil

    with open("/proc/uptime", encoding="ascii") as uptime:
        booted = time.time() - float(uptime.read().split()[0])
    return psutil.Process(pid).create_time() - psutil.boot_time() + booted
