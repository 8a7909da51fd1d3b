"""A rerun after a killed run renders the pages of the counties whose files that run loaded and never published."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.support.returns import make_city
from tests.test_crash import POVMON
from tests.test_crash_delivery_log import deliver

pytestmark = pytest.mark.slow

KILLED_AFTER_LOAD = ("-c", "import os, signal, sys\nfrom tasks.ingest import load\nloaded = load.load_batch\n"
                     "def load_and_die(*args, **kwargs):\n    loaded(*args, **kwargs)\n"
                     "    os.kill(os.getpid(), signal.SIGKILL)\n"  # SIGKILL once the batch is committed
                     "load.load_batch = load_and_die\nfrom povmon.cli import main\nsys.exit(main(sys.argv[1:]))\n")


def povmon(city: Path, work: Path, *command: str, program: tuple[str, ...] = POVMON) -> int:
    """A `povmon run` or `rerun` over the city into work/, as a separate process; returns its exit status."""
    env = os.environ | {"POVMON_PREFECT_HOME": str(work.parent / "prefect"), "POVMON_SETTLE_SECONDS": "0"}
    done = subprocess.run([sys.executable, *program, *command, "--inbox", str(city / "inbox"),
                           "--reference", str(city / "reference"), "--db", str(work / "db.duckdb"),
                           "--out", str(work / "out"), "--today", "2020-04-10"],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode in (0, -signal.SIGKILL), done.stderr
    return done.returncode


def test_a_rerun_after_a_killed_run_renders_the_county_pages_of_the_files_that_run_loaded(tmp_path):
    """A night killed once its batch of county 430522's correction committed, then a rerun of county 430521: the
    rerun rendered 430521's page and the city page (with 430522's corrected figures) but not 430522's, which went on
    showing the figures before the correction, beside a city page and a store holding it, until the next night."""
    city, work = tmp_path / "city", tmp_path / "work"
    make_city(city)
    deliver(city, "430521001001_202003.csv", "1000")
    deliver(city, "430522001001_202003.csv", "1000")
    assert povmon(city, work, "run") == 0
    deliver(city, "430522001001_202003_更正.csv", "900")
    assert povmon(city, work, "run", program=KILLED_AFTER_LOAD) == -signal.SIGKILL
    assert povmon(city, work, "rerun", "--county", "430521") == 0
    with duckdb.connect(str(work / "db.duckdb"), read_only=True) as con:
        runs = con.execute("SELECT run_id, kind, status FROM runs ORDER BY run_id").fetchall()
    assert runs == [(1, "run", "completed"), (2, "run", "interrupted"), (3, "rerun", "completed")]
    for county in ("430521", "430522"):
        assert "本页由运行 #3 " in (work / "out" / "reports" / f"{county}.html").read_text(encoding="utf-8"), county
