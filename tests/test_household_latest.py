"""household_latest (tasks/departments/latest.py): each household's latest usable return, brought forward by the
village × months added since it was kept (a new month, late returns in any order), equals the one computed from
every month; and what the department checks read from it (latest_households.sql) is the row a full ordering by
period, file and row puts first."""
from __future__ import annotations

import random

import duckdb
import polars as pl
import pytest

from core import db
from tasks.departments import latest
from tests.test_department_latest import COLUMNS, expected, history

MONTHS = ("202001", "202002", "202003", "202004", "202005", "202006")


def store_of(rows) -> duckdb.DuckDBPyConnection:
    """A store whose households_current is these rows (the schema's other tables empty)."""
    con = db.connect(":memory:")
    con.register("rows_frame", rows)
    con.execute("DROP VIEW households_current").fetchall()
    con.execute("CREATE TABLE households_current AS SELECT * FROM rows_frame").fetchall()
    return con


def read_latest(con, rows):
    """latest_households.sql for every household of the rows, in household order."""
    con.register("candidate_households", rows.select("household_id").drop_nulls().unique())
    try:
        return db.frame(con, "departments/latest_households").sort("household_id")
    finally:
        con.unregister("candidate_households")


def months_of(rows, periods) -> pl.DataFrame:
    """The village × months of the rows in these periods."""
    return rows.filter(pl.col("period").is_in(list(periods))).select("village_code", "period").unique()


@pytest.mark.parametrize("seed", range(5))
def test_months_added_one_at_a_time_in_any_order_equal_the_full_ordering(seed):
    rows = history(seed)  # households in two villages, listed twice, stopping early, without an id
    con = store_of(rows)
    order = list(MONTHS)
    random.Random(seed).shuffle(order)  # late returns: an earlier month added after later ones
    for step, period in enumerate(order):
        latest.fill(con, "202006", months=months_of(rows, [period]))
        seen = rows.filter(pl.col("period").is_in(order[:step + 1]))
        want = expected(seen, "202006")
        found = read_latest(con, rows)
        assert found.height == want.height > 0
        assert found.select("household_id", *COLUMNS).to_dicts() == want.to_dicts(), (seed, order[:step + 1])
        assert db.scalar(con, "SELECT count(*) - count(DISTINCT (village_code, household_id)) FROM household_latest") == 0


def test_a_village_computed_again_from_every_month_drops_what_its_files_no_longer_hold():
    rows = history(3)
    con = store_of(rows)
    latest.fill(con, "202006")
    # a correction: village V2's rows of 202005-202006 gone (its current files changed), V1 as it was
    kept = rows.filter(~((pl.col("village_code") == "V2") & (pl.col("period") >= "202005")))
    con.execute("DELETE FROM households_current WHERE village_code = 'V2' AND period >= '202005'").fetchall()
    con.register("latest_villages", pl.DataFrame({"village_code": ["V2"]}))
    db.run(con, "departments/latest_forget_villages")
    con.unregister("latest_villages")
    latest.fill(con, "202006", villages=["V2"])
    assert read_latest(con, kept).select("household_id", *COLUMNS).to_dicts() == expected(kept, "202006").to_dicts()
    # without the forgetting the removed rows would still be read: the test can tell
    assert expected(kept, "202006").to_dicts() != expected(rows, "202006").to_dicts()
