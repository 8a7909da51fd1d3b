"""Nights in sequence against one rebuild: a county's first-year bands, measured on the spread of all its households'
years, after another village's return of the month comes late, equal those one run over the same final inbox
gives on a fresh database."""
from __future__ import annotations

from tests.support.nights import VILLAGE, OTHER_VILLAGE, differences, fresh_copy, monthly_returns
from tests.support.returns import make_city
from tests.support.runs import query, run_nightly

# 20 households in each of the county's two villages, their wages this year up or down on last year's by their own
# amount: the county's year-over-year spread needs 30 of them (band_spread_min_households), one village has 20
LAST_YEAR = {f"{village}{seq:04d}": 300 + 20 * seq for village in (VILLAGE, OTHER_VILLAGE) for seq in range(1, 21)}
THIS_YEAR = {household: wage + 40 * (int(household[-4:]) % 7) - 100 for household, wage in LAST_YEAR.items()}
BANDS = f"SELECT projected_low, projected_high FROM household_status WHERE household_id = '{VILLAGE}0001'"


def test_another_villages_late_return_of_the_month_measures_the_first_year_bands_again(prefect_harness, tmp_path):
    """With no backtest yet, the county's bands are its year-over-year spread at the month: one village's 20
    households are too few to measure it (the default band), both villages' 40 are enough. The second village's
    return arriving a night later changes the spread, so the first village's households' bands must follow, as on
    a fresh store."""
    kept = tmp_path / "kept"
    make_city(kept)
    monthly_returns(kept, 2019, range(1, 13), LAST_YEAR)
    monthly_returns(kept, 2020, [1], THIS_YEAR, villages={VILLAGE})
    run_nightly(kept, today="2019-11-10")
    alone = query(kept, BANDS)
    monthly_returns(kept, 2020, [1], THIS_YEAR, villages={OTHER_VILLAGE})  # a day late
    assert run_nightly(kept, today="2019-11-11").as_of == "201910"
    fresh = fresh_copy(kept, tmp_path / "fresh")
    run_nightly(fresh, today="2019-11-11")

    assert query(fresh, BANDS) != alone  # the spread of 40 households gives another band than the default
    status = differences(kept / "db.duckdb", fresh / "db.duckdb", "household_status")
    assert status == ([], []), status
