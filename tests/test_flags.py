"""Household flags on hand-computed households: every flag, every boundary, reasons and measures."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

from tests.support.store_builder import VILLAGE, build_store, linear_year, rebuild_marts, settings_with, status_of


def hid(n: int) -> str:
    """A household ID of the test village."""
    return f"{VILLAGE}{n:04d}"


# household -> (2019 rows keyword arguments or None, 2020 rows keyword arguments); incomes are year totals
YEAR_END = {
    1: (None, dict(wage=15999.96, household_type="监测户")),                 # 3999.99: below
    2: (None, dict(wage=16000.00, household_type="监测户")),                 # 4000.00 exactly: near, not below
    3: (None, dict(wage=23999.96, household_type="监测户")),                 # 5999.99: near
    4: (None, dict(wage=24000.00, household_type="监测户")),                 # 6000.00 exactly: no flag
    5: (dict(wage=100000.0), dict(wage=70000.00, household_type="监测户")),  # exactly 30 % drop
    6: (dict(wage=100000.0), dict(wage=70000.04, household_type="监测户")),  # just under 30 %
    7: (dict(wage=0.0), dict(wage=0.0, household_type="监测户")),            # last year zero: no drop
    8: (dict(expense=100.0), dict(expense=200.0, household_type="监测户")),  # last year negative: no drop
    9: (None, dict(wage=70000.0, last_year_per_capita=25000.0, household_type="监测户")),  # column: exactly 30 %
    10: (None, dict(wage=70000.0, last_year_per_capita=0.0, household_type="监测户")),     # column zero: no drop
    11: (dict(wage=15999.96), dict(wage=100000.0)),                       # 脱贫户, last year 3999.99 < 4000
    12: (dict(wage=16000.00), dict(wage=100000.0)),                       # 脱贫户, last year exactly 4000
    13: (dict(wage=12000.00, household_type="监测户"), dict(wage=100000.0, household_type="监测户")),
    14: (None, dict(wage=100000.0, last_year_per_capita=3900.0)),          # 脱贫户, only the column: 3900
    15: (dict(wage=16400.0), dict(wage=100000.0, last_year_per_capita=3900.0)),  # the database wins: 4100
    16: (None, dict(wage=100000.0, household_type="监测户", housing_safe=False, water_safe=False,
                    dropout_count=1, insured_count=3)),
    17: (None, dict(wage=100000.0, household_type="监测户", housing_safe=None, water_safe=None,
                    dropout_count=None, insured_count=None)),
    18: (None, dict(wage=8000.0, household_type="低保户", labor_count=0)),  # below, no labour
    19: (dict(wage=40000.0), dict(wage=8000.0, household_type="监测户", labor_count=2)),  # wage down
    20: (dict(wage=4000.0), dict(wage=8000.0, household_type="监测户", labor_count=1)),   # wage up, below
}


@pytest.fixture(scope="module")
def year_end():
    """household_status at September 2020 (month 12: the projection is the actual) for the households above."""
    rows = []
    for n, (last_year, this_year) in YEAR_END.items():
        if last_year is not None:
            rows += linear_year(hid(n), 2019, **{"household_type": "脱贫户", **last_year})
        rows += linear_year(hid(n), 2020, **{"household_type": "脱贫户", **this_year})
    con = build_store(rows)
    rebuild_marts(con, settings_with(share_min_households=1), "202009")
    return status_of(con, "202009")


@pytest.mark.parametrize("n, flags", [
    (1, "BELOW_LINE"), (2, "NEAR_LINE"), (3, "NEAR_LINE"), (4, ""),
    (5, "SUDDEN_DROP"), (6, ""), (7, "BELOW_LINE"), (8, "BELOW_LINE"), (9, "SUDDEN_DROP"), (10, ""),
    (11, "UNSTABLE_LIFTED"), (12, ""), (13, ""), (14, "UNSTABLE_LIFTED"), (15, ""),
    (16, "GUARANTEE_GAP"), (17, ""), (18, "BELOW_LINE"), (19, "BELOW_LINE;SUDDEN_DROP"), (20, "BELOW_LINE"),
])
def test_flags_at_year_end(year_end, n, flags):
    assert year_end[hid(n)]["flags"] == flags


def test_month_12_projection_is_the_actual(year_end):
    assert year_end[hid(1)]["projected_per_capita"] == pytest.approx(3999.99, abs=1e-9)
    assert year_end[hid(2)]["projected_per_capita"] == 4000.0
    assert year_end[hid(1)]["projected_low"] == year_end[hid(1)]["projected_high"] == year_end[hid(1)]["projected_per_capita"]


def test_booleans_match_the_codes(year_end):
    row = year_end[hid(19)]
    assert (row["is_below_line"], row["is_sudden_drop"], row["is_near_line"], row["is_unstable_lifted"],
            row["has_guarantee_gap"]) == (True, True, False, False, False)


def test_reasons_give_the_figures_in_chinese(year_end):
    assert year_end[hid(1)]["reasons"] == "【低于监测线】全年人均纯收入3999.99元，低于监测线4000.00元"
    assert "比上年同期100000.00元减少30.0%" in year_end[hid(5)]["reasons"]
    assert "比上年人均纯收入25000.00元减少30.0%" in year_end[hid(9)]["reasons"]
    assert "脱贫户上年人均纯收入3999.99元，低于本年监测线4000.00元" in year_end[hid(11)]["reasons"]
    assert "不足监测线4000.00元的1.5倍（6000.00元）" in year_end[hid(3)]["reasons"]


def test_last_year_per_capita_from_the_database_before_the_column(year_end):
    assert year_end[hid(14)]["last_year_per_capita"] == 3900.0
    assert year_end[hid(15)]["last_year_per_capita"] == 4100.0


def test_guarantee_gap_names_which(year_end):
    assert year_end[hid(16)]["guarantee_gaps"] == ("住房不安全、饮水不安全、义务教育阶段失学辍学1人、"
                                                   "参加基本医疗保险3人，少于家庭人口4人")
    assert year_end[hid(17)]["guarantee_gaps"] is None


@pytest.mark.parametrize("n, measure", [
    (18, "兜底保障（纳入低保或扩面）"), (19, "稳岗就业"), (20, "公益岗位"), (5, "稳岗就业"), (3, "持续监测"),
    (11, "持续监测"), (16, "教育资助、危房改造、饮水改造"), (17, None),
])
def test_suggested_measure(year_end, n, measure):
    assert year_end[hid(n)]["suggested_measure"] == measure


def test_sudden_drop_compares_the_same_month_mid_year():
    """March 2020 against March 2019: year to date down 30 % exactly fires, less does not."""
    rows = linear_year(hid(1), 2019, wage=120000.0) + linear_year(hid(1), 2020, 6, wage=84000.0)
    rows += linear_year(hid(2), 2019, wage=120000.0) + linear_year(hid(2), 2020, 6, wage=84000.12)
    con = build_store(rows)
    rebuild_marts(con, settings_with(share_min_households=1), "202003")
    status = status_of(con, "202003")
    assert status[hid(1)]["flags"] == "SUDDEN_DROP"
    assert "截至本月累计纯收入42000.00元，比上年同期60000.00元减少30.0%" in status[hid(1)]["reasons"]
    assert status[hid(2)]["flags"] == ""


def test_thresholds_per_income_year_come_from_settings():
    """A city raising the near-line factor for 2020 and the line changes the flags without code."""
    rows = linear_year(hid(1), 2020, wage=26000.0, household_type="监测户")  # 6500 per capita
    con = build_store(rows)
    settings = settings_with(share_min_households=1, lines={2020: 4000.0},
                             policy_by_year={2020: {"near_line_factor": 1.7}})
    rebuild_marts(con, settings, "202009")
    assert status_of(con, "202009")[hid(1)]["flags"] == "NEAR_LINE"
    rebuild_marts(con, settings_with(share_min_households=1, lines={2020: 7000.0}), "202009")
    assert status_of(con, "202009")[hid(1)]["flags"] == "BELOW_LINE"


def test_components_summing_to_the_line_are_at_the_line():
    """Amounts in fen adding up to the line exactly (1818.91 + 519.17 + 1078.78 + 583.14 = 4000, a binary
    3999.9999999999995) are at the line, as is a year-end sum of the same month's wage less expense over the line."""
    rows = linear_year(hid(1), 2020, size=1, wage=1818.91, business=519.17, property_=1078.78, transfer=583.14,
                       household_type="监测户")
    rows += linear_year(hid(2), 2020, size=1, wage=4100.1, expense=100.1, household_type="监测户")
    rows += linear_year(hid(3), 2019, size=1, wage=1818.91, business=519.17, property_=1078.78, transfer=583.14)
    rows += linear_year(hid(3), 2020, size=1, wage=9000.0)
    con = build_store(rows)
    rebuild_marts(con, settings_with(share_min_households=1), "202009")
    status = status_of(con, "202009")
    assert (status[hid(1)]["projected_per_capita"], status[hid(1)]["flags"]) == (4000.0, "NEAR_LINE")
    assert (status[hid(2)]["projected_per_capita"], status[hid(2)]["flags"]) == (4000.0, "NEAR_LINE")
    assert (status[hid(3)]["last_year_per_capita"], status[hid(3)]["flags"]) == (4000.0, "")


def test_near_line_ends_at_the_line_times_the_factor_exactly():
    """3200 × 1.1 is 3520.0000000000005 in binary: a household at 3520.00 is not below 1.1 × the line."""
    rows = linear_year(hid(1), 2020, size=1, wage=3520.0, household_type="监测户")
    rows += linear_year(hid(2), 2020, size=1, wage=3519.99, household_type="监测户")
    con = build_store(rows)
    rebuild_marts(con, settings_with(share_min_households=1, lines={2020: 3200.0}, near_line_factor=1.1), "202009")
    status = status_of(con, "202009")
    assert (status[hid(1)]["flags"], status[hid(2)]["flags"]) == ("", "NEAR_LINE")
    assert status[hid(2)]["reasons"].endswith("不足监测线3200.00元的1.1倍（3520.00元）")


def test_sudden_drop_against_the_column_quotes_the_band():
    """A mid-year SUDDEN_DROP against 上年人均纯收入 quotes the projection with its band, as BELOW_LINE does."""
    rows = linear_year(hid(1), 2020, 6, wage=40000.0, last_year_per_capita=25000.0, household_type="监测户")
    con = build_store(rows)
    rebuild_marts(con, settings_with(share_min_households=1), "202003")
    row = status_of(con, "202003")[hid(1)]
    assert row["flags"] == "SUDDEN_DROP"
    band = f"（区间{row['projected_low']:.2f}–{row['projected_high']:.2f}元）"
    assert f"预计全年人均纯收入{row['projected_per_capita']:.2f}元{band}，比上年人均纯收入25000.00元" in row["reasons"]


def whole_yuan(amount: float) -> str:
    """An amount as the pages quote it: its figure to the fen rounded half up, with thousands separators."""
    return f"{Decimal(f'{amount:.2f}').quantize(Decimal(1), ROUND_HALF_UP):,}"


def test_mid_year_below_and_near_line_quote_the_band():
    """Mid-year BELOW_LINE and NEAR_LINE quote the projection with its band (formatted only where a reason needs it)."""
    rows = linear_year(hid(1), 2020, 6, wage=4000.0, household_type="监测户")
    rows += linear_year(hid(2), 2020, 6, wage=20000.0, household_type="监测户")
    rows += linear_year(hid(3), 2020, 6, wage=100000.0, household_type="监测户")
    con = build_store(rows)
    rebuild_marts(con, settings_with(share_min_households=1), "202003")
    status = status_of(con, "202003")
    assert [status[hid(n)]["flags"] for n in (1, 2, 3)] == ["BELOW_LINE", "NEAR_LINE", ""]
    for n, label in ((1, "【低于监测线】"), (2, "【临界边缘】")):
        row = status[hid(n)]
        band = f"（区间{row['projected_low']:.2f}–{row['projected_high']:.2f}元）"
        assert row["reasons"].startswith(f"{label}预计全年人均纯收入{row['projected_per_capita']:.2f}元{band}，")
        shown = f"（区间{whole_yuan(row['projected_low'])}元–{whole_yuan(row['projected_high'])}元）"
        assert row["page_reasons"].startswith(f"预计全年人均纯收入{whole_yuan(row['projected_per_capita'])}元{shown}，")
    assert status[hid(1)]["page_reasons"].endswith(f"，低于监测线{whole_yuan(row['line'])}元")
    assert status[hid(3)]["reasons"] == status[hid(3)]["page_reasons"] == ""


def test_an_estimated_last_year_is_marked_in_the_reasons():
    """Last year's September estimated (its village sent none): UNSTABLE_LIFTED quotes the figure as （估算）."""
    rows = []
    for village in (VILLAGE, "430521100002"):  # the test village sent no 201909 return, the other did
        rows += [r for r in linear_year(f"{village}0001", 2019, wage=14000.0) if (village, r["period"]) != (VILLAGE, "201909")]
        rows += linear_year(f"{village}0001", 2020, 2, wage=14000.0)
    con = build_store(rows)
    rebuild_marts(con, settings_with(share_min_households=1), "201911")
    status = status_of(con, "201911")
    assert "脱贫户上年人均纯收入（估算）" in status[hid(1)]["reasons"]
    assert "脱贫户上年人均纯收入3500.00元" in status["4305211000020001"]["reasons"]
