"""A reading worker killed between writing a raw-store copy and naming it leaves its temporary file in the raw
store's one folder of temporary files, and the next run sweeps it away; a live writer's is left alone."""
from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tasks.ingest.raw_store import RAW_PARTIALS, is_kept, sweep_raw_partials
from tests.support.returns import csv_bytes, household, make_city
from tests.support.runs import run_nightly

# keep_raw in a process killed (SIGKILL: no clean-up) once its copy is written, before the rename names it
KILLED_AT_RENAME = ("import os, signal, sys\nfrom pathlib import Path\n"
                    "os.replace = lambda *args: os.kill(os.getpid(), signal.SIGKILL)\n"
                    "from tasks.ingest.raw_store import keep_raw\n"
                    "keep_raw(sys.argv[1].encode(), sys.argv[2], Path(sys.argv[3]))\n")


def killed_mid_write(data: bytes, raw_store: Path) -> str:
    """keep_raw of data, killed before its rename; the data's hash."""
    sha = hashlib.sha256(data).hexdigest()
    writer = subprocess.run([sys.executable, "-c", KILLED_AT_RENAME, data.decode(), sha, str(raw_store)],
                            capture_output=True)
    assert writer.returncode == -signal.SIGKILL, writer.stderr.decode()
    return sha


def leftovers(raw_store: Path) -> list[Path]:
    """Every temporary file under the raw store."""
    return sorted(path for path in raw_store.rglob("*.part*") if path.is_file())


def test_a_killed_writer_leaves_its_temporary_file_only_in_the_folder_of_temporary_files(tmp_path):
    """Not beside the kept copies (a sweep there would walk every copy): in raw/.partial, where a sweep finds it."""
    raw_store = tmp_path / "raw"
    sha = killed_mid_write(b"a,b,c\n", raw_store)
    left = leftovers(raw_store)
    assert [path.parent for path in left] == [raw_store / RAW_PARTIALS]
    assert not is_kept(raw_store, sha)
    live = raw_store / RAW_PARTIALS / "f.gz.part1"  # pid 1 is alive: a writer at work
    live.write_bytes(b"x")
    assert sweep_raw_partials(raw_store) == 1
    assert leftovers(raw_store) == [live]


@pytest.mark.usefixtures("prefect_harness")
def test_the_next_run_sweeps_what_a_killed_reading_worker_left_and_keeps_the_file(tmp_path):
    """The killed worker's file came again that night: the run keeps its copy and leaves no temporary file."""
    make_city(tmp_path)
    data = csv_bytes([household("430521001001", 1)])
    (tmp_path / "inbox" / "430521001001_201910.csv").write_bytes(data)
    raw_store = tmp_path / "raw"  # beside the store, as settings_for leaves it
    sha = killed_mid_write(data, raw_store)
    assert len(leftovers(raw_store)) == 1
    run_nightly(tmp_path, today="2019-11-20")
    assert leftovers(raw_store) == []
    assert is_kept(raw_store, sha)
