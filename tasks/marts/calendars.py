"""The calendar marts' statements as the projection step and the backtest run them: inserts, the complete years'
running sums, the month rows and the temporary projections."""
from __future__ import annotations

import duckdb

from core import db
from core.settings import Settings
from tasks.marts import mart_keys

# the temporary views the projection and the backtest read, by what they read
PROJECTION_SOURCES = {
    "household_months": "CREATE OR REPLACE TEMP VIEW projection_months AS SELECT * FROM household_months",
    "month_rows": "CREATE OR REPLACE TEMP VIEW projection_months AS SELECT * FROM month_rows",
    "months_then": "CREATE OR REPLACE TEMP VIEW projection_months AS SELECT * FROM months_then",
    # the flag step's: only the villages × periods of registered frame status_villages (tasks/marts/flag.py)
    "status_villages": "CREATE OR REPLACE TEMP VIEW projection_months AS SELECT * FROM household_months "
                       "SEMI JOIN status_villages USING (village_code, period)",
}
BACKTEST_HISTORIES = {
    "household_months": "CREATE OR REPLACE TEMP VIEW backtest_history AS SELECT * FROM household_months",
    "months_then": "CREATE OR REPLACE TEMP VIEW backtest_history AS SELECT * FROM months_then",
}


def remaining_parameters(settings: Settings) -> dict:
    """The band's scaling to the share of the projection still to come (README "Band"), as SQL parameters."""
    return {"band_remaining_power": settings.band_remaining_power, "band_remaining_min": settings.band_remaining_min}


def band_parameters(settings: Settings) -> dict:
    """What projection_bands learns the band with (README "Band"), as SQL parameters."""
    tail = (1 - settings.band_coverage) / 2
    return {"band_low_quantile": tail, "band_high_quantile": 1 - tail, "band_years": settings.band_years,
            "band_history_prior": list(settings.band_history_prior),
            "band_min_new_households": settings.band_min_new_households, **remaining_parameters(settings)}


def inserted(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> int:
    """Run the INSERT statement sql/<name>.sql; returns the rows it inserted."""
    return int(db.rows(con, name, params)[0][0])


def complete_years(con: duckdb.DuckDBPyConnection, settings: Settings, units: list[mart_keys.Unit]) -> int:
    """What the county × complete income year units keep for the years after them, a year at a time in year
    order: the households' running calendar sums and wage shifts (each year's extend the county's latest earlier
    ones, up to date or made just before: a group holds every unit of its counties) and the county's median
    shares of that year. Returns the calendar_sums rows inserted."""
    added = 0
    for year in sorted({year for _, year in units}):
        mart_keys.register_units(con, [unit for unit in units if unit[1] == year])
        db.run(con, "marts/previous_sums_years")  # before calendar_sums adds this year's
        added += inserted(con, "marts/calendar_sums")
        db.run(con, "marts/calendar_wage_shifts", {"festival_lump_min": settings.festival_lump_min})
        db.run(con, "marts/seasonal_year_shares")
    return added


def learn_shares(con: duckdb.DuckDBPyConnection, settings: Settings) -> int:
    """Insert the county shares (seasonal_shares) of the county × target year units registered as mart_units."""
    return inserted(con, "marts/seasonal_shares", {"share_min_households": settings.share_min_households})


def learn_calendars(con: duckdb.DuckDBPyConnection, settings: Settings) -> int:
    """Insert the households' and villages' calendars (calendar_shares) of the county × period units registered
    as mart_units (their years' county shares made first)."""
    return inserted(con, "marts/calendar_shares", {"household_prior_years": settings.household_prior_years,
                                                   "village_prior_years": settings.village_prior_years})


def estimate_gaps(con: duckdb.DuckDBPyConnection, settings: Settings) -> int:
    """Insert the gap estimates (household_month_gaps) of the county × income year units registered as
    mart_units (that year's county shares made first)."""
    db.run(con, "marts/gap_households")
    return gap_rows(con, settings, tails_only=False)


def amend_gap_tails(con: duckdb.DuckDBPyConnection, settings: Settings) -> int:
    """Bring the gap estimates of the county × income year units registered as mart_units up to date with their
    county's next October when nothing else they read changed (project.october_only): only the estimates after a
    household's last return of the year depend on it, so only those of the households it may change are made again
    (a province's year: ~18 M household months otherwise read to find the few missing a month). Returns the rows
    deleted and inserted."""
    db.run(con, "marts/gap_tail_households")
    if not db.scalar(con, "SELECT count(*) FROM gap_households"):
        con.execute("DROP TABLE gap_households").fetchall()
        return 0
    deleted = inserted(con, "marts/forget_gap_tails")
    return deleted + gap_rows(con, settings, tails_only=True)


def gap_rows(con: duckdb.DuckDBPyConnection, settings: Settings, tails_only: bool) -> int:
    """Insert the gap estimates of the households of gap_households (all of them, or those after their last
    return of the year), then drop it; returns the rows inserted."""
    added = inserted(con, "marts/household_month_gaps", {"share_min": settings.share_min, "tails_only": tails_only})
    con.execute("DROP TABLE gap_households").fetchall()
    return added


def month_rows(con: duckdb.DuckDBPyConnection, as_run: bool) -> int:
    """The household rows of the county × period units registered as mart_units: added to household_months
    (current versions), or with as_run made the temporary month_rows (versions current when each month was
    first run); returns the rows added to household_months."""
    db.run(con, "marts/forget_unit_files")
    db.run(con, "marts/unit_files", {"as_run": as_run})
    if as_run:
        db.run(con, "marts/month_rows")
        return 0
    return inserted(con, "marts/household_months")


def project_periods(con: duckdb.DuckDBPyConnection, settings: Settings, source: str = "household_months") -> None:
    """Make the temporary household_projections for the county × period units registered as mart_units, from
    household_months or (the backtest) month_rows made as they were when each month was run, or months_then,
    which also holds the earlier years as they stood then (tasks/marts/backtest_then.py)."""
    if source not in PROJECTION_SOURCES:
        raise ValueError(f"no such projection source: {source}")
    con.execute(PROJECTION_SOURCES[source])
    db.run(con, "marts/household_projections", {"share_min": settings.share_min, "blend": settings.last_year_weight})


def record_backtest(con: duckdb.DuckDBPyConnection, settings: Settings, history: str = "household_months") -> int:
    """Insert the backtest rows of household_projections for the complete county × year units registered as
    mart_units, and their months' year-over-year spreads, last year's same month read from history
    (household_months, or months_then: as it stood then); returns the backtest rows."""
    if history not in BACKTEST_HISTORIES:
        raise ValueError(f"no such history: {history}")
    con.execute(BACKTEST_HISTORIES[history])
    db.run(con, "marts/backtest_month_spreads", {"band_spread_min_households": settings.band_spread_min_households})
    return inserted(con, "marts/projection_backtest")
