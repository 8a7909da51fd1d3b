"""Gap estimates where a county's history begins mid-year: nothing is estimated before its first usable return of
the year, so the next year compares as with no previous year on record (not with a figure extrapolated back)."""
from __future__ import annotations

import pytest

from tests.support.store_builder import (COUNTY, VILLAGE, build_store, household_row, linear_year, rebuild_marts,
                                         settings_with, status_of, year_periods)

LATE_VILLAGE = "430521100002"    # same county: sent nothing in the year's first three months
OTHER_COUNTY = "430522100001"    # a county whose history in the store begins in April (month 7)
# year-to-date wages of the other county's household, April to September 2020: most of the year's 20,000 came before
# April (a festival migrant back early), which an October extrapolated from April along the default shares
# (0.07 / 0.59 of it: 2,100) would make a 33 % drop from this October's 1,400
LATE_START_WAGES = [17700.0, 18160.0, 18620.0, 19080.0, 19540.0, 20000.0]


def gap_months(con, household_id: str, income_year: int) -> list[int]:
    """The months of a household's year estimated in household_month_gaps."""
    return [m for (m,) in con.execute("SELECT income_month FROM household_month_gaps WHERE household_id = ? "
                                      "AND income_year = ? ORDER BY 1", [household_id, income_year]).fetchall()]


@pytest.fixture(scope="module")
def late_start_store():
    """Three households: one sending every month of 2020, one whose village sent nothing before January, one of a
    county on record from April only; each sends October 2020 (the first month of income year 2021)."""
    rows = linear_year(f"{VILLAGE}0001", 2020, wage=20000.0)
    rows += [r for r in linear_year(f"{LATE_VILLAGE}0001", 2020, wage=20000.0)
             if r["period"] not in year_periods(2020, 3)]
    rows += [household_row(f"{OTHER_COUNTY}0001", period, wage=wage, household_type="监测户")
             for period, wage in zip(year_periods(2020)[6:], LATE_START_WAGES)]
    for household in (f"{VILLAGE}0001", f"{LATE_VILLAGE}0001"):
        rows += linear_year(household, 2021, 1, wage=20000.0)
    rows.append(household_row(f"{OTHER_COUNTY}0001", "202010", wage=1400.0, household_type="监测户"))
    con = build_store(rows)
    rebuild_marts(con, settings_with(share_min_households=1), "202010")
    return con


def test_no_month_is_estimated_before_the_countys_first_return_of_the_year(late_start_store):
    """A village that sent nothing in months its county has returns of is estimated (as before); a county on record
    from April has no estimate of October to March."""
    con = late_start_store
    assert con.execute("SELECT min(income_month) FROM household_months WHERE county_code = ? AND income_year = 2020",
                       [COUNTY]).fetchone() == (1,)
    assert gap_months(con, f"{LATE_VILLAGE}0001", 2020) == [1, 2, 3]
    assert gap_months(con, f"{VILLAGE}0001", 2020) == []
    assert gap_months(con, f"{OTHER_COUNTY}0001", 2020) == []


def test_the_next_october_compares_with_last_year_not_with_an_extrapolation(late_start_store):
    """The late county's October compares its projection with last September's per-capita (no drop), and quotes no
    estimated same month of last year; the village estimated from its county's months still compares with one."""
    status = status_of(late_start_store, "202010")
    late = status[f"{OTHER_COUNTY}0001"]
    assert late["last_year_per_capita"] == 5000.0
    assert not late["is_sudden_drop"], late["reasons"]
    assert "上年同期" not in late["reasons"]
    assert status[f"{LATE_VILLAGE}0001"]["is_sudden_drop"] is False
