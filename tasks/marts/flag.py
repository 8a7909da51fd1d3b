"""Flags: household flags with reasons and measures, and village signals, for the as-of income year."""
from __future__ import annotations

import duckdb

from core import db
from core.settings import Settings
from tasks.marts import calendars, mart_keys, project
from core.income_year import income_year_month, period_of


def flag_households(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: str) -> int:
    """Bring household_status up to date for the as-of income year up to the as-of month (recomputing the
    county × period units whose files or history changed); returns its rows."""
    income_year, income_month = income_year_month(as_of)
    stamps = mart_keys.Stamps(con)
    project.register_settings(con, settings, [*stamps.years(), income_year])
    # a month whose first-year band's spread is measured at another month also depends on that month's returns
    measured_at = {m: period_of(income_year, at) if at else "" for m, at in db.rows(
        con, "marts/spread_months", {"income_year": income_year})}
    wanted = {(c, p): f"{stamp}/{stamps.history_key(c, income_year)}" for (c, p), stamp in stamps.by_unit.items()
              if income_year_month(p)[0] == income_year and income_year_month(p)[1] <= income_month}
    for (c, p) in wanted:
        if (at := measured_at.get(income_year_month(p)[1])) is not None:
            wanted[(c, p)] += f"/{stamps.by_unit.get((c, at), '')}"

    def compute(_units) -> int:
        calendars.project_periods(con, settings)
        return insert_status(con, settings, income_year)

    mart_keys.refresh(con, "status", "household_status", wanted, compute)  # a transaction per group of units
    return int(db.scalar(con, "SELECT count(*) FROM household_status"))


def insert_status(con: duckdb.DuckDBPyConnection, settings: Settings, income_year: int) -> int:
    """Insert household_status rows of the registered county × period units of an income year (projected by
    calendars.project_periods); returns the rows inserted."""
    return project.inserted(con, "marts/household_status",
                            {"income_year": income_year, **project.band_edge_parameters(settings),
                             "band_spread_min_households": settings.band_spread_min_households})


def signal_villages(con: duckdb.DuckDBPyConnection, as_of: str) -> int:
    """Bring village_signals up to date for every village and period of the as-of income year up to the as-of
    month (needs household_status of the same as-of, and the settings frames flag_households registers);
    returns its rows."""
    income_year, income_month = income_year_month(as_of)
    stamps = mart_keys.Stamps(con)
    villages = {c: mart_keys.digest(codes) for c, codes in db.rows(con, "marts/county_villages")}
    periods = [period_of(income_year, m) for m in range(1, income_month + 1)]
    wanted = {(c, p): f"{stamps.by_unit.get((c, p), '')}/{stamps.history_key(c, income_year)}/{villages.get(c, '')}"
              for c in set(villages) | set(stamps.by_county) for p in periods}
    mart_keys.refresh(con, "signals", "village_signals", wanted, lambda _: project.inserted(con, "marts/village_signals"))
    return int(db.scalar(con, "SELECT count(*) FROM village_signals"))
