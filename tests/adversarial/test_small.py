"""Class 8, the smaller ones: Big5 (with English headers) is refused, not loaded as mojibake; an undecodable byte
is reported by its row; a file dated in the future is read, not skipped every night; reading workers die with
the run that started them, even when it is killed; a month or a county that cannot be is a clear error,
not a run that publishes empty exports."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.support.hostile import V1, V2, assert_night_survives, query, tiny_city
from tests.support.returns import csv_bytes, household
from tests.support.runs import run_nightly, run_rerun

ENGLISH = ["household_id", "head_name", "head_id_number", "household_size", "labor_count", "household_type",
           "wage_income", "business_income", "property_income", "transfer_income", "business_expense"]


def test_undecodable_files_are_refused_with_their_row_and_future_files_are_read(prefect_harness, tmp_path):
    inbox = tiny_city(tmp_path)
    traditional = [household(V2, n, name=name) for n, name in enumerate(["陳大文", "黃小明", "林美玲"], 1)]
    for row in traditional:
        row[5] = "脫貧戶"
    (inbox / f"{V2}_202003.csv").write_bytes(csv_bytes(traditional, "big5", header=ENGLISH))
    stray = csv_bytes([household(V2, n) for n in range(1, 9)], "gb18030").split(b"\r\n")
    stray[6] = stray[6].replace(b",3,", b",3\x81\x20,")  # row 7: a lead byte with no trail byte
    (inbox / f"{V2}_202002.csv").write_bytes(b"\r\n".join(stray))
    future = inbox / f"{V1}_202002.csv"
    future.write_bytes(csv_bytes([household(V1, 1)]))
    ahead = time.time() + 400 * 86400
    os.utime(future, (ahead, ahead))
    assert_night_survives(tmp_path, {
        f"{V2}_202003.csv": ("FILE_UNREADABLE", "Big5"),
        f"{V2}_202002.csv": ("FILE_UNREADABLE", "第7行"),
    }, good={f"{V1}_202003.csv", f"{V1}_202002.csv"})
    assert query(tmp_path, "SELECT count(*) FROM return_rows r JOIN source_files f USING (file_id) "
                           "WHERE f.village_code = ?", [V2]) == [(0,)]


WORKER_PARENT = """
import os, sys, time
from concurrent.futures import ProcessPoolExecutor
import multiprocessing
from tasks.ingest.worker_process import die_with_parent
pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"), initializer=die_with_parent)
print(pool.submit(os.getpid).result(), flush=True)
pool.submit(time.sleep, 120)
time.sleep(120)
"""


def test_reading_workers_die_with_a_killed_run(tmp_path):
    parent = subprocess.Popen([sys.executable, "-c", WORKER_PARENT], stdout=subprocess.PIPE, text=True,
                              cwd=os.getcwd(), env={**os.environ, "PYTHONPATH": os.getcwd()})
    worker = int(parent.stdout.readline())
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and os.path.exists(f"/proc/{worker}") and not is_zombie(worker):
        time.sleep(0.1)
    assert not os.path.exists(f"/proc/{worker}") or is_zombie(worker), "the worker outlived its run"


def is_zombie(pid: int) -> bool:
    """Whether a process has exited and only waits to be reaped."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def test_a_month_or_a_county_that_cannot_be_is_a_clear_error(prefect_harness, tmp_path):
    tiny_city(tmp_path)
    for as_of, why in (("201713", "must be a month"), ("209912", "after this month")):
        with pytest.raises(ValueError, match=why):
            run_nightly(tmp_path, as_of=as_of, today="2020-04-05")
    with pytest.raises(ValueError, match="999999 is not a county of admin_units.csv"):
        run_rerun(tmp_path, county="999999")
    assert run_nightly(tmp_path, as_of="202003", today="2020-04-05").files_loaded == 2
