"""Nights in sequence against one rebuild: the village signals after a late October return equal those one run over
the same final inbox makes on a fresh database."""
from __future__ import annotations

from tests.support.nights import VILLAGE, differences, fresh_copy, monthly_returns
from tests.support.returns import make_city
from tests.support.runs import query, run_nightly

# ten households of the first village on pace for just above the line this year, from far lower wages last year,
# and left out of last September's return (back in October, which estimates it)
THIS_YEAR = {f"{VILLAGE}{seq:04d}": 625 + seq for seq in range(1, 11)} | {f"{VILLAGE}0011": 3000}
LAST_YEAR = {f"{VILLAGE}{seq:04d}": 400 + seq for seq in range(1, 11)} | {f"{VILLAGE}0011": 3000}
LEFT_OUT = {(f"{VILLAGE}{seq:04d}", "201909") for seq in range(1, 11)}
BUNCHING = "SELECT period FROM village_signals WHERE code = 'THRESHOLD_BUNCHING'"


def test_a_late_october_return_judges_the_later_months_signals_again(prefect_harness, tmp_path):
    """Without last September the ten households' November projections bunch just above the line
    (THRESHOLD_BUNCHING); the late October return estimates their September, their projections fall well below,
    and the village's November signal must go, as a fresh store finds."""
    kept = tmp_path / "kept"
    make_city(kept)
    monthly_returns(kept, 2019, range(1, 13), LAST_YEAR, LEFT_OUT)
    monthly_returns(kept, 2020, [2], THIS_YEAR)
    run_nightly(kept, today="2019-12-10")
    assert query(kept, BUNCHING) == [("201911",)]
    monthly_returns(kept, 2020, [1], THIS_YEAR, villages={VILLAGE})  # the late October return
    assert run_nightly(kept, today="2019-12-11").as_of == "201911"
    fresh = fresh_copy(kept, tmp_path / "fresh")
    run_nightly(fresh, today="2019-12-11")

    assert differences(kept / "db.duckdb", fresh / "db.duckdb", "household_status") == ([], [])
    assert query(fresh, BUNCHING) == []
    signals = differences(kept / "db.duckdb", fresh / "db.duckdb", "village_signals")
    assert signals == ([], []), signals
