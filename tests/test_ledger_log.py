"""The case ledger's log in the raw store against a killed run or import and a copy of the store: what a store
never committed is never read back by a rebuild, and a copy never writes the log."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.support.cases_store import fill_workbook
from tests.support.returns import csv_bytes, household, make_city
from tests.test_crash import POVMON

pytestmark = pytest.mark.slow  # runs of the real command in processes of their own

V1 = "430521001001"
# SIGKILL right after the ledger's events are logged in the raw store, before the store commits them
KILLED_AFTER_CASE_LOG = ("-c", "import os, signal, sys\nfrom tasks.cases import event_log\n"
                         "logged = event_log.log_events\n"
                         "def log_then_die(*args):\n    logged(*args)\n    os.kill(os.getpid(), signal.SIGKILL)\n"
                         "event_log.log_events = log_then_die\n"
                         "from povmon.cli import main\nsys.exit(main(sys.argv[1:]))\n")


def povmon(city: Path, db: Path, *args: str, program: tuple[str, ...] = POVMON) -> subprocess.CompletedProcess:
    """povmon in a process of its own on the store db (its raw store beside it unless args name one), outputs in
    city/out."""
    env = os.environ | {"POVMON_PREFECT_HOME": str(city / "prefect"), "POVMON_SETTLE_SECONDS": "0"}
    where = ["--db", str(db), "--out", str(city / "out")]
    if args[0] == "run":
        where += ["--inbox", str(city / "inbox"), "--reference", str(city / "reference")]
    return subprocess.run([sys.executable, *program, *args, *where], env=env, capture_output=True, timeout=300)


def run(city: Path, today: str, program: tuple[str, ...] = POVMON) -> None:
    """A night as of today on city/db.duckdb, to its end (or killed, with KILLED_AFTER_CASE_LOG)."""
    done = povmon(city, city / "db.duckdb", "run", "--today", today, program=program)
    assert done.returncode == (0 if program == POVMON else -signal.SIGKILL), done.stderr.decode()


def deliver(city: Path, name: str, *households: tuple[int, str]) -> None:
    """V1's return under a name, its households (number, year-to-date wage)."""
    (city / "inbox" / name).write_bytes(csv_bytes([household(V1, n, wage=wage) for n, wage in households]))


def workbook(city: Path, name: str, today: str, decisions: dict[int, tuple]) -> Path:
    """The county workbook exported today, filled with decisions by V1's household number."""
    assert povmon(city, city / "db.duckdb", "cases", "export", "--today", today).returncode == 0
    with duckdb.connect(str(city / "db.duckdb"), read_only=True) as con:
        ids = dict(con.execute("SELECT household_id, case_id FROM cases WHERE household_id IS NOT NULL").fetchall())
    filled = city / name
    fill_workbook(city / "out" / "exports" / "cases" / "430521.xlsx", filled,
                  {ids[f"{V1}{n:04d}"]: cells for n, cells in decisions.items()})
    return filled


def ledger(city: Path) -> tuple[str, list[tuple]]:
    """exports/cases.csv as the last command wrote it, and the store's case events."""
    with duckdb.connect(str(city / "db.duckdb"), read_only=True) as con:
        events = con.execute("SELECT * FROM case_events ORDER BY seq").fetchall()
    return (city / "out" / "exports" / "cases.csv").read_text(encoding="utf-8-sig"), events


def rebuilt(city: Path, today: str) -> tuple[str, list[tuple]]:
    """The ledger of the store deleted and run again as of today on the same raw store and inbox."""
    for path in (city / "db.duckdb", city / "db.duckdb.wal"):
        path.unlink(missing_ok=True)
    run(city, today)
    return ledger(city)


def test_a_killed_import_leaves_no_decision_for_a_rebuild(tmp_path):
    """A dismissal logged by an import killed before its commit is voided by the next night: the store rebuilt from
    the raw store keeps the household's case open, as the store did, and its other decision."""
    make_city(tmp_path)
    deliver(tmp_path, f"{V1}_202002.csv", (1, "1200"), (2, "900"))
    run(tmp_path, "2020-03-05")
    confirmation = workbook(tmp_path, "confirmation.xlsx", "2020-03-10", {1: ("属实", "公益岗位", "王五", "2020-03-09", None)})
    assert povmon(tmp_path, tmp_path / "db.duckdb", "cases", "import", str(confirmation),
                  "--today", "2020-03-10").returncode == 0
    dismissal = workbook(tmp_path, "dismissal.xlsx", "2020-03-11", {2: ("不属实", None, "李四", "2020-03-11", "有务工收入")})
    killed = povmon(tmp_path, tmp_path / "db.duckdb", "cases", "import", str(dismissal), "--today", "2020-03-11",
                    program=KILLED_AFTER_CASE_LOG)
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()
    assert "不属实" in (tmp_path / "raw" / "case_events.jsonl").read_text(encoding="utf-8")  # logged, never committed
    run(tmp_path, "2020-03-12")
    kept = ledger(tmp_path)
    assert f"{V1}0001,BELOW_LINE,202002,2020-03-05,2020-03-20,assisting,属实,公益岗位," in kept[0]
    assert f"{V1}0002,BELOW_LINE,202002,2020-03-05,2020-03-20,open,,,," in kept[0]
    assert rebuilt(tmp_path, "2020-03-12") == kept


def test_a_first_run_killed_after_logging_its_cases_leaves_none_for_a_rebuild(tmp_path):
    """A store's first run killed between its ledger's log and its commit; a correction then leaves one household
    poor: the next run opens its case only, and a rebuild reads back no case of the other, nor the killed run's."""
    make_city(tmp_path)
    deliver(tmp_path, f"{V1}_202002.csv", (1, "1200"), (2, "900"))
    run(tmp_path, "2020-03-05", KILLED_AFTER_CASE_LOG)
    assert f"{V1}0002" in (tmp_path / "raw" / "case_events.jsonl").read_text(encoding="utf-8")
    deliver(tmp_path, f"{V1}_202002_v2.csv", (1, "1200"), (2, "90000"))
    run(tmp_path, "2020-03-06")
    kept = ledger(tmp_path)
    assert f"{V1}0001,BELOW_LINE,202002,2020-03-06," in kept[0] and f"{V1}0002" not in kept[0]
    assert rebuilt(tmp_path, "2020-03-06") == kept


def test_a_copy_of_the_store_cannot_write_the_ledger_log(tmp_path):
    """`cases import` on a copy of the store beside it (same raw store) is refused and changes neither the copy nor
    the log; the original's import goes on writing it."""
    make_city(tmp_path)
    deliver(tmp_path, f"{V1}_202002.csv", (1, "1200"), (2, "900"))
    run(tmp_path, "2020-03-05")
    filled = workbook(tmp_path, "filled.xlsx", "2020-03-10", {1: ("属实", "公益岗位", "李四", "2020-03-09", None)})
    copy = tmp_path / "copy.duckdb"
    shutil.copy(tmp_path / "db.duckdb", copy)
    log = tmp_path / "raw" / "case_events.jsonl"
    logged = log.read_bytes()
    refused = povmon(tmp_path, copy, "cases", "import", str(filled), "--today", "2020-03-10")
    assert refused.returncode != 0 and "copy" in refused.stderr.decode()
    assert log.read_bytes() == logged
    with duckdb.connect(str(copy), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM case_events WHERE event = 'decision'").fetchall() == [(0,)]
    assert povmon(tmp_path, tmp_path / "db.duckdb", "cases", "import", str(filled),
                  "--today", "2020-03-10").returncode == 0
    assert "属实" in log.read_text(encoding="utf-8")[len(logged.decode("utf-8")):]


def test_an_import_given_another_raw_store_than_its_runs_is_refused(tmp_path):
    """A store whose runs keep their raw store elsewhere (--raw-store): `cases import` without it would log the
    decisions where no rebuild reads them, and is refused, applying nothing; given the runs' raw store, it logs
    them there."""
    make_city(tmp_path)
    deliver(tmp_path, f"{V1}_202002.csv", (1, "1200"), (2, "900"))
    kept = tmp_path / "kept_raw"
    assert povmon(tmp_path, tmp_path / "db.duckdb", "run", "--today", "2020-03-05", "--raw-store", str(kept)).returncode == 0
    filled = workbook(tmp_path, "filled.xlsx", "2020-03-10", {1: ("属实", "公益岗位", "李四", "2020-03-09", None)})
    refused = povmon(tmp_path, tmp_path / "db.duckdb", "cases", "import", str(filled), "--today", "2020-03-10")
    assert refused.returncode != 0 and "--raw-store" in refused.stderr.decode()
    assert not (tmp_path / "raw" / "case_events.jsonl").exists()
    with duckdb.connect(str(tmp_path / "db.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM case_events WHERE event = 'decision'").fetchall() == [(0,)]
    assert povmon(tmp_path, tmp_path / "db.duckdb", "cases", "import", str(filled), "--today", "2020-03-10",
                  "--raw-store", str(kept)).returncode == 0
    assert "公益岗位" in (kept / "case_events.jsonl").read_text(encoding="utf-8")
