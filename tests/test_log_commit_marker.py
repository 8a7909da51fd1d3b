"""A store rebuilt (database deleted, raw store kept) before the next run reads back no line of a writer killed
between its log and its commit (commit markers, core/void_log.py), in the ledger's log and the delivery log; a log
from before markers is still read back whole."""
from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from tests.support.ledger_commands import V1, confirmed, confirmed_then_dismissal_killed, delete_store, ledger, run
from tests.support.returns import make_city
from tests.test_crash import KILLED_AT_LOAD
from tests.test_crash_delivery_log import deliver as deliver_one, history, run_ok

pytestmark = pytest.mark.slow  # runs of the real command in processes of their own


def deliveries(db: Path) -> list[tuple]:
    """The store's delivery history."""
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT * FROM deliveries ORDER BY delivery_id").fetchall()


def test_a_decision_of_a_killed_import_is_not_read_back_by_a_rebuild_before_the_next_run(tmp_path):
    """A dismissal logged by an import killed before its commit, the store deleted at once: the rebuild keeps the
    household's case open and the confirmation that was committed."""
    confirmed_then_dismissal_killed(tmp_path)
    delete_store(tmp_path / "db.duckdb")
    run(tmp_path, "2020-03-12")
    cases_csv, events = ledger(tmp_path)
    assert f"{V1}0001,BELOW_LINE,202002,2020-03-05,2020-03-20,assisting,属实,公益岗位," in cases_csv
    assert f"{V1}0002,BELOW_LINE,202002,2020-03-05,2020-03-20,open,,,," in cases_csv
    assert [e for e in events if "不属实" in map(str, e)] == []


def test_a_delivery_of_a_killed_run_is_not_read_back_by_a_rebuild_before_the_next_run(tmp_path):
    """The killed run's _v2 (logged, its bytes kept, never committed), taken out of the inbox, the store deleted at
    once: the rebuilt store holds the history the store held, the first version current."""
    city, work = tmp_path / "city", tmp_path / "work"
    make_city(city)
    deliver_one(city, "430521001001_201910.csv", "1000")
    run_ok(city, work)
    kept = history(work)
    deliver_one(city, "430521001001_201910_v2.csv", "2000")
    run_ok(city, work, KILLED_AT_LOAD)
    assert "_v2" in (work / "raw" / "deliveries.jsonl").read_text(encoding="utf-8")
    (city / "inbox" / "430521001001_201910_v2.csv").unlink()
    delete_store(work / "db.duckdb")
    run_ok(city, work)
    assert history(work) == kept


def test_logs_written_before_commit_markers_are_read_back_whole(tmp_path):
    """Both logs as an earlier povmon wrote them (no commit marker): a rebuild reads back every line, as before."""
    confirmed(tmp_path)
    run(tmp_path, "2020-03-12")
    kept, kept_deliveries = ledger(tmp_path), deliveries(tmp_path / "db.duckdb")
    for name in ("case_events.jsonl", "deliveries.jsonl"):
        log = tmp_path / "raw" / name
        lines = log.read_text(encoding="utf-8").splitlines(keepends=True)
        log.write_text("".join(line for line in lines if "committed" not in json.loads(line)), encoding="utf-8")
    delete_store(tmp_path / "db.duckdb")
    run(tmp_path, "2020-03-12")
    assert ledger(tmp_path) == kept and deliveries(tmp_path / "db.duckdb") == kept_deliveries
    assert "属实" in kept[0] and kept_deliveries
