"""Flags: household flags with reasons and measures, and village signals, for the as-of income year."""
from __future__ import annotations

import duckdb
import polars as pl

from core import db
from core.settings import Settings
from tasks.marts import calendars, mart_keys, project, unit_stamps
from core.income_year import income_year_month, period_of


def flag_households(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: str,
                    stamps: mart_keys.Stamps | None = None) -> int:
    """Bring household_status up to date for the as-of income year up to the as-of month, recomputing the
    village × period units whose key changed; returns its rows. stamps: the store's, when the caller has them."""
    income_year, _ = income_year_month(as_of)
    stamps = stamps or mart_keys.Stamps(con)
    project.register_settings(con, settings, [*stamps.years(), income_year])

    def compute(units: list[mart_keys.Unit]) -> int:
        register_villages(con, units)
        calendars.project_periods(con, settings, "status_villages")
        return insert_status(con, settings, income_year)

    # a transaction per group of counties
    mart_keys.refresh(con, "status", "household_status", status_keys(con, stamps, as_of), compute)
    return int(db.scalar(con, "SELECT count(*) FROM household_status"))


def status_keys(con: duckdb.DuckDBPyConnection, stamps: mart_keys.Stamps, as_of: str) -> dict[mart_keys.Unit, str]:
    """The key of every village × period of the as-of income year up to the as-of month: the village's files of
    the month and of the year's October (a household missing from last September but back then has last year's
    estimated from it), its county's earlier years (calendars, shares, last year's months) and, where the month's
    band is the first year's (no learned band), its county's files of the month its year-over-year spread is
    measured at (every village's households are in that spread); a month the Spring Festival moved reads its
    county's months before both festival months (festival_earlier_periods)."""
    income_year, income_month = income_year_month(as_of)
    earlier = festival_earlier_periods(con, income_year)
    banded = set(db.rows(con, "marts/banded_months", {"income_year": income_year}))
    unit_stamps.fresh(con)
    villages = db.rows(con, "marts/village_stamps", {"first_period": period_of(income_year, 1), "last_period": as_of})
    october = {village: stamp for village, period, stamp in villages if income_year_month(period)[1] == 1}
    wanted = {}
    for village, period, stamp in villages:
        county = village[:mart_keys.COUNTY_DIGITS]
        month = income_year_month(period)[1]
        key = f"{stamp}/{october.get(village, '')}/{stamps.history_key(county, income_year)}"
        if month in earlier:
            key += "".join(f"/{stamps.by_unit.get((county, period), '')}" for period in earlier[month])
        elif month < 12 and (county, month) not in banded:  # September is the actual: no band
            key += f"/{stamps.by_unit.get((county, period), '')}"
        wanted[(village, period)] = key
    return wanted


def festival_earlier_periods(con: duckdb.DuckDBPyConnection, income_year: int) -> dict[int, list[str]]:
    """The months of an income year between its and last year's Spring Festival wage months (marts/spread_months;
    needs the settings frames registered) and the periods each reads besides its own, up to the month before both
    festival months: its first-year band's spread is measured there, and SUDDEN_DROP's wages are compared through it
    (or, for a household left out of it, an earlier month)."""
    return {month: [period_of(income_year, m) for m in range(1, (at or 0) + 1)]
            for month, at in db.rows(con, "marts/spread_months", {"income_year": income_year})}


def register_villages(con: duckdb.DuckDBPyConnection, units: list[mart_keys.Unit]) -> None:
    """Village × period units as the frames the flag statements read: status_villages (village_code, period), and
    mart_units holding their counties × periods (what a county's month shares: its bands, its spread)."""
    con.register("status_villages", pl.DataFrame({"village_code": [v for v, _ in units], "period": [p for _, p in units]},
                                                 schema={"village_code": pl.Utf8, "period": pl.Utf8}))
    mart_keys.register_units(con, {(mart_keys.county_of(unit), unit[1]) for unit in units})


def insert_status(con: duckdb.DuckDBPyConnection, settings: Settings, income_year: int, with_text: bool = True) -> int:
    """Insert household_status rows of the registered county × period units of an income year (projected by
    calendars.project_periods); returns the rows inserted. Without text, the columns only pages, exports and the
    ledger read (names, ID numbers, reasons, measures, risk causes, gaps) are left NULL: rows made to be counted."""
    return project.inserted(con, "marts/household_status",
                            {"income_year": income_year, **project.band_edge_parameters(settings),
                             "band_spread_min_households": settings.band_spread_min_households,
                             "with_text": with_text})


def signal_villages(con: duckdb.DuckDBPyConnection, as_of: str, stamps: mart_keys.Stamps | None = None) -> int:
    """Bring village_signals up to date for every village and period of the as-of income year up to the as-of
    month (needs household_status of the same as-of, and the settings frames flag_households registers);
    returns its rows."""
    income_year, income_month = income_year_month(as_of)
    stamps = stamps or mart_keys.Stamps(con)
    villages = {c: mart_keys.digest(codes) for c, codes in db.rows(con, "marts/county_villages")}
    periods = [period_of(income_year, m) for m in range(1, income_month + 1)]
    # THRESHOLD_BUNCHING reads the projections, which read the year's October as household_status does (status_keys)
    october = period_of(income_year, 1)
    wanted = {(c, p): f"{stamps.by_unit.get((c, p), '')}/{stamps.by_unit.get((c, october), '')}/"
                      f"{stamps.history_key(c, income_year)}/{villages.get(c, '')}"
              for c in set(villages) | set(stamps.by_county) for p in periods}
    mart_keys.refresh(con, "signals", "village_signals", wanted, lambda _: project.inserted(con, "marts/village_signals"))
    return int(db.scalar(con, "SELECT count(*) FROM village_signals"))
