"""Projection: each household's year-end per-capita net income from its year-to-date amounts and its own
calendar learned from its complete past income years, shrunk toward its village's and county's (policy.md,
Income; README "Projection")."""
from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import cache

import duckdb
import polars as pl

from core import db
from tasks.marts import backtest_then, calendars, mart_keys
from tasks.marts.calendars import inserted, month_rows, remaining_parameters
from core.income_year import income_year_month, period_of
from tasks.ingest.scope import Scope
from core.settings import Settings

SHARE_COLUMNS = {  # income component -> column of seasonal_shares / default_shares
    "wage_income": "wage_share",
    "business_income": "business_share",
    "property_income": "property_share",
    "transfer_income": "transfer_share",
    "business_expense": "expense_share",
}
# County-months of data a unit of the calendar sums reads: one year, and one row per household × month
SUMS_UNIT_MONTHS = 24
# ... and a unit of the calendars (a county × period): that month's rows of the sums, written once
CALENDAR_UNIT_MONTHS = 2


def default_shares_frame(settings: Settings) -> pl.DataFrame:
    """The settings' default seasonal shares, one row per month of the income year (1 = October)."""
    columns = {"income_month": list(range(1, 13))}
    for component, column in SHARE_COLUMNS.items():
        shares = settings.default_shares.get(component) or [m / 12 for m in range(1, 13)]
        if len(shares) != 12:
            raise ValueError(f"projection.default_share.{component} needs 12 monthly shares, got {len(shares)}")
        columns[column] = [float(s) for s in shares]
    return pl.DataFrame(columns, schema={"income_month": pl.Int32, **{c: pl.Float64 for c in SHARE_COLUMNS.values()}})


def policy_years_frame(settings: Settings, years: list[int]) -> pl.DataFrame:
    """The line and thresholds in force for each income year given, one row per year."""
    rows = [settings.policy_for(year) for year in sorted(set(years))]
    return pl.DataFrame(rows, schema={"income_year": pl.Int32, "line": pl.Float64, "near_line_factor": pl.Float64,
                                      "drop_threshold": pl.Float64, "bunching_window": pl.Float64,
                                      "bunching_min_near": pl.Int32, "bunching_p_value": pl.Float64,
                                      "identical_min_households": pl.Int32})


def festival_months_frame(settings: Settings) -> pl.DataFrame:
    """The month of the income year (1 = October) the Spring Festival wages arrive, per income year."""
    rows = [(year, income_year_month((day - timedelta(days=settings.festival_lead_days)).strftime("%Y%m"))[1])
            for year, day in sorted(settings.spring_festival.items())]
    return pl.DataFrame(rows, schema={"income_year": pl.Int32, "festival_month": pl.Int32}, orient="row")


def register_settings(con: duckdb.DuckDBPyConnection, settings: Settings, years: list[int]) -> None:
    """Register the settings frames the marts read: default_shares, festival_months and policy_years (the
    years given)."""
    con.register("default_shares", default_shares_frame(settings))
    con.register("festival_months", festival_months_frame(settings))
    con.register("policy_years", policy_years_frame(settings, years or [0]))


def band_edge_parameters(settings: Settings) -> dict:
    """What a household's band edges are made with besides the learned bands (README "Band"), as SQL parameters:
    the history prior, the remaining-share scaling and the first year's defaults."""
    return {"band_history_prior": list(settings.band_history_prior),
            "band_default_low": list(settings.band_default_low),
            "band_default_high": list(settings.band_default_high),
            "band_default_spread_low": list(settings.band_default_spread_low),
            "band_default_spread_high": list(settings.band_default_spread_high), **remaining_parameters(settings)}


def project_household_income(con: duckdb.DuckDBPyConnection, settings: Settings, rerun: Scope | None = None) -> int:
    """Bring household_months, seasonal_shares, the gap estimates, the backtest, the bands and
    projection_accuracy up to date with the store, recomputing only the county × period / year units whose
    files (or, for the files a rerun re-read, their rows) changed; returns the household × period rows."""
    update_projection_marts(con, settings, rerun)  # each group of units commits on its own (mart_keys.refresh)
    return household_months_on_record(con)


def household_months_on_record(con: duckdb.DuckDBPyConnection) -> int:
    """The household × period rows of household_months."""
    return int(db.scalar(con, "SELECT count(*) FROM household_months"))


def update_projection_marts(con: duckdb.DuckDBPyConnection, settings: Settings,
                            rerun: Scope | None) -> mart_keys.Stamps:
    """The projection marts, unit by unit, in dependency order (see project_household_income); returns the files'
    stamps they were keyed on."""
    mart_keys.prepare_marts(con, settings, rerun)
    stamps = mart_keys.Stamps(con)
    register_settings(con, settings, stamps.years())
    mart_keys.refresh(con, "months", "household_months", stamps.by_unit, lambda _: month_rows(con, as_run=False))
    years = {(c, int(y)) for c, y in db.rows(con, "marts/month_years")}
    history = {(c, str(y)): stamps.history_key(c, y) for c, y in years}
    through = {(c, str(y)): stamps.through_key(c, y) for c, y in years}
    span = stamps.county_months  # a county × year unit reads (up to) all of its county's months
    complete = {unit: key for unit, key in through.items() if (unit[0], f"{unit[1]}09") in stamps.by_unit}
    mart_keys.refresh(con, "sums", "calendar_sums", complete,
                      lambda units: calendars.complete_years(con, settings, units), lambda _: SUMS_UNIT_MONTHS)
    mart_keys.refresh(con, "shares", "seasonal_shares", history,
                      lambda _: calendars.learn_shares(con, settings))
    # a month's calendars when that month is on record: a new year's first month makes its own, not all twelve
    month_history = {(c, p): stamps.history_key(c, income_year_month(p)[0]) for c, p in stamps.by_unit}
    mart_keys.refresh(con, "calendars", "calendar_shares", month_history,
                      lambda _: calendars.learn_calendars(con, settings), lambda _: CALENDAR_UNIT_MONTHS)
    # a year's gaps also read the next October's returns (a household left out of September but back then)
    gaps_wanted = {unit: f"{key}/{stamps.by_unit.get((unit[0], period_of(int(unit[1]) + 1, 1)), '')}"
                   for unit, key in through.items() if (unit[0], int(unit[1]) + 1) in years}
    mart_keys.refresh(con, "gaps", "household_month_gaps", gaps_wanted,
                      lambda _: calendars.estimate_gaps(con, settings), span,
                      mart_keys.Amend(october_only, lambda _: calendars.amend_gap_tails(con, settings)))
    corrected = cache(lambda: {(c, p) for c, p in db.rows(con, "marts/corrected_periods")})  # once, if needed
    seen_otherwise = cache(lambda: backtest_then.months_seen_otherwise(con, list(complete)))  # likewise
    mart_keys.refresh(con, "backtest", "projection_backtest", through,
                      lambda units: backtest_years(con, settings, stamps, units, corrected, seen_otherwise), span)
    mart_keys.refresh(con, "bands", "projection_bands", history,
                      lambda _: inserted(con, "marts/projection_bands", calendars.band_parameters(settings)), span)
    # the city-wide accuracy is measured again from the whole backtest when a complete year's backtest changed
    # (an incomplete year has no backtest rows)
    measured = mart_keys.digest(f"{c}/{y}={key}" for (c, y), key in sorted(through.items())
                                if (c, f"{y}09") in stamps.by_unit)
    mart_keys.refresh(con, "accuracy", "projection_accuracy", {("*", "*"): measured},
                      lambda _: measure_accuracy(con, settings))
    return stamps


def october_only(stored: str, wanted: str) -> bool:
    """Whether a year's gap estimates' key (its through key, then its next October's stamp) changed in the October
    alone: the estimates after the households' last returns of the year are then all it can change."""
    return stored.partition("/")[0] == wanted.partition("/")[0]


def measure_accuracy(con: duckdb.DuckDBPyConnection, settings: Settings) -> int:
    """Insert projection_accuracy from the whole backtest (with the first years' spreads its default bands use);
    returns its rows."""
    db.run(con, "marts/backtest_spreads")
    return inserted(con, "marts/projection_accuracy", band_edge_parameters(settings))


def backtest_years(con: duckdb.DuckDBPyConnection, settings: Settings, stamps: mart_keys.Stamps,
                   units: list[mart_keys.Unit], corrected: Callable[[], set[mart_keys.Unit]],
                   seen_otherwise: Callable[[], dict[tuple[str, int, int], frozenset[backtest_then.Change]]]) -> int:
    """Backtest rows of the county × year units that are complete (a September on record): their projections
    at every month beside the year-end actual, each month from what it knew when it was run. An incomplete year
    has no actual, so no rows. corrected(): the county × periods with a file version sent after the month was
    first run. seen_otherwise(): the months (of every complete year) whose earlier years stood otherwise then (a
    correction of an earlier year sent after them), projected from them as they stood
    (tasks/marts/backtest_then.py). Both are asked only when a unit is complete: a night's new month of the
    current year has no backtest, and asking cost 0.3 s of a city's night."""
    complete = [(c, y) for c, y in units if (c, f"{y}09") in stamps.by_unit]
    if not complete:
        return 0
    seen_otherwise = {(c, y, m): change for (c, y, m), change in seen_otherwise().items() if (c, str(y)) in complete}
    periods = [(c, p) for c, y in complete for p, _ in stamps.by_county[c]
               if income_year_month(p)[0] == int(y) and (c, *income_year_month(p)) not in seen_otherwise]
    mart_keys.register_units(con, periods)
    later_versions = corrected()
    if any(unit in later_versions for unit in periods):
        calendars.month_rows(con, as_run=True)  # some month has a version sent after it was run: project from those
        calendars.project_periods(con, settings, source="month_rows")
    else:
        calendars.project_periods(con, settings)
    mart_keys.register_units(con, complete)
    added = calendars.record_backtest(con, settings)
    for county, year, months, change in backtest_then.month_groups(seen_otherwise):
        added += backtest_then.project_as_then(con, settings, county, year, months, change)
    return added
