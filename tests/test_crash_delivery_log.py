"""A run killed between its delivery log and its commit leaves no line that a rebuilt store would replay."""
from __future__ import annotations

import signal
from pathlib import Path

import duckdb
import pytest

from tests.support.returns import csv_bytes, household, make_city
from tests.test_crash import KILLED_AT_LOAD, POVMON, _record, start_run

pytestmark = pytest.mark.slow


def run_ok(city: Path, work: Path, program: tuple[str, ...] = POVMON) -> None:
    """One run to its end (killed, with KILLED_AT_LOAD)."""
    run = start_run(city, work, program=program)
    stdout, stderr = run.communicate(timeout=300)
    assert run.returncode == (-signal.SIGKILL if program == KILLED_AT_LOAD else 0), stderr.decode()


def deliver(city: Path, name: str, wage: str) -> None:
    """A one-household return of the name's village in the city's inbox."""
    (city / "inbox" / name).write_bytes(csv_bytes([household(name[:12], 1, wage=wage)]))


def history(work: Path) -> dict[str, list[tuple]]:
    """What a store holds of what arrived: its deliveries, every file version, the current ones."""
    with duckdb.connect(str(work / "db.duckdb"), read_only=True) as con:
        return {"deliveries": con.execute("SELECT * FROM deliveries ORDER BY delivery_id").fetchall(),
                "files": con.execute("SELECT file_name, sha256, status FROM source_files ORDER BY ALL").fetchall(),
                "current": con.execute("SELECT file_name FROM current_files ORDER BY ALL").fetchall()}


def rebuilt(city: Path, work: Path) -> dict[str, list[tuple]]:
    """The history of the store deleted and rebuilt from the raw store and the delivery log by the next run."""
    for path in (work / "db.duckdb", work / "db.duckdb.wal"):
        path.unlink(missing_ok=True)
    run_ok(city, work)
    return history(work)


def test_a_delivery_logged_by_a_killed_run_is_never_replayed_once_its_file_is_gone(tmp_path):
    """The killed run's _v2, taken out of the inbox, is voided by the next run: a rebuilt store does not make it current."""
    city, work = tmp_path / "city", tmp_path / "work"
    make_city(city)
    deliver(city, "430521001001_201910.csv", "1000")
    run_ok(city, work)
    deliver(city, "430521001001_201910_v2.csv", "2000")
    run_ok(city, work, KILLED_AT_LOAD)
    assert [r["file_name"] for r in map(_record, log_lines(work)) if r] == [
        "430521001001_201910.csv", "430521001001_201910_v2.csv"]
    assert [d[3] for d in history(work)["deliveries"]] == ["430521001001_201910.csv"]  # the _v2 never committed
    (city / "inbox" / "430521001001_201910_v2.csv").unlink()
    deliver(city, "430521001002_201910.csv", "1500")
    run_ok(city, work)
    surviving = history(work)
    assert surviving["current"] == [("430521001001_201910.csv",), ("430521001002_201910.csv",)]
    assert rebuilt(city, work) == surviving
    assert [d[0] for d in surviving["deliveries"]] == [1, 2]  # the killed run's id given again


def test_a_first_run_killed_before_its_commit_leaves_no_delivery_to_the_next(tmp_path):
    """A store's first run killed before its commit: the next, finding no delivery stored, voids what it logged."""
    city, work = tmp_path / "city", tmp_path / "work"
    make_city(city)
    deliver(city, "430521001001_201910.csv", "1000")
    run_ok(city, work, KILLED_AT_LOAD)
    (city / "inbox" / "430521001001_201910.csv").unlink()
    deliver(city, "430521001002_201910.csv", "1500")
    run_ok(city, work)
    surviving = history(work)
    assert [d[3] for d in surviving["deliveries"]] == ["430521001002_201910.csv"]
    assert [f[0] for f in surviving["files"]] == ["430521001002_201910.csv"]
    assert rebuilt(city, work) == surviving


def log_lines(work: Path) -> list[str]:
    """The lines of the run's delivery log."""
    return (work / "raw" / "deliveries.jsonl").read_text(encoding="utf-8").split("\n")
