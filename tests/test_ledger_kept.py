"""The case ledger kept when nothing an update reads changed (tasks/cases/judged.py): an update is a fixed point of
itself, an update with the same inputs is not run again, and each input that changes makes it run."""
from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date, timedelta

import polars as pl

from core import db
from tasks.ingest.load import refresh_every_current_file
from tasks.cases import run as ledger_run
from tasks.cases.judged import ledger_digest
from tasks.cases.run import update_ledger
from tasks.departments.ingest import case_findings
from tests.support.cases_store import HIGH, LOW, VILLAGE, hid, judge, ledger_store
from tests.support.runs import settings_for
from tests.support.store_builder import year_periods

PERIODS = year_periods(2020, 6)  # 201910 .. 202003


def ledger_counts(con) -> tuple:
    """The ledger's row counts: events, cases, evidence."""
    return tuple(db.scalar(con, f"SELECT count(*) FROM {t}") for t in ("case_events", "cases", "case_evidence"))


def test_an_update_changes_nothing_an_update_just_left(small_city_run, tmp_path):
    """On the small city's store (flags, signals, data errors, department findings): after an update of a new day,
    the same update run again (its record forgotten) opens, closes and rewrites nothing."""
    shutil.copy(small_city_run / "db.duckdb", tmp_path / "db.duckdb")
    con = db.connect(tmp_path / "db.duckdb")
    try:
        settings = settings_for(tmp_path)
        as_of = db.scalar(con, "SELECT arg_max(as_of_period, run_id) FROM runs WHERE status = 'completed'")
        today = db.scalar(con, "SELECT max(event_on) FROM case_events") + timedelta(days=40)  # deadlines passed
        findings = case_findings(con)
        assert findings.height and db.scalar(con, "SELECT count(DISTINCT kind) FROM cases") >= 4
        update_ledger(con, settings, as_of, today, 90, findings)
        left, counts = ledger_digest(con), ledger_counts(con)
        con.execute("DELETE FROM ledger_judged").fetchall()
        assert update_ledger(con, settings, as_of, today, 91, findings) == {"opened": 0, "closed": 0}
        assert (ledger_digest(con), ledger_counts(con)) == (left, counts)
    finally:
        con.close()


def test_the_same_inputs_keep_the_ledger_and_each_changed_input_updates_it(monkeypatch):
    con, settings = ledger_store({1: [LOW] * 6, 2: [HIGH] * 6}, PERIODS, rejected=[(VILLAGE, "202003")])
    updates = []
    collect = ledger_run.collect_evidence
    monkeypatch.setattr(ledger_run, "collect_evidence", lambda *args: updates.append(args[2]) or collect(*args))
    today = date(2020, 4, 5)
    opened = judge(con, settings, "202003", today)["opened"]
    assert opened == 1 and len(updates) == 1

    def updated(settings=settings, today=today, findings=None) -> bool:
        before = len(updates)
        update_ledger(con, settings, "202003", today, 2, findings)
        return len(updates) > before

    assert not updated()  # nothing new: kept
    assert updated(today=today + timedelta(days=1)) and not updated(today=today + timedelta(days=1))
    day = today + timedelta(days=1)
    assert updated(settings=replace(settings, cases=replace(settings.cases, verify_days=30)), today=day)
    assert updated(today=day)  # back to the settings before
    con.execute("UPDATE cases SET status = 'dismissed' WHERE household_id = ?", [hid(1)]).fetchall()  # not by events
    assert updated(today=day)
    assert db.scalar(con, "SELECT status FROM cases WHERE household_id = ?", [hid(1)]) == "open"  # derived again
    finding = pl.DataFrame({"event": ["DIBAO_NEW"], "household_id": [hid(2)], "county_code": [hid(2)[:6]],
                            "township_code": [hid(2)[:9]], "village_code": [hid(2)[:12]], "detail": ["民政局新增低保"]})
    assert updated(today=day, findings=finding) and not updated(today=day, findings=finding)
    assert db.scalar(con, "SELECT count(*) FROM cases WHERE kind = 'DEPT_DIBAO_NEW'") == 1
    con.execute("UPDATE source_files SET status = 'rejected' WHERE village_code = ? AND period = '202002'",
                [hid(1)[:12]]).fetchall()  # a file of the store's returns, as a correction's rejection leaves it
    refresh_every_current_file(con)
    assert updated(today=day, findings=finding)
