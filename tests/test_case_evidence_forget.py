"""sql/cases/forget_vanished_evidence.sql on a real store: the months of the as-of income year a correction took a
household out of are forgotten; the previous year's backfilled months, later months and months still on record
are kept."""
from __future__ import annotations

from pathlib import Path

import pytest

from core import db

AS_OF = "202001"  # income year 2020: October 2019 to September 2020
YEAR_MONTHS = ["201910", "201911", "201912", "202001"]


@pytest.fixture()
def store(tmp_path: Path):
    con = db.connect(tmp_path / "povmon.duckdb")
    # the flag step makes household_status; the statement reads its households and months alone
    con.execute("CREATE TABLE household_status (household_id TEXT, period TEXT, income_year INTEGER)")
    yield con
    con.close()


def evidence(con) -> set[tuple[str, str]]:
    """The (household, period) rows of case_evidence."""
    return set(con.execute("SELECT household_id, period FROM case_evidence").fetchall())


def test_months_taken_out_are_forgotten_the_rest_kept(store):
    kept_all = [("H1", p) for p in YEAR_MONTHS]
    taken_out = [("H2", "201911"), ("H2", "202001")]  # a corrected return left H2 out of these months
    on_record = [("H2", "201910"), ("H2", "201912")]
    earlier_year = [("H3", "201909"), ("H3", "201812")]  # backfilled from last year: no status row, kept
    later = [("H4", "202002")]  # after the as-of month: not judged here
    status = kept_all + on_record + [("H5", p) for p in YEAR_MONTHS]  # H5: on record, no evidence
    store.executemany("INSERT INTO household_status (household_id, period, income_year) VALUES (?, ?, 2020)",
                      [list(row) for row in status])
    store.executemany("INSERT INTO case_evidence (household_id, period, projected_per_capita, flags) "
                      "VALUES (?, ?, 3000.0, 'BELOW_LINE')",
                      [list(row) for row in kept_all + taken_out + on_record + earlier_year + later])

    db.run(store, "cases/forget_vanished_evidence", {"period": AS_OF})

    assert evidence(store) == set(kept_all + on_record + earlier_year + later)
    db.run(store, "cases/forget_vanished_evidence", {"period": AS_OF})  # again: nothing more to forget
    assert evidence(store) == set(kept_all + on_record + earlier_year + later)


def test_every_month_of_a_household_gone_from_the_year(store):
    store.executemany("INSERT INTO case_evidence (household_id, period) VALUES (?, ?)",
                      [["H9", p] for p in YEAR_MONTHS])
    db.run(store, "cases/forget_vanished_evidence", {"period": "201912"})
    assert evidence(store) == {("H9", "202001")}  # the months up to the as-of month only
