"""The income year (1 October – 30 September; income year 2020 starts 2019-10-01): the one place Python counts it.

sql/schema/005_macros.sql holds the same arithmetic for SQL (income_year_of, income_month_of);
tests/test_income_year.py checks that the two agree on every month."""
from __future__ import annotations


def income_year_month(period: str) -> tuple[int, int]:
    """Income year and month of the income year (October = 1, September = 12) of a YYYYMM period."""
    year, month = int(period[:4]), int(period[4:])
    return (year + 1, month - 9) if month >= 10 else (year, month + 3)


def period_of(income_year: int, income_month: int) -> str:
    """The YYYYMM period of a month of an income year (October = 1)."""
    return f"{income_year - 1}{income_month + 9}" if income_month <= 3 else f"{income_year}{income_month - 3:02d}"


def calendar_month(income_month: int) -> int:
    """The calendar month (1–12) of a month of the income year (October = 1)."""
    return (income_month + 8) % 12 + 1
