"""The band learns from the county's latest `band_years` backtested years before its target year, and from no other
(sql/marts/projection_bands.sql picks those years before it computes any error, so older years cost nothing):
each target year of one statement from its own years, both edges as the quantiles of those years' errors alone."""
from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from core import db
from tasks.marts import calendars
from tests.support.store_builder import settings_with

COUNTY, OTHER = "430502", "430503"
# each backtested year errs on its own scale, so a band learned from the wrong years shows
SCALE = {2016: 0.9, 2017: 0.5, 2018: 0.2, 2019: 0.05}


def backtest_rows(county: str, years: list[int]) -> list[tuple]:
    """Forty households' backtest rows of each year's months 1-11: relative errors spread over ±SCALE[year]
    (no history, no year to date: the scaled error is the relative error itself)."""
    rows = []
    for year in years:
        for month in range(1, 12):
            for n in range(40):
                error = SCALE[year] * ((n * 7 + month * 3) % 40 - 19.5) / 19.5
                rows.append((f"{county}{n:04d}", county, year, month, 10000.0, 10000.0 * (1 + error), 0))
    return rows


def bands(tmp_path, band_years: int, targets: list[tuple[str, int]]) -> dict:
    """projection_bands made for these county × target years from the backtest above: (county, year, month) ->
    (count, low, high, new count, new low, new high)."""
    con = db.connect(tmp_path / "store.duckdb")
    con.execute(db.sql_text("marts/create_tables")).fetchall()
    con.executemany("INSERT INTO projection_backtest (household_id, county_code, income_year, income_month, "
                    "projected_per_capita, actual_per_capita, history_years) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    backtest_rows(COUNTY, [2016, 2017, 2018, 2019]) + backtest_rows(OTHER, [2019]))
    con.register("mart_units", pl.DataFrame({"county_code": [c for c, _ in targets],
                                             "unit": [str(y) for _, y in targets]}))
    settings = settings_with(band_years=band_years, band_history_prior=[1.0] * 11, band_remaining_power=0.0,
                             band_min_new_households=1)
    calendars.inserted(con, "marts/projection_bands", calendars.band_parameters(settings))
    found = con.execute("SELECT county_code, income_year, income_month, backtest_count, low_scaled_error, "
                        "high_scaled_error, new_backtest_count, new_low_scaled_error, new_high_scaled_error "
                        "FROM projection_bands").fetchall()
    con.close()
    return {(c, y, m): rest for c, y, m, *rest in found}


def expected(years: list[int], month: int, coverage: float = 0.8) -> tuple:
    """The count and edges the band of these backtested years has at a month."""
    errors = [actual / projected - 1 for _, _, y, m, projected, actual, _ in backtest_rows(COUNTY, years)
              if m == month]
    tail = (1 - coverage) / 2
    low, high = np.quantile(errors, [tail, 1 - tail])
    return len(errors), min(low, 0.0), max(high, 0.0)


@pytest.mark.parametrize(("band_years", "learned"), [(1, {2020: [2019], 2018: [2017]}),
                                                      (2, {2020: [2018, 2019], 2018: [2016, 2017]}),
                                                      (9, {2020: [2016, 2017, 2018, 2019], 2018: [2016, 2017]})])
def test_each_target_year_learns_from_its_latest_backtested_years_alone(tmp_path, band_years, learned):
    made = bands(tmp_path, band_years, [(COUNTY, 2020), (COUNTY, 2018), (OTHER, 2020), (OTHER, 2019)])
    for target, years in learned.items():
        for month in range(1, 12):
            count, low, high, new_count, new_low, new_high = made[(COUNTY, target, month)]
            want_count, want_low, want_high = expected(years, month)
            assert count == new_count == want_count
            assert (low, high) == pytest.approx((want_low, want_high))
            assert (new_low, new_high) == pytest.approx((low, high))  # every household new: the same band
    # the other county's band is its own single year's, and its 2019 has no backtest before it: no row
    assert {(c, y) for c, y, _ in made} == {(COUNTY, 2020), (COUNTY, 2018), (OTHER, 2020)}
    assert made[(OTHER, 2020, 5)][0] == 40
