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
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(db), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "holding"
    return holder
