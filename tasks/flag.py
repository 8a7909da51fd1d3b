"""Flags: household flags with reasons and measures, and village signals, for the as-of income year."""
from __future__ import annotations

import duckdb

from povmon import db
from povmon.settings import Settings


def income_year_month(period: str) -> tuple[int, int]:
    """Income year and month of the income year (October = 1) of a YYYYMM period."""
    year, month = int(period[:4]), int(period[4:])
    return (year + 1, month - 9) if month >= 10 else (year, month + 3)


def flag_households(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: str) -> int:
    """Rebuild household_status for the as-of income year up to the as-of month; returns its rows."""
    income_year, income_month = income_year_month(as_of)
    db.run(con, "marts/household_status", {"income_year": income_year, "income_month": income_month,
                                           "band_default_relative": settings.band_default_relative})
    return int(db.scalar(con, "SELECT count(*) FROM household_status"))


def signal_villages(con: duckdb.DuckDBPyConnection, as_of: str) -> int:
    """Rebuild village_signals for the as-of income year up to the as-of month; returns its rows."""
    income_year, income_month = income_year_month(as_of)
    db.run(con, "marts/village_signals", {"income_year": income_year, "income_month": income_month})
    return int(db.scalar(con, "SELECT count(*) FROM village_signals"))
