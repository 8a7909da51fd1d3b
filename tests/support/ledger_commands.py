"""The ledger's commands in processes of their own on one village's store (tests/support/returns.make_city), and a
writer of the ledger killed between its log and its commit: the setup the tests of the raw store's logs share."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb

from tests.support.cases_store import fill_workbook
from tests.support.returns import csv_bytes, household, make_city

V1 = "430521001001"
POVMON = ("-m", "povmon.cli")
# SIGKILL right after the ledger's events are logged in the raw store, before the store commits them
KILLED_AFTER_CASE_LOG = ("-c", "import os, signal, sys\nfrom tasks.cases import event_log\n"
                         "logged = event_log.log_events\n"
                         "def log_then_die(*args):\n    logged(*args)\n    os.kill(os.getpid(), signal.SIGKILL)\n"
                         "event_log.log_events = log_then_die\n"
                         "from povmon.cli import main\nsys.exit(main(sys.argv[1:]))\n")
CONFIRMATION = ("属实", "公益岗位", "王五", "2020-03-09", None)
DISMISSAL = ("不属实", None, "李四", "2020-03-11", "有务工收入")


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


def delete_store(db: Path) -> None:
    """The store's database deleted, its raw store kept."""
    for path in (db, Path(f"{db}.wal")):
        path.unlink(missing_ok=True)


def rebuilt(city: Path, today: str) -> tuple[str, list[tuple]]:
    """The ledger of the store deleted and run again as of today on the same raw store and inbox."""
    delete_store(city / "db.duckdb")
    run(city, today)
    return ledger(city)


def confirmed(city: Path) -> None:
    """V1's two poor households run on 2020-03-05, household 1's case confirmed by an import on 2020-03-10."""
    make_city(city)
    deliver(city, f"{V1}_202002.csv", (1, "1200"), (2, "900"))
    run(city, "2020-03-05")
    confirmation = workbook(city, "confirmation.xlsx", "2020-03-10", {1: CONFIRMATION})
    assert povmon(city, city / "db.duckdb", "cases", "import", str(confirmation), "--today", "2020-03-10").returncode == 0


def confirmed_then_dismissal_killed(city: Path) -> None:
    """confirmed, then household 2's dismissal imported on 2020-03-11 by a process killed after the ledger's log,
    before the store's commit: logged, never committed."""
    confirmed(city)
    dismissal = workbook(city, "dismissal.xlsx", "2020-03-11", {2: DISMISSAL})
    killed = povmon(city, city / "db.duckdb", "cases", "import", str(dismissal), "--today", "2020-03-11",
                    program=KILLED_AFTER_CASE_LOG)
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()
    assert "不属实" in (city / "raw" / "case_events.jsonl").read_text(encoding="utf-8")
