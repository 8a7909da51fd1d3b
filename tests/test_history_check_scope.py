"""The history checks after a load: a run that loaded no file looks at the files a killed run left pending only,
and, with none, checks nothing (tasks/validate/history.py)."""
from __future__ import annotations

from core import db
from tasks.validate.history import HISTORY_SUITE, check_history
from tests.support.store_builder import VILLAGE, build_store, household_row, settings_with


def history_rows_of(con, run_id: int) -> int:
    """The history suite's counts recorded for a run."""
    return db.scalar(con, "SELECT count(*) FROM validation_results WHERE run_id = ? AND suite = ?",
                     [run_id, HISTORY_SUITE])


def test_a_run_that_loaded_nothing_checks_only_the_files_left_pending():
    rows = [household_row(f"{VILLAGE}{i:04d}", period, wage=wage) for i in range(1, 4)
            for period, wage in (("202002", 3000.0), ("202003", 1000.0 if i == 1 else 3500.0))]
    con = build_store(rows)
    settings = settings_with()
    first = check_history(con, settings, 1, [])  # the builder's files: loaded, their history never checked
    assert history_rows_of(con, 1) > 0
    assert db.scalar(con, "SELECT count(*) FROM source_files WHERE history_run_id IS NULL") == 0
    stored = con.execute("SELECT * FROM history_problems ORDER BY ALL").fetchall()
    assert "ROW_YTD_DECREASE" in {p[3] for p in stored} and first.problems.height == len(stored)

    nothing = check_history(con, settings, 2, [])  # nothing loaded, nothing pending: nothing to check
    assert nothing.problems.height == 0 and nothing.results.height == 0
    assert history_rows_of(con, 2) == 0
    assert con.execute("SELECT * FROM history_problems ORDER BY ALL").fetchall() == stored

    con.execute("UPDATE source_files SET history_run_id = NULL WHERE period = '202003'").fetchall()  # a killed run's
    con.execute("DELETE FROM history_problems").fetchall()
    again = check_history(con, settings, 3, [])
    assert history_rows_of(con, 3) > 0 and again.problems.height == first.problems.height
    assert con.execute("SELECT * EXCLUDE (run_id) FROM history_problems ORDER BY ALL").fetchall() == \
        [p[:-1] for p in stored]
