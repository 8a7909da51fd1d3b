"""Two runs on one database: the second exits at once naming the first, or waits with --wait."""
from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from core.lock import EXIT_BUSY
from tests.support.processes import POVMON, start_duckdb_session, start_holder
from tests.support.returns import csv_bytes, household, make_city

pytestmark = pytest.mark.slow  # runs the povmon command in other processes: not in make test-fast


def povmon_run(root: Path, *extra: str) -> subprocess.CompletedProcess:
    """`povmon run` on root's city as a separate process."""
    env = os.environ | {"POVMON_PREFECT_HOME": str(root / ".prefect")}
    return subprocess.run([*POVMON, "run", "--inbox", str(root / "inbox"), "--reference", str(root / "reference"),
                           "--db", str(root / "db.duckdb"), "--out", str(root / "out"), *extra],
                          capture_output=True, text=True, env=env, timeout=300)


def test_second_run_exits_at_once_naming_the_first(tmp_path):
    inbox, _ = make_city(tmp_path)
    (inbox / "430521001001_202003.csv").write_bytes(csv_bytes([household("430521001001", 1)]))
    holder = start_holder(tmp_path / "db.duckdb", 60)
    try:
        started = time.monotonic()
        result = povmon_run(tmp_path)
        assert result.returncode == EXIT_BUSY
        assert f"pid {holder.pid}" in result.stderr and "started" in result.stderr
        assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
        assert time.monotonic() - started < 30  # no Prefect start-up, no waiting
    finally:
        holder.kill()
        holder.wait()


def test_wait_runs_once_the_first_is_done(tmp_path):
    inbox, _ = make_city(tmp_path)
    (inbox / "430521001001_202003.csv").write_bytes(csv_bytes([household("430521001001", 1)]))
    holder = start_holder(tmp_path / "db.duckdb", 5)
    result = povmon_run(tmp_path, "--wait")
    holder.wait()
    assert result.returncode == 0, result.stderr
    assert "1 new files (1 loaded" in result.stdout


def test_a_run_waits_out_another_programs_duckdb_session_with_wait(tmp_path):
    # an analyst's DuckDB shell holds the file's own lock, which povmon's lock file does not see: the run tries
    # again until it lets go, instead of failing after its three retries
    inbox, _ = make_city(tmp_path)
    (inbox / "430521001001_202003.csv").write_bytes(csv_bytes([household("430521001001", 1)]))
    povmon_run(tmp_path)  # the store file exists
    (inbox / "430521001002_202003.csv").write_bytes(csv_bytes([household("430521001002", 1)]))
    session = start_duckdb_session(tmp_path / "db.duckdb", 25)
    result = povmon_run(tmp_path, "--wait")
    session.wait()
    assert result.returncode == 0, result.stderr
    assert "1 new files (1 loaded" in result.stdout
