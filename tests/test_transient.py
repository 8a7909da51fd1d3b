"""Transient trouble is retried and waited out; it never turns into a rejected file or a failed run."""
from __future__ import annotations

import subprocess
import sys
from datetime import datetime

from tasks.ingest.listing import list_inbox
from tasks.ingest.batch import read_files
from tasks.ingest.read import FileSlot
from tests.support.returns import csv_bytes, household, make_city
from tests.support.runs import problems, query, run_flow

V1 = "430521001001"
HOLD_DUCKDB = ("import sys, time, duckdb\ncon = duckdb.connect(sys.argv[1])\n"
               "print('open', flush=True); time.sleep(float(sys.argv[2]))\n")


def test_files_that_vanish_or_change_after_hashing_wait_for_the_next_run(tmp_path):
    inbox, _ = make_city(tmp_path)
    (inbox / f"{V1}_202003.csv").write_bytes(csv_bytes([household(V1, 1)]))
    (inbox / f"{V1}_202002.csv").write_bytes(csv_bytes([household(V1, 1)]))
    deliveries, _ = list_inbox(inbox, {}, settle_seconds=0)
    (inbox / f"{V1}_202003.csv").unlink()
    (inbox / f"{V1}_202002.csv").write_bytes(csv_bytes([household(V1, 1), household(V1, 2)]))
    slots = [FileSlot(d, i, 1, datetime.now()) for i, d in enumerate(deliveries, 1)]
    batch = read_files(slots, {V1}, tmp_path / "raw")
    assert batch.files == [] and batch.problems == []
    assert set(batch.unavailable) == {f"{V1}_202003.csv", f"{V1}_202002.csv"}
    assert "changed" in batch.unavailable[f"{V1}_202002.csv"]


def test_a_database_held_by_another_program_is_waited_out(prefect_harness, tmp_path):
    inbox, _ = make_city(tmp_path)
    (inbox / f"{V1}_202003.csv").write_bytes(csv_bytes([household(V1, 1)]))
    holder = subprocess.Popen([sys.executable, "-c", HOLD_DUCKDB, str(tmp_path / "db.duckdb"), "3"],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "open"
    summary = run_flow(tmp_path)  # the first open fails on DuckDB's lock; Prefect retries it
    holder.wait()
    assert summary.files_loaded == 1
    assert query(tmp_path, "SELECT count(*) FROM households_current") == [(1,)]
    assert problems(tmp_path) == []
