"""Village signals: threshold bunching by a stated binomial rule, identical rows, missing returns."""
from __future__ import annotations

from tests.support.store_builder import VILLAGE, build_store, household_row, rebuild_marts, settings_with

PERIOD = "202009"  # month 12: projections are the actuals, so the figures below are exact
BUNCHED, UNIFORM, TINY, COPIED, ZEROS, SUBSIDY, SILENT, REJECTED = (f"4305211000{n:02d}" for n in range(1, 9))


def village_rows(village: str, per_capita: list[float], **amounts) -> list[dict]:
    """One row per per-capita figure (households of 4, all wage income) at PERIOD."""
    return [household_row(f"{village}{i + 1:04d}", PERIOD, wage=4 * pc, **amounts) for i, pc in enumerate(per_capita)]


def signals(con) -> dict[tuple[str, str], str]:
    """(village, code) -> detail of the signals at PERIOD."""
    found = con.execute("SELECT village_code, code, detail FROM village_signals WHERE period = ?", [PERIOD]).fetchall()
    return {(v, c): d for v, c, d in found}


def build_villages():
    """Every kind of village at once, in one county."""
    rows = village_rows(BUNCHED, [4000 + 25 * i for i in range(12)] + [3700, 9000, 12000])   # 12 just above, 1 below
    rows += village_rows(UNIFORM, [2000 + 25 * i for i in range(240)])                         # 16 above, 16 below
    rows += village_rows(TINY, [4050, 4100, 4150])                                             # 3 near the line
    rows += [household_row(f"{COPIED}{i:04d}", PERIOD, wage=12345.0, business=2345.5, transfer=800.0)
             for i in range(1, 7)] + village_rows(COPIED, [7000, 8000])
    rows += [household_row(f"{ZEROS}{i:04d}", PERIOD) for i in range(1, 11)]                  # legitimately all zero
    rows += [household_row(f"{SUBSIDY}{i:04d}", PERIOD, transfer=3600.0) for i in range(1, 11)]  # one standard figure
    return build_store(rows, villages=[SILENT, REJECTED], rejected=[(REJECTED, PERIOD)])


def test_signals_fire_where_planted_and_nowhere_else():
    con = build_villages()
    rebuild_marts(con, settings_with(share_min_households=1), PERIOD)
    found = signals(con)
    assert set(found) == {(BUNCHED, "THRESHOLD_BUNCHING"), (COPIED, "IDENTICAL_ROWS"), (SILENT, "MISSING_RETURN"),
                          (REJECTED, "MISSING_RETURN")}
    assert "上方10%以内12户、下方10%以内1户" in found[(BUNCHED, "THRESHOLD_BUNCHING")]
    assert found[(COPIED, "IDENTICAL_ROWS")].startswith("6户收入数字完全相同（工资性12345.00、经营性2345.50")
    assert found[(REJECTED, "MISSING_RETURN")] == "202009月报未按期报送：收到1个文件均被拒收"
    assert found[(SILENT, "MISSING_RETURN")] == "202009月报未按期报送"


def test_bunching_needs_the_minimum_count_and_a_small_p_value():
    """10 above and 0 below: p = 1/1024 fires; 9 above and 1 below: p ≈ 0.011 does not (rule: p < 0.01, n ≥ 10)."""
    rows = village_rows(BUNCHED, [4010 + 10 * i for i in range(10)])
    rows += village_rows(UNIFORM, [4010 + 10 * i for i in range(9)] + [3990])
    rows += village_rows(TINY, [4010 + 10 * i for i in range(9)])
    con = build_store(rows)
    rebuild_marts(con, settings_with(share_min_households=1), PERIOD)
    assert [v for v, c in signals(con) if c == "THRESHOLD_BUNCHING"] == [BUNCHED]
    assert "p=0.0010" in signals(con)[(BUNCHED, "THRESHOLD_BUNCHING")]


def test_identical_rows_need_enough_households():
    rows = [household_row(f"{COPIED}{i:04d}", PERIOD, wage=12345.0, business=2345.5) for i in range(1, 5)]
    con = build_store(rows)
    rebuild_marts(con, settings_with(share_min_households=1), PERIOD)
    assert signals(con) == {}
    rebuild_marts(con, settings_with(share_min_households=1, identical_min_households=4), PERIOD)
    assert set(signals(con)) == {(COPIED, "IDENTICAL_ROWS")}


def test_a_village_whose_every_row_is_quarantined_has_no_usable_return():
    rows = [household_row(f"{VILLAGE}0001", PERIOD, wage=9000.0, is_quarantined=True)]
    rows += [household_row(f"{VILLAGE[:-1]}2{n:04d}", PERIOD, wage=9000.0) for n in range(1, 3)]
    con = build_store(rows)
    rebuild_marts(con, settings_with(share_min_households=1), PERIOD)
    assert set(signals(con)) == {(VILLAGE, "MISSING_RETURN")}
