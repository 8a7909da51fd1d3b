"""Crash safety: a run killed with SIGKILL at several points leaves each batch wholly in or out."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.slow


def start_run(city: Path, work: Path) -> subprocess.Popen:
    """`povmon run` over the small city into work/, as a separate process."""
    env = os.environ | {"POVMON_PREFECT_HOME": str(work.parent / "prefect"), "POVMON_SETTLE_SECONDS": "0"}
    return subprocess.Popen([sys.executable, "-m", "povmon.cli", "run", "--inbox", str(city / "inbox"),
                             "--reference", str(city / "reference"), "--db", str(work / "db.duckdb"),
                             "--out", str(work / "out")], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def size(path: Path) -> int:
    """A file's size, 0 when absent."""
    return path.stat().st_size if path.exists() else 0


KILL_POINTS = {  # name -> (condition on the database file and its write-ahead log, the first run's possible ends)
    "while starting or reading files": (lambda db, wal: size(wal) > 0, {(), ("interrupted",)}),
    "mid-load": (lambda db, wal: size(wal) > 1_000_000, {("interrupted",)}),
    "during checkpoint or exports": (lambda db, wal: size(db) > 1_000_000, {("interrupted",), ("completed",)}),
}


def kill_when(run: subprocess.Popen, db: Path, condition) -> bool:
    """SIGKILL the run as soon as the condition holds; True if it was still running then."""
    wal = Path(str(db) + ".wal")
    deadline = time.monotonic() + 240
    while run.poll() is None and time.monotonic() < deadline:
        if condition(db, wal):
            run.send_signal(signal.SIGKILL)
            run.wait()
            return True
        time.sleep(0.003)
    run.wait()
    return False


def fingerprint(db: Path) -> dict:
    """What a complete run leaves: row counts per file, problems, and the accounting check."""
    with duckdb.connect(str(db), read_only=True) as con:
        def q(sql):
            return con.execute(sql).fetchall()
        return {
            "files": q("SELECT file_name, sha256, status, rows_read, rows_skipped, rows_used, rows_quarantined "
                       "FROM source_files ORDER BY file_name, sha256"),
            "rows": q("SELECT count(*), count(DISTINCT (file_id, source_row)) FROM return_rows"),
            "rows_by_file": q("SELECT f.file_name, count(*) FROM return_rows r JOIN source_files f USING (file_id) "
                              "GROUP BY 1 ORDER BY 1"),
            "problems": q("SELECT count(*) FROM problems"),
            "unbalanced": q("SELECT count(*) FROM source_files WHERE status = 'loaded' "
                            "AND rows_read <> rows_used + rows_quarantined + rows_skipped"),
        }


def test_killed_runs_leave_batches_whole(small_city, tmp_path):
    reference = tmp_path / "reference-run"
    assert start_run(small_city, reference).wait() == 0
    expected = fingerprint(reference / "db.duckdb")
    expected_problems = (reference / "out" / "exports" / "problems.csv").read_bytes()
    assert expected["rows"][0][0] == expected["rows"][0][1] > 0 and expected["unbalanced"] == [(0,)]
    for name, (condition, first_ends) in KILL_POINTS.items():
        work = tmp_path / name.replace(" ", "-")
        assert kill_when(start_run(small_city, work), work / "db.duckdb", condition), f"run ended before {name}"
        finished = start_run(small_city, work)
        assert finished.wait() == 0, finished.stderr.read().decode()
        assert fingerprint(work / "db.duckdb") == expected, name
        assert (work / "out" / "exports" / "problems.csv").read_bytes() == expected_problems, name
        with duckdb.connect(str(work / "db.duckdb"), read_only=True) as con:
            statuses = con.execute("SELECT status FROM runs ORDER BY run_id").fetchall()
        assert statuses[-1] == ("completed",) and tuple(s for (s,) in statuses[:-1]) in first_ends, name
