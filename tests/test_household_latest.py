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


def with_lost_heads(rows: pl.DataFrame, seed: int) -> pl.DataFrame:
    """The rows with 18-digit heads' IDs, a third of them lost as a clerk's Excel loses them (one row per file and
    source row, as in a store: two rows of one place would leave the latest one undecided)."""
    rows = rows.unique(subset=["period", "file_id", "source_row"], keep="first", maintain_order=True)
    rng = random.Random(seed)
    lost = ["4.30521E+17", "", "43052119800101123", None]
    heads = [rng.choice(lost) if rng.random() < 0.35 else f"4305211980{int(h[1:]):04d}{rng.randint(0, 9)}{rng.randint(0, 9)}1X"
             for h in rows["household_id"].fill_null("H999")]
    return rows.with_columns(pl.Series("head_id_number", heads, dtype=pl.Utf8))


def expected_heads(rows: pl.DataFrame, as_of: str) -> list[tuple]:
    """The reference: each (village, household)'s latest row's head's ID, or where it is no ID number the ID of its
    latest row that names one, found by sorting the whole history."""
    usable = rows.filter((pl.col("period") <= as_of) & pl.col("household_id").is_not_null())
    ordered = usable.with_columns((-pl.col("source_row")).alias("order")).sort("period", "file_id", "order")
    keys = ["village_code", "household_id"]
    last = ordered.group_by(keys, maintain_order=True).last().select(*keys, "head_id_number")
    named = (ordered.filter(pl.col("head_id_number").str.len_chars() == 18).group_by(keys, maintain_order=True).last()
             .select(*keys, pl.col("head_id_number").alias("named")))
    heads = last.join(named, on=keys, how="left").select(
        *keys, pl.when(pl.col("head_id_number").str.len_chars() == 18).then("head_id_number")
        .otherwise(pl.coalesce("named", "head_id_number")).alias("head_id_number"))
    return sorted(heads.rows(), key=str)


def kept_heads(con) -> list[tuple]:
    """household_latest's (village, household, head's ID)."""
    return sorted(con.execute("SELECT village_code, household_id, head_id_number FROM household_latest").fetchall(),
                  key=str)


@pytest.mark.parametrize("seed", range(6))
def test_a_lost_heads_id_is_the_latest_one_named_whatever_order_the_months_come_in(seed):
    rows = with_lost_heads(history(seed), seed)
    con = store_of(rows.clear())
    order = list(MONTHS)
    random.Random(seed).shuffle(order)  # late returns: a month naming the head may come after a later month
    for step, period in enumerate(order):
        con.register("month_rows", rows.filter(pl.col("period") == period))  # the month's files arrive
        con.execute("INSERT INTO households_current SELECT * FROM month_rows").fetchall()
        latest.fill(con, "202006", months=months_of(rows, [period]))
        seen = rows.filter(pl.col("period").is_in(order[:step + 1]))
        assert kept_heads(con) == expected_heads(seen, "202006"), (seed, order[:step + 1])
    found = expected_heads(rows, "202006")
    assert any(len(head or "") != 18 for _, _, head in found)  # some households never named their head
    resolved = sum(head != latest_head for (_, _, head), latest_head in zip(found, latest_heads(rows)))
    assert resolved > 0
    # only the households whose latest row lost the head's ID are kept apart, not every household
    assert db.scalar(con, "SELECT count(*) FROM household_head_ids") == resolved
    # a village read again from every month (a correction took its later rows away) names its heads as before them
    kept = rows.filter(~((pl.col("village_code") == "V2") & (pl.col("period") >= "202005")))
    con.execute("DELETE FROM households_current WHERE village_code = 'V2' AND period >= '202005'").fetchall()
    with latest.registered(con, "latest_villages", pl.DataFrame({"village_code": ["V2"]})):
        db.run(con, "departments/latest_forget_villages")
    latest.fill(con, "202006", villages=["V2"])
    assert kept_heads(con) == expected_heads(kept, "202006")


def latest_heads(rows: pl.DataFrame) -> list[str]:
    """Each (village, household)'s latest row's own head's ID, in expected_heads' order."""
    ordered = rows.filter(pl.col("household_id").is_not_null()).with_columns((-pl.col("source_row")).alias("order"))
    last = ordered.sort("period", "file_id", "order").group_by(["village_code", "household_id"], maintain_order=True)
    return [head for _, _, head in sorted(last.last().select("village_code", "household_id", "head_id_number").rows(),
                                          key=str)]
