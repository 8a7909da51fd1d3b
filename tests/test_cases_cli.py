"""`povmon cases export/import` as a user runs them: the store's lock, exit codes, and a SIGKILL mid-import."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import duckdb
import pytest

from core.lock import EXIT_BUSY, hold_store
from tests.support.processes import start_duckdb_session
from tests.support.cases_store import LOW, fill_workbook, hid, judge, ledger_store, save_to_file
from tests.support.store_builder import year_periods

pytestmark = pytest.mark.slow  # the command in other processes

POVMON = [sys.executable, "-m", "povmon.cli"]
KILLABLE_IMPORT = """
import sys, time
from pathlib import Path
from tasks.cases import ledger
from povmon.cli import main
derive = ledger.derive_cases
def slow_derive(*args, **kwargs):
    derive(*args, **kwargs)
    Path(sys.argv[1]).write_text("inside the transaction")
    time.sleep(60)
ledger.derive_cases = slow_derive
main(sys.argv[2:])
"""


@pytest.fixture()
def store(tmp_path):
    """A DuckDB file whose ledger has BELOW_LINE cases for households 1–3, and its exported workbook filled in."""
    con, settings = ledger_store({n: [LOW] * 6 for n in (1, 2, 3)}, year_periods(2020, 6))
    judge(con, settings, "202003", date(2020, 4, 5))
    save_to_file(con, tmp_path / "db.duckdb")
    options = ["--db", str(tmp_path / "db.duckdb"), "--out", str(tmp_path / "out"), "--today", "2020-04-20"]
    done = run_cli(["cases", "export", *options])
    assert done.returncode == 0, done.stderr
    ids = cases_of(tmp_path / "db.duckdb")
    fill_workbook(tmp_path / "out" / "exports" / "cases" / "430521.xlsx", tmp_path / "filled.xlsx",
                  {ids[hid(n)]: ("属实", None, "李四", "2020-04-12", None) for n in (1, 2, 3)})
    return tmp_path, options


def run_cli(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run povmon with these arguments."""
    return subprocess.run(POVMON + args, capture_output=True, text=True, timeout=120, **kwargs)


def cases_of(path: Path) -> dict[str, str]:
    """case_id by subject of a store file."""
    with duckdb.connect(str(path), read_only=True) as con:
        return dict(con.execute("SELECT subject_key, case_id FROM cases").fetchall())


def statuses(path: Path) -> list[str]:
    """Every case's status."""
    with duckdb.connect(str(path), read_only=True) as con:
        return sorted(s for (s,) in con.execute("SELECT status FROM cases").fetchall())


def test_another_programs_duckdb_session_makes_an_import_busy_or_wait(store):
    # DuckDB's own lock (an analyst's shell, a database browser): 75 with one line naming the program, or waited out
    root, options = store
    session = start_duckdb_session(root / "db.duckdb", 8)
    try:
        busy = run_cli(["cases", "import", str(root / "filled.xlsx"), *options])
        assert busy.returncode == EXIT_BUSY, busy.stderr
        assert f"pid {session.pid}" in busy.stderr and "--wait" in busy.stderr
        assert "Traceback" not in busy.stderr and len(busy.stderr.strip().splitlines()) == 1
        waited = run_cli(["cases", "import", str(root / "filled.xlsx"), "--wait", *options])
    finally:
        session.kill()
        session.wait()
    assert waited.returncode == 0, waited.stderr
    assert "3 rows applied, 0 unchanged, 0 refused" in waited.stdout


def test_import_waits_for_the_lock_or_exits_75(store):
    root, options = store
    with hold_store(root / "db.duckdb"):
        busy = run_cli(["cases", "import", str(root / "filled.xlsx"), *options])
        assert busy.returncode == EXIT_BUSY and "holds" in busy.stderr
        waiting = subprocess.Popen(POVMON + ["cases", "import", str(root / "filled.xlsx"), "--wait", *options],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(2.0)
        assert waiting.poll() is None  # still waiting while the lock is held
    out, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, err
    assert "3 rows applied, 0 unchanged, 0 refused" in out
    assert statuses(root / "db.duckdb") == ["confirmed"] * 3
    assert (root / "out" / "exports" / "cases.csv").read_text(encoding="utf-8-sig").count("confirmed") == 3


def test_an_unreadable_file_exits_non_zero_with_one_line(store):
    root, options = store
    (root / "return.csv").write_text("户编号\n1\n", encoding="utf-8")
    done = run_cli(["cases", "import", str(root / "return.csv"), *options])
    assert done.returncode == 1 and len(done.stderr.strip().splitlines()) == 1 and "return.csv" in done.stderr


def test_a_sigkill_during_an_import_applies_none_of_its_rows(store):
    root, options = store
    marker = root / "inside"
    killed = subprocess.Popen([sys.executable, "-c", KILLABLE_IMPORT, str(marker), "cases", "import",
                               str(root / "filled.xlsx"), *options], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not marker.exists() and killed.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert marker.exists(), killed.stderr.read().decode() if killed.poll() is not None else "no marker"
    os.kill(killed.pid, signal.SIGKILL)
    killed.wait(timeout=30)
    assert statuses(root / "db.duckdb") == ["open"] * 3
    with duckdb.connect(str(root / "db.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM case_events WHERE event = 'decision'").fetchall()[0][0] == 0
    done = run_cli(["cases", "import", str(root / "filled.xlsx"), *options])
    assert done.returncode == 0 and statuses(root / "db.duckdb") == ["confirmed"] * 3
