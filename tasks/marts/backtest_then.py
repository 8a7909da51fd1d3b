"""Backtest months whose earlier years stood otherwise when they were run (a correction or a late return of an
earlier year sent after them): projected from those years as they stood then, their calendars, county shares,
gap estimates and last year's September learned again for that county (sql/marts/history_then.sql), and their band
learned from the earlier backtests with the year-end actuals of then, so that a correction sent later informs no
earlier month's projection or coverage (issue 17)."""
from __future__ import annotations

from collections.abc import Iterator

import duckdb
import polars as pl

from core import db
from core.income_year import period_of
from core.settings import Settings
from tasks.marts import calendars, mart_keys

HISTORY_STAND_INS = ("calendar_sums", "calendar_wage_shifts", "seasonal_year_shares", "seasonal_shares",
                     "calendar_shares", "household_month_gaps")
Change = tuple[str, str, int | None, int | None]  # village, period, file version then, current version
CHANGE_SCHEMA = {"village_code": pl.Utf8, "period": pl.Utf8, "then_file_id": pl.Int64, "current_file_id": pl.Int64}


def months_seen_otherwise(con: duckdb.DuckDBPyConnection,
                          complete: list[mart_keys.Unit]) -> dict[tuple[str, int, int], frozenset[Change]]:
    """For the complete county × income year units: each month (county, year, month 1–11) whose earlier years
    stood otherwise when it was run, with what was different then."""
    mart_keys.register_units(con, complete)
    db.run(con, "marts/history_then")
    changes: dict[tuple[str, int, int], set[Change]] = {}
    for county, year, month, village, period, then_id, current_id in db.rows(con, "marts/history_then_rows"):
        changes.setdefault((county, year, month), set()).add((village, period, then_id, current_id))
    return {month: frozenset(change) for month, change in changes.items()}


def month_groups(seen: dict[tuple[str, int, int], frozenset[Change]]
                 ) -> Iterator[tuple[str, int, list[int], frozenset[Change]]]:
    """The months seen otherwise, grouped by county, year and what was different (months that saw their earlier
    years alike are projected together), in order."""
    groups: dict[tuple[str, int, frozenset[Change]], list[int]] = {}
    for (county, year, month), change in sorted(seen.items(), key=lambda item: item[0]):
        groups.setdefault((county, year, change), []).append(month)
    for (county, year, change), months in groups.items():
        yield county, year, months, change


def project_as_then(con: duckdb.DuckDBPyConnection, settings: Settings, county: str, year: int, months: list[int],
                    change: frozenset[Change]) -> int:
    """Backtest rows of one county's income year at the months given, projected from its earlier years as they
    stood then (the current files with change applied) and the year's months as run; returns the rows."""
    con.register("history_then_files", pl.DataFrame(sorted(change, key=str), schema=CHANGE_SCHEMA, orient="row"))
    db.run(con, "marts/forget_unit_files")
    db.run(con, "marts/then_unit_files", {"county_code": county, "income_year": year})
    db.run(con, "marts/months_then")
    try:
        con.execute(db.sql_text("marts/shadow_history")).fetchall()
        create_stand_ins(con, HISTORY_STAND_INS)
        learn_as_then(con, settings, county, year, months)
        mart_keys.register_units(con, [(county, period_of(year, month)) for month in months])
        calendars.project_periods(con, settings, source="months_then")
    finally:  # the stand-ins must never outlive this: every later statement would read and write them
        con.execute(db.sql_text("marts/unshadow_history")).fetchall()
    mart_keys.register_units(con, [(county, str(year))])
    added = calendars.record_backtest(con, settings, history="months_then")
    learn_band_as_then(con, settings, county, year, months)
    return added


def learn_as_then(con: duckdb.DuckDBPyConnection, settings: Settings, county: str, year: int,
                  months: list[int]) -> None:
    """Into the stand-ins of marts/shadow_history: the county's complete earlier years' sums, the county shares of
    the year, its calendars at the months given and the gap estimates of the year before, as the projection step
    makes them."""
    earlier = db.scalar(con, "SELECT list(DISTINCT income_year ORDER BY income_year) FROM months_then "
                             "WHERE income_year < ? AND income_month = 12", [year]) or []
    calendars.complete_years(con, settings, [(county, str(y)) for y in earlier])
    mart_keys.register_units(con, [(county, str(year - 1)), (county, str(year))])
    calendars.learn_shares(con, settings)  # the year before's too: its gap estimates move along them
    mart_keys.register_units(con, [(county, period_of(year, month)) for month in months])
    calendars.learn_calendars(con, settings)
    mart_keys.register_units(con, [(county, str(year - 1))])
    calendars.estimate_gaps(con, settings)


def learn_band_as_then(con: duckdb.DuckDBPyConnection, settings: Settings, county: str, year: int,
                       months: list[int]) -> None:
    """Into backtest_bands_then: the band of one county's year at the months given, learned from its earlier
    backtests with their year-end actuals as they stood then (months_then), as the coverage must read it."""
    params = {"county_code": county, "income_year": year}
    db.run(con, "marts/backtest_as_then", params)
    con.register("then_months", pl.DataFrame({"income_month": months}, schema={"income_month": pl.Int32}))
    try:
        db.run(con, "marts/shadow_bands")
        create_stand_ins(con, ("projection_bands",))
        mart_keys.register_units(con, [(county, str(year))])
        calendars.inserted(con, "marts/projection_bands", calendars.band_parameters(settings))
        db.run(con, "marts/bands_then", params)
    finally:  # as in project_as_then
        con.execute(db.sql_text("marts/unshadow_bands")).fetchall()


def create_stand_ins(con: duckdb.DuckDBPyConnection, tables: tuple[str, ...]) -> None:
    """Empty temporary tables under the names of the store's tables given, with their columns, from their own
    CREATE statements (db.create_empty_temp: a city county's calendar sums, 167,732 rows, read as none in a table
    made by CREATE … AS … LIMIT 0)."""
    for table in tables:
        db.create_empty_temp(con, table)
