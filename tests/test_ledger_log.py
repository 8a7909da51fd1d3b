"""The case ledger's log in the raw store against a killed run or import and a copy of the store: what a store
never committed is never read back by a rebuild, and a copy never writes the log."""
from __future__ import annotations

import shutil

import duckdb
import pytest

from tests.support.ledger_commands import KILLED_AFTER_CASE_LOG, V1, confirmed_then_dismissal_killed, deliver, \
    ledger, povmon, rebuilt, run, workbook
from tests.support.returns import make_city

pytestmark = pytest.mark.slow  # runs of the real command in processes of their own


def test_a_killed_import_leaves_no_decision_for_a_rebuild(tmp_path):
    """A dismissal logged by an import killed before its commit is voided by the next night: the store rebuilt from
    the raw store keeps the household's case open, as the store did, and its other decision."""
    confirmed_then_dismissal_killed(tmp_path)
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
