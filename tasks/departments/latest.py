"""Each household's latest usable return row, what department records are judged against (household_latest), kept
per village and brought up to a run's as-of month by the village × months whose files changed, not read again from
the whole history.

A village × month's usable rows are told by its files (versions, statuses, row counts and the digests of the stored
rows, which never change): household_latest_keys holds a digest of them for every village × month up to
household_latest_state.upto, what household_latest was made from. Brought to as_of (departments/latest_changes):
- a village × month with no file on record then (a new month, a late return) only adds rows: its households take
  their latest row there where it comes after the one kept (latest period, then the latest file and its earliest
  row);
- a village with a month whose files changed or went (a correction, a re-read, a rejected or superseded version:
  rows may be gone) is computed again from all its months up to as_of;
- an as-of month before `upto` (a replay of an earlier month) computes every village again; so does an empty one.
A latest row whose head's ID is no ID number (4.30521E+17: the clerk's Excel lost its digits) keeps the head's ID of
the household's latest row that names one, so its records still find it: household_head_ids keeps that row for
each such household, brought forward with it (departments/latest_heads_found, latest_heads), not looked up in the
whole history.
So a new month reads that month's rows, a night's late returns those files' rows; the department checks read the
kept rows of the households the records name, where they scanned every return row of the history twice (1.8 s of
the city's 30 months with a month's 200,000 records; 18 s a night at province before the scans were narrowed)."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import polars as pl

from core import db
from tasks.marts import unit_stamps


def refresh(con: duckdb.DuckDBPyConnection, as_of: str) -> None:
    """Bring household_latest up to as_of (see the module), in one transaction. Call outside a transaction, after
    the marts' step has taken the file digests of the run's files (marts/file_digests)."""
    if not db.has_table(con, "file_digests"):  # no mart made yet, no digest to key on: all again, nothing kept
        with db.transaction(con):
            db.run(con, "departments/latest_forget_all")
            fill(con, as_of)
        return
    upto = db.scalar(con, "SELECT max(upto) FROM household_latest_state")
    unit_stamps.fresh(con)
    changes = db.frame(con, "departments/latest_changes", {"as_of": as_of})
    if upto == as_of and changes.height == 0:
        return
    with db.transaction(con):
        if upto is None or as_of < upto:  # none kept, or kept past the month asked for: every village from scratch
            db.run(con, "departments/latest_forget_all")
            fill(con, as_of)
            changes = db.frame(con, "departments/latest_changes", {"as_of": as_of})  # every village × month
        else:
            bring_forward(con, as_of, changes)
        with registered(con, "latest_changes_now", changes):
            db.run(con, "departments/latest_keep_keys")
        con.execute("INSERT INTO household_latest_state VALUES (?)", [as_of]).fetchall()


def bring_forward(con: duckdb.DuckDBPyConnection, as_of: str, changes: pl.DataFrame) -> None:
    """Bring household_latest forward by the village × months that changed (departments/latest_changes): a village
    with a month changed or gone read again from all its months, a month only added merged in."""
    redo = changes.filter(~pl.col("added"))["village_code"].unique().sort().to_list()
    if redo:  # rows may be gone: forget the villages' rows, then read all their months
        with registered(con, "latest_villages", pl.DataFrame({"village_code": redo}, schema=VILLAGES)):
            db.run(con, "departments/latest_forget_villages")
        fill(con, as_of, villages=redo)
    added = changes.filter(pl.col("added") & pl.col("digest").is_not_null()
                           & ~pl.col("village_code").is_in(redo)).select("village_code", "period")
    if added.height:
        fill(con, as_of, months=added)


VILLAGES = {"village_code": pl.Utf8}
MONTHS = {"village_code": pl.Utf8, "period": pl.Utf8}


def fill(con: duckdb.DuckDBPyConnection, as_of: str, villages: list[str] | None = None,
         months: pl.DataFrame | None = None) -> None:
    """Each (village, household)'s latest row among the months up to as_of of these villages (None: every one)
    and of these village × months (None: every one), put in place of the one kept where it comes after it."""
    with (registered(con, "latest_villages", pl.DataFrame({"village_code": villages or []}, schema=VILLAGES)),
          registered(con, "latest_months", months if months is not None else pl.DataFrame(schema=MONTHS))):
        try:
            db.run(con, "departments/latest_of_villages", {"as_of": as_of, "every_village": villages is None,
                                                           "every_month": months is None})
            db.run(con, "departments/latest_heads_found")  # a head's ID Excel lost: the latest one named
            db.run(con, "departments/latest_replace")
            db.run(con, "departments/latest_heads")
        finally:
            con.execute("DROP TABLE IF EXISTS latest_found; DROP TABLE IF EXISTS latest_heads_found").fetchall()


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame) -> Iterator[None]:
    """A frame registered under a name for the block."""
    con.register(name, frame)
    try:
        yield
    finally:
        con.unregister(name)
