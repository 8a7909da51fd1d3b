"""Nights in sequence against one rebuild: the key figures a county page shows (county_month_figures) after a late
return equal those one run over the same final inbox records on a fresh database."""
from __future__ import annotations

from tests.support.nights import VILLAGE, OTHER_VILLAGE, differences, fresh_copy, monthly_returns
from tests.support.returns import make_city
from tests.support.runs import run_nightly

# monthly wages: the first village's second household is poor, a 脱贫户, and left out of last September's return
WAGES = {f"{VILLAGE}0001": 3000, f"{VILLAGE}0002": 700, f"{VILLAGE}0003": 2800,
         f"{OTHER_VILLAGE}0001": 3000, f"{OTHER_VILLAGE}0002": 700, f"{OTHER_VILLAGE}0003": 2800}
LEFT_OUT = {(f"{VILLAGE}0002", "201909")}


def test_a_late_october_return_recounts_the_later_months_figures(prefect_harness, tmp_path):
    """A village's October return arriving after November ran gives its household left out of September last
    year's figure (estimated from October: UNSTABLE_LIFTED); the household's November flags change, and so must
    November's key figures, as a fresh store counts them."""
    kept = tmp_path / "kept"
    make_city(kept)
    monthly_returns(kept, 2019, range(1, 13), WAGES, LEFT_OUT)
    monthly_returns(kept, 2020, [2], WAGES)
    monthly_returns(kept, 2020, [1], WAGES, villages={OTHER_VILLAGE})
    run_nightly(kept, today="2019-12-10")
    monthly_returns(kept, 2020, [1], WAGES, villages={VILLAGE})  # the late October return
    assert run_nightly(kept, today="2019-12-11").as_of == "201911"
    fresh = fresh_copy(kept, tmp_path / "fresh")
    run_nightly(fresh, today="2019-12-11")

    assert differences(kept / "db.duckdb", fresh / "db.duckdb", "household_status") == ([], [])
    figures = differences(kept / "db.duckdb", fresh / "db.duckdb", "county_month_figures")
    assert figures == ([], []), figures
