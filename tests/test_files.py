"""Atomic writes, and the partial files a killed writer leaves behind."""
from __future__ import annotations

import os
import subprocess
import sys

from core.files import sweep_partials, write_text_atomically


def test_a_killed_writers_partial_files_are_swept_and_a_live_ones_kept(tmp_path):
    """kill -9 skips atomic_path's clean-up and the name's pid is never used again: publish sweeps them."""
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(gone.stdout)
    (tmp_path / "exports" / "cases").mkdir(parents=True)
    stale = [tmp_path / "exports" / f"problems.xlsx.part{dead}", tmp_path / "exports" / "cases" / f"430521.xlsx.part{dead}"]
    for path in stale:
        path.write_bytes(b"half")
    live = tmp_path / "exports" / f"flags.csv.part{os.getpid()}"
    live.write_bytes(b"being written")
    kept = write_text_atomically(tmp_path / "exports" / "notes.part.txt", "a name that only looks like one")
    assert sweep_partials(tmp_path) == 2
    assert not any(path.exists() for path in stale) and live.exists() and kept.exists()
