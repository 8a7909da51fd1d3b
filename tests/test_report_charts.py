"""Charts that tell the truth: bars in the unit of their label, a village without a return shown as missing (no
bar), series told apart without colour, every chart titled with a text summary, context on the key figures."""
from __future__ import annotations

import re

from tasks.report.figures import backtest_charts, county_rate_chart, key_cards, quality_chart, trend_chart
from tasks.report.svg import WIDTH

POLICY = {"line": 4000.0, "near_line_factor": 1.5, "drop_threshold": 0.3}


def village(code: str, status: str, share: float | None, overdue: int | None = None) -> dict:
    """One row of reports/village_quality as the chart reads it."""
    return {"village_code": code, "village_name": f"村{code[-1]}", "return_status": status,
            "problem_row_share": share, "days_overdue": overdue}


def bars(svg: str) -> list[float]:
    """Widths of the solid data bars of a bar chart (legend swatches and boxes left out)."""
    return [float(w) for w in re.findall(r'<rect x="92" y="[\d.]+" width="([\d.]+)" height="18" fill="#34495e"', svg)]


def test_quality_bars_are_shares_on_a_percent_axis_and_missing_villages_get_no_bar():
    svg = quality_chart([village("1", "reported", 0.25), village("2", "reported", 0.05), village("3", "missing", None, 3),
                         village("4", "reported", 0.0)])
    full = WIDTH - 96 - 92  # the axis runs 0 … 25 % (the worst share rounded up)
    assert bars(svg) == [round(full, 1), round(full * 0.2, 1)]  # 25 % and 5 %: the lengths of the labels' shares
    assert ">25%<" in svg and ">5.0%<" in svg and ">0%<" in svg
    missing = svg[svg.index("村3"):]
    assert 'stroke-dasharray="4 3"' in missing[:400] and "未报送 · 逾期3天" in missing[:600]
    assert "村4" not in svg  # a village without problem rows is not a bar of zero
    assert "1 个村本月无可用报表，2 个村的报表有问题行" in svg.summary


def test_trend_lines_differ_without_colour_and_compare_with_last_year():
    trend = [{"income_month": m, "period": f"2019{m + 9}" if m <= 3 else f"2020{m - 3:02d}",
              "households_count": 100 if m <= 6 else None, "flagged_count": 30 if m <= 6 else None,
              "below_line_count": m if m <= 6 else None, "near_line_count": 0,
              "last_year_below_line_share": 0.08} for m in range(1, 13)]
    svg = str(trend_chart(trend))
    assert svg.count("<polyline") == 3
    dashes = re.findall(r'<polyline [^>]*?(?:stroke-dasharray="([^"]+)")?/>', svg)
    assert len(set(dashes)) == 3  # solid, dashed, dotted
    assert "<circle" in svg and "<rect x" in svg and "<polygon" in svg  # three marker shapes
    assert "3月低于监测线农户占 6.0%，上年同月 8.0%" in trend_chart(trend).summary
    assert all(f">{m}月<" in svg for m in (10, 11, 12, 1, 9))  # the whole income year


def test_every_chart_has_a_title_and_its_summary_as_desc():
    counties = [{"county_name": "甲县", "figures": {"flagged_count": 30, "below_line_count": 10, "households_count": 100}},
                {"county_name": "乙县", "figures": {"flagged_count": 60, "below_line_count": 5, "households_count": 150}},
                {"county_name": "丙县", "figures": None}]
    chart = county_rate_chart(counties)
    assert re.search(r"<title id=\"counties-t\">[^<]+</title><desc id=\"counties-d\">([^<]+)</desc>", chart)
    assert chart.summary == "标记户占比最高的是 乙县（40%），最低的是 甲县（30%）。"
    assert chart.index("乙县") < chart.index("甲县")  # ranked by rate, not by size or code


def test_key_cards_give_share_and_changes_or_say_there_is_nothing_to_compare():
    figures = {"households_count": 200, "people_count": 600, "flagged_count": 40, "below_line_count": 10,
               "near_line_count": 20, "sudden_drop_count": 5, "unstable_lifted_count": 3, "guarantee_gap_count": 2}
    changes = [{"compared": "month", "households_count": 190, "flagged_count": 38, "below_line_count": 12,
                "near_line_count": 20, "sudden_drop_count": None, "unstable_lifted_count": 3, "guarantee_gap_count": 2},
               {"compared": "year", "households_count": 180, "flagged_count": 30, "below_line_count": 8,
                "near_line_count": 18, "sudden_drop_count": 5, "unstable_lifted_count": 1, "guarantee_gap_count": 2}]
    cards = {c["label"]: c for c in key_cards(figures, changes, POLICY)}
    below = cards["低于监测线"]
    assert below["share"] == 0.05
    assert below["notes"] == ["预计全年人均低于监测线 4,000 元", "较上月 −2户（−1.3个百分点）", "较上年同期 +2户（+0.6个百分点）"]
    assert cards["收入骤减"]["notes"][1] == "较上月：无可比数据"
    assert cards["监测户数"]["notes"][1:] == ["较上月 +10户", "较上年同期 +20户"]
    assert cards["临界边缘"]["notes"] == ["监测线至其1.5倍之间", "较上月 持平（−0.5个百分点）", "较上年同期 +2户（持平）"]
    assert cards["收入骤减"]["notes"][2] == "较上年同期 持平（−0.3个百分点）"
    assert all(len(c["notes"]) == 3 for c in cards.values())  # every card: its note, last month, last year
    alone = {c["label"]: c for c in key_cards(figures, [], POLICY)}  # the store holds neither month
    assert alone["标记户"]["notes"][1:] == ["较上月：无可比数据", "较上年同期：无可比数据"]


def test_the_backtest_charts_show_every_method_and_the_bands_coverage():
    rows = [{"month": m, "seasonal_error": 0.3 / m, "county_shares_error": 0.4 / m, "naive_error": 0.6 / m,
             "seasonal_precision": 0.8, "seasonal_recall": 0.7, "seasonal_coverage": 0.78} for m in range(1, 12)]
    error, hits = backtest_charts(rows)
    assert str(error).count("<polyline") == 3 and all(name in str(error) for name in ("本户日历", "全县曲线", "简单外推"))
    assert error.summary == "8月时误差：本户日历 2.7%，全县曲线 3.6%，简单外推 5.5%。"
    assert "区间覆盖率" in str(hits) and hits.summary.endswith("区间覆盖率 78%。")
