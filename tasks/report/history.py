"""The key figures of each county and month (county_month_figures), kept across income years so that every
figure on the pages carries its change from last month and from the same month last year."""
from __future__ import annotations

import duckdb

from core import db
from core.income_year import income_year_month, period_of
from core.settings import Settings
from tasks.marts import calendars, flag, mart_keys, project

Unit = mart_keys.Unit


def record_figures(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: str | None,
                   stamps: mart_keys.Stamps | None = None) -> int:
    """Bring county_month_figures up to date for the months a run of as_of shows or compares with: those of its
    income year up to as_of, and every month of the previous income year; returns the rows (re)computed.

    A month of the as-of income year is counted from household_status, which the flag step just made for it.
    A month of the previous income year that is not on record with the same key (a store bootstrapped from
    many months at once, a correction of that month, changed settings) is computed by flagging that month
    again with the production statements (marts/household_projections, marts/household_status) and counting
    the result; its household_status rows are removed in the same transaction. That is exactly what a run of
    that month shows with the files on record now, as the month before's figures already are (household_status
    keeps every month of the income year with today's files), so both changes compare like with like, and a
    store rebuilt from the same files holds the same rows. The backtest's as-run projections were the other
    way, and were not taken: they give the projection only (not SUDDEN_DROP, UNSTABLE_LIFTED, guarantee gaps
    or households flagged), none for an income year with no earlier one to learn from (the first year of a
    13-month store), and they follow the order in which files were loaded, which a rebuild does not repeat."""
    if not as_of:
        return 0
    income_year, income_month = income_year_month(as_of)
    stamps = stamps or mart_keys.Stamps(con)  # the project step's, when the run has them
    marts_key = "".join(k for _, _, k in db.rows(con, "marts/read_keys", {"artifact": "global"}))
    project.register_settings(con, settings, [*stamps.years(), income_year])
    earlier = {year: flag.festival_earlier_periods(con, year) for year in (income_year - 1, income_year)}
    wanted: dict[Unit, str] = {}
    for (county, period), stamp in stamps.by_unit.items():
        year, month = income_year_month(period)
        if year == income_year - 1 or (year == income_year and month <= income_month):
            # a month's flags also read its year's October (flag.status_keys): a household left out of last
            # September but back then has last year's September estimated, so a corrected October changes them
            october = stamps.by_unit.get((county, period_of(year, 1)), "")
            wanted[(county, period)] = f"{marts_key}/{stamp}/{october}/{stamps.history_key(county, year)}" + "".join(
                f"/{stamps.by_unit.get((county, before), '')}" for before in earlier[year].get(month, []))
    stored = {(c, p): key for c, p, key in db.rows(con, "figures/read_keys")}
    stale = [unit for unit, key in wanted.items() if stored.get(unit) != key]
    if not stale:
        return 0
    # a group of counties' months at a time, each in a transaction of its own: a past year's months flagged again
    # are one group's rows, not a province year's (and a killed run keeps the groups it finished)
    for group in mart_keys.county_groups(stale, lambda unit: 1):
        with db.transaction(con):
            mart_keys.register_units(con, group)
            db.run(con, "figures/forget")
            store_status_figures(con, {u: wanted[u] for u in group if income_year_month(u[1])[0] == income_year})
            past = {u: wanted[u] for u in group if income_year_month(u[1])[0] == income_year - 1}
            if past:
                flag_past_months(con, settings, past, income_year - 1, stamps.years())
    con.unregister("mart_units")
    return len(stale)


def store_status_figures(con: duckdb.DuckDBPyConnection, units: dict[Unit, str]) -> None:
    """Count the household_status rows of county × period units into county_month_figures, with their keys."""
    if units:
        mart_keys.register_units(con, units, units)
        db.run(con, "figures/from_status")


def flag_past_months(con: duckdb.DuckDBPyConnection, settings: Settings, units: dict[Unit, str], income_year: int,
                     years: list[int]) -> None:
    """Flag county × period units of a past income year as the flag step would, count them into
    county_month_figures, and remove their household_status rows again (call inside a transaction)."""
    mart_keys.register_units(con, units)
    if db.rows(con, "figures/status_rows")[0][0]:
        raise RuntimeError(f"household_status already holds months of income year {income_year}; not flagged twice")
    project.register_settings(con, settings, [*years, income_year])
    calendars.project_periods(con, settings)
    flag.insert_status(con, settings, income_year, with_text=False)  # counted, then removed: no reasons
    store_status_figures(con, units)
    mart_keys.register_units(con, units)
    db.run(con, "marts/forget_county_status")
