"""The projection: learned per county from its complete past years, with fallbacks and a band."""
from __future__ import annotations

import pytest

from tests.support.store_builder import (VILLAGE, build_store, household_row, linear_year, rebuild_marts, settings_with,
                                 status_of, year_periods)

# a strongly seasonal profile: share of the year's wage reached by each month (October = 1)
WAGE_PROFILE = [0.05, 0.10, 0.15, 0.45, 0.60, 0.65, 0.70, 0.75, 0.80, 0.85, 0.92, 1.0]
QUARTERLY = [0.0, 0.0, 0.25, 0.25, 0.25, 0.5, 0.5, 0.5, 0.75, 0.75, 0.75, 1.0]
OTHER_VILLAGE = "430522100001"  # another county


def profile_year(household_id: str, income_year: int, wage: float = 0.0, transfer: float = 0.0,
                 last_month: int = 12, wage_profile=WAGE_PROFILE, **other) -> list[dict]:
    """Rows of a household whose wage follows wage_profile and whose transfers come quarterly."""
    return [household_row(household_id, p, wage=wage * wage_profile[m], transfer=transfer * QUARTERLY[m], **other)
            for m, p in enumerate(year_periods(income_year, last_month))]


def projected(con, household_id: str, period: str) -> dict:
    """household_status of one household and period."""
    return status_of(con, period)[household_id]


def test_mid_year_projection_uses_the_learned_seasonal_share():
    rows = profile_year(f"{VILLAGE}0001", 2019, wage=50000.0)
    rows += [household_row(f"{VILLAGE}0002", p, wage=13000.0 * (m + 1) / 6) for m, p in
             enumerate(year_periods(2020, 6))]
    con = build_store(rows)
    rebuild_marts(con, settings_with(share_min_households=1), "202003")
    # March is month 6: the county reached 65 % of its wages by then, so 13000 -> 20000 a year, 5000 per capita
    assert projected(con, f"{VILLAGE}0002", "202003")["projected_per_capita"] == pytest.approx(5000.0)
    assert projected(con, f"{VILLAGE}0002", "202003")["flags"] == "NEAR_LINE"  # naive 12/month: 6500, no flag


def test_each_county_learns_its_own_profile():
    flat = [m / 12 for m in range(1, 13)]
    rows = profile_year(f"{VILLAGE}0001", 2019, wage=50000.0)
    rows += profile_year(f"{OTHER_VILLAGE}0001", 2019, wage=50000.0, wage_profile=flat)
    rows += [household_row(f"{v}0002", "202003", wage=13000.0) for v in (VILLAGE, OTHER_VILLAGE)]
    con = build_store(rows)
    rebuild_marts(con, settings_with(share_min_households=1), "202003")
    assert projected(con, f"{VILLAGE}0002", "202003")["projected_per_capita"] == pytest.approx(5000.0)
    assert projected(con, f"{OTHER_VILLAGE}0002", "202003")["projected_per_capita"] == pytest.approx(6500.0)


def test_subsidy_not_yet_paid_falls_back_to_last_years_amount():
    """In October the quarterly subsidy's share is zero: the household's amount last year stands in."""
    rows = profile_year(f"{VILLAGE}0001", 2019, wage=12000.0, transfer=4000.0, wage_profile=[m / 12 for m in range(1, 13)])
    rows += [household_row(f"{VILLAGE}0001", "201910", wage=1000.0, transfer=0.0)]
    con = build_store(rows)
    rebuild_marts(con, settings_with(share_min_households=1), "201910")
    # wage 1000 / (1/12) = 12000, transfer 0 + (1 - 0) × 4000 = 4000: 16000 / 4 = 4000 per capita
    assert projected(con, f"{VILLAGE}0001", "201910")["projected_per_capita"] == pytest.approx(4000.0)


def test_household_left_out_of_september_keeps_last_year():
    """Left out of its village's September return and back in October, a household's last year is estimated from its
    August (as a month left out mid-year is): its quarterly subsidy not yet paid is still to come, not lost."""
    flat = [m / 12 for m in range(1, 13)]
    rows = []
    for n in (1, 2):
        rows += profile_year(f"{VILLAGE}000{n}", 2018, wage=9600.0, transfer=8000.0, wage_profile=flat)
        rows += [r for r in profile_year(f"{VILLAGE}000{n}", 2019, wage=9600.0, transfer=8000.0, wage_profile=flat)
                 if not (n == 1 and r["period"] == "201909")]
        rows += profile_year(f"{VILLAGE}000{n}", 2020, wage=9600.0, transfer=8000.0, wage_profile=flat, last_month=2)
    con = build_store(rows)
    rebuild_marts(con, settings_with(share_min_households=1), "201911")
    kept, left_out = projected(con, f"{VILLAGE}0002", "201911"), projected(con, f"{VILLAGE}0001", "201911")
    assert kept["projected_per_capita"] == pytest.approx(4400.0)
    assert left_out["projected_per_capita"] == pytest.approx(4400.0)  # was 2400: no 低保 to come, BELOW_LINE
    assert left_out["last_year_per_capita"] == pytest.approx(4400.0)


def test_thin_history_uses_the_default_shares_of_the_settings():
    """One household-year of village history weighs 1 against village_prior_years of the county's calendar, here
    the settings' default (too little county history): a new household's share is mostly the default's."""
    rows = profile_year(f"{VILLAGE}0001", 2019, wage=50000.0)
    rows += [household_row(f"{VILLAGE}0002", "202003", wage=13000.0)]
    con = build_store(rows)
    shares = {c: [0.5] * 11 + [1.0] for c in ("wage_income", "business_income", "property_income",
                                              "transfer_income", "business_expense")}
    settings = settings_with(share_min_households=50, default_shares=shares, village_prior_years=3.0)
    rebuild_marts(con, settings, "202003")
    share = (1 * 0.65 + 3 * 0.5) / (1 + 3)
    assert projected(con, f"{VILLAGE}0002", "202003")["projected_per_capita"] == pytest.approx(13000.0 / share / 4)


def test_month_12_projection_is_the_actual_whatever_the_shares():
    rows = profile_year(f"{VILLAGE}0001", 2019, wage=50000.0, transfer=1000.0)
    rows += profile_year(f"{VILLAGE}0002", 2020, wage=31234.5, transfer=777.0, size=3)
    con = build_store(rows)
    rebuild_marts(con, settings_with(share_min_households=1), "202009")
    assert projected(con, f"{VILLAGE}0002", "202009")["projected_per_capita"] == pytest.approx((31234.5 + 777.0) / 3)


def test_status_holds_every_month_of_the_year_up_to_the_as_of_month():
    rows = linear_year(f"{VILLAGE}0001", 2019) + linear_year(f"{VILLAGE}0001", 2020, 8, wage=24000.0)
    con = build_store(rows)
    rebuild_marts(con, settings_with(share_min_households=1), "202003")
    periods = [p for (p,) in con.execute("SELECT period FROM household_status ORDER BY period").fetchall()]
    assert periods == year_periods(2020, 6)


def test_band_from_backtest_residuals_holds_the_projection():
    """Two complete years to backtest (2019 learned from 2018) give 2020 its band, around every projection."""
    rows = []
    for n in range(1, 41):
        for year in (2018, 2019, 2020):
            # households differ in how each year unfolds (so their own calendars err too), less so near its end
            bend = ((n * 37 + year * 11) % 21 - 10) / 20
            bent = [s * (1 + bend * (1 - s)) for s in WAGE_PROFILE]
            rows += profile_year(f"{VILLAGE}{n:04d}", year, wage=30000.0 + 100 * n, wage_profile=bent,
                                 last_month=9 if year == 2020 else 12)
    con = build_store(rows)
    rebuild_marts(con, settings_with(share_min_households=1), "202006")
    status = con.sql("SELECT income_month, projected_low, projected_per_capita, projected_high FROM household_status "
                     "WHERE household_id = ? ORDER BY income_month", params=[f"{VILLAGE}0003"]).fetchall()
    widths = [(high - low) / mid for _, low, mid, high in status]
    assert all(low <= mid <= high for _, low, mid, high in status)
    assert min(widths) > 0
    learned = con.execute("SELECT count(*) FROM projection_bands WHERE income_year = 2020").fetchall()[0][0]
    assert learned == 11
