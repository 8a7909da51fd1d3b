"""Which figures each report chart and card shows, with their context (last month, last year, share of
households) and a one-sentence text summary: the rows of report_data turned into cards and inline SVG."""
from __future__ import annotations

from markupsafe import Markup

from core.income_year import calendar_month
from tasks.report import svg as charts
from tasks.report.changes import change_notes, share
from tasks.report.svg_lines import line_chart_svg
from tasks.report.labels import LABELS

QUALITY_CHART_VILLAGES = 15  # rows of a bar chart: the brief's first page holds two such charts
TOWNSHIP_CHART_ROWS = 15
MONTHS = [f"{calendar_month(m)}月" for m in range(1, 13)]  # months of the income year: 10月 … 9月
CARDS = [  # key, label, note (filled with the policy of the income year), kind (the colour of the flag it counts)
    ("flagged", "标记户", "至少一项标记（一户可有多项）", ""),
    ("below_line", "低于监测线", "预计全年人均低于监测线 {line:,.0f} 元", "alert"),
    ("near_line", "临界边缘", "监测线至其{near_line_factor:g}倍之间", "warn"),
    ("sudden_drop", "收入骤减", "较上年同期减少{drop_threshold:.0%}以上", "alert"),
    ("unstable_lifted", "脱贫不稳定", "上年人均低于今年监测线的脱贫户", "warn"),
    ("guarantee_gap", "三保障及饮水问题", "住房、饮水、义务教育、医保", "warn"),
]


def key_cards(figures: dict | None, changes: list[dict] | None, policy: dict) -> list[dict]:
    """The key-figure cards of a county: count, share of households, change from last month and from the same
    month last year (figure_changes rows; 无可比数据 only where the store holds no such month); the notes quote
    the thresholds of the income year's policy."""
    if not figures:
        return []
    compared = {row["compared"]: row for row in changes or []}
    households = figures["households_count"]
    cards = [{"label": "监测户数", "value": households, "kind": "", "share": None,
              "notes": [f"涉及人口 {figures['people_count']:,} 人",
                        *change_notes("households_count", households, None, compared)]}]
    for key, label, note, kind in CARDS:
        count = figures[f"{key}_count"]
        cards.append({"label": label, "value": count, "kind": kind, "share": share(count, households),
                      "notes": [note.format(**policy), *change_notes(f"{key}_count", count, households, compared)]})
    return cards


def trend_chart(trend: list[dict] | None) -> Markup | None:
    """Shares of households below the line and flagged, month by month through the income year, beside the
    previous income year's share below the line."""
    if not trend:
        return None
    this_below = [share(r["below_line_count"], r["households_count"]) for r in trend]
    this_flagged = [share(r["flagged_count"], r["households_count"]) for r in trend]
    last_below = [r["last_year_below_line_share"] for r in trend]
    shown = [(i, v) for i, v in enumerate(this_below) if v is not None]
    summary = "本年度尚无数据。"
    if shown:
        month, now = shown[-1]
        summary = f"{MONTHS[month]}低于监测线农户占 {charts.percent(now)}"
        if last_below[month] is not None:
            summary += f"，上年同月 {charts.percent(last_below[month])}"
        if len(shown) > 1:
            summary += f"；本年度{MONTHS[shown[0][0]]}为 {charts.percent(shown[0][1])}"
        summary += f"；标记户占 {charts.percent(this_flagged[month])}。"
    return line_chart_svg("trend", MONTHS, [
        ("低于线·本年", this_below, charts.FLAG_COLORS["BELOW_LINE"]),
        ("低于线·上年", last_below, charts.OTHER),
        ("标记户·本年", this_flagged, charts.FLAG_COLORS["UNSTABLE_LIFTED"]),
    ], "农户占比逐月：本年度与上年度", summary, fmt=charts.percent, least_maximum=0.05)


def township_chart(townships: list[dict] | None) -> Markup | None:
    """Townships ranked by their share of households flagged, with the share below the line inside (the first
    TOWNSHIP_CHART_ROWS when there are more)."""
    if townships is None:
        return None
    summary, title = "无乡镇数据。", "各乡镇标记户占比（按占比排序）"
    if townships:
        top, low = townships[0], townships[-1]
        summary = (f"{len(townships)} 个乡镇按标记户占比排序：最高 {top['township_name']} {charts.percent(top['flagged_share'])}"
                   f"（低于监测线 {charts.percent(top['below_line_share'])}），最低 {low['township_name']} "
                   f"{charts.percent(low['flagged_share'])}。")
    if len(townships) > TOWNSHIP_CHART_ROWS:
        title = f"标记户占比最高的 {TOWNSHIP_CHART_ROWS} 个乡镇（共 {len(townships)} 个）"
    return charts.share_bars_svg("townships", townships[:TOWNSHIP_CHART_ROWS], "township_name", title, summary,
                                 ("flagged_share", "标记户占比"), ("below_line_share", "其中低于监测线"))


def overdue_note(village: dict) -> str:
    """'未报送 · 逾期12天' for a village without a usable return."""
    note = LABELS[village["return_status"]]
    return note + (f" · 逾期{village['days_overdue']}天" if village.get("days_overdue") else "")


def quality_chart(villages: list[dict]) -> Markup:
    """Villages without a usable return (shown as such), then those with the largest share of problem rows."""
    absent = [v for v in villages if v["return_status"] != "reported"]
    troubled = sorted((v for v in villages if v["return_status"] == "reported" and (v["problem_row_share"] or 0) > 0),
                      key=lambda v: (-(v["problem_row_share"] or 0), v["village_code"]))
    rows = [{**v, "is_absent": True, "note": overdue_note(v)} for v in absent]
    rows += [{**v, "is_absent": False, "note": charts.percent(v["problem_row_share"])} for v in troubled]
    rows = rows[:QUALITY_CHART_VILLAGES]
    summary = f"{len(absent)} 个村本月无可用报表，{len(troubled)} 个村的报表有问题行"
    if troubled:
        summary += f"，问题行占比最高的是 {troubled[0]['village_name']}（{charts.percent(troubled[0]['problem_row_share'])}）"
    return charts.quality_bars_svg("quality", rows, "各村数据质量（问题行占比）", summary + "。")


def histogram_chart(histogram: list[dict] | None, line: float | None, near_factor: float | None) -> Markup | None:
    """The distribution of projected per-capita income with the line drawn; below, near and above the line as
    the households' own flags count them (a bin across the near band's edge is split)."""
    if histogram is None or not line:
        return None
    total = sum(r["households_count"] for r in histogram)
    below = sum(r["households_count"] for r in histogram if r["band"] == "below")
    near = sum(r["households_count"] for r in histogram if r["band"] == "near")
    summary = (f"{total:,} 户中 {below:,} 户预计低于监测线 {line:,.0f} 元（{charts.percent(share(below, total) or 0)}），"
               f"{near:,} 户在监测线至其{near_factor or 0:g}倍之间。")
    return charts.histogram_svg("histogram", histogram, line, "预计全年人均纯收入分布", summary)


def county_charts(data: dict, line: float | None, near_factor: float | None = None) -> list[tuple[str, Markup | None]]:
    """The four charts of a county page, by name (None when its data is unavailable)."""
    return [("标记户趋势", trend_chart(data["trend"])),
            ("收入分布", histogram_chart(data["histogram"], line, near_factor)),
            ("各乡镇标记户占比", township_chart(data["townships"])),
            ("各村数据质量", quality_chart(data["villages"]))]


def county_rate_chart(counties: list[dict]) -> Markup | None:
    """The city's counties ranked by their share of households flagged, below the line inside."""
    rows = [{"county_name": c["county_name"], "flagged_share": share(f["flagged_count"], f["households_count"]),
             "below_line_share": share(f["below_line_count"], f["households_count"])}
            for c in counties if (f := c["figures"])]
    if not rows:
        return None
    rows.sort(key=lambda r: (-(r["flagged_share"] or 0), r["county_name"]))
    summary = (f"标记户占比最高的是 {rows[0]['county_name']}（{charts.percent(rows[0]['flagged_share'] or 0)}），"
               f"最低的是 {rows[-1]['county_name']}（{charts.percent(rows[-1]['flagged_share'] or 0)}）。")
    return charts.share_bars_svg("counties", rows, "county_name", "各县（区）标记户占比（按占比排序）", summary,
                                 ("flagged_share", "标记户占比"), ("below_line_share", "其中低于监测线"))


METHODS = [("seasonal", "本户日历", "#1f618d"), ("county_shares", "全县曲线", "#0e6655"),
           ("naive", "简单外推", "#873600")]  # the backtest's methods as the city page names them


def backtest_charts(backtest: list[dict] | None) -> list[Markup]:
    """The backtest by month of the income year: each method's median error, and how well the production method's
    BELOW_LINE predicts year end beside the share of year-end actuals inside its band (coverage)."""
    if not backtest:
        return []
    labels = [MONTHS[r["month"] - 1] for r in backtest]
    last = backtest[-1]
    error = line_chart_svg("backtest-error", labels, [
        (name, [r[f"{method}_error"] for r in backtest], colour) for method, name, colour in METHODS
    ], "预测误差（中位数）", f"{labels[-1]}时误差：" + "，".join(
        f"{name} {charts.percent(last[f'{method}_error'] or 0)}" for method, name, _ in METHODS) + "。",
        fmt=charts.percent, least_maximum=0.05)
    hits = line_chart_svg("backtest-hits", labels, [
        ("准确率·本户日历", [r["seasonal_precision"] for r in backtest], "#1f618d"),
        ("查全率·本户日历", [r["seasonal_recall"] for r in backtest], "#0e6655"),
        ("区间覆盖率", [r["seasonal_coverage"] for r in backtest], "#873600"),
    ], "“低于监测线”的准确率、查全率与区间覆盖率", f"{labels[-1]}时本户日历准确率 "
       f"{charts.percent(last['seasonal_precision'] or 0)}、查全率 {charts.percent(last['seasonal_recall'] or 0)}，"
       f"区间覆盖率 {charts.percent(last['seasonal_coverage'] or 0)}。", fmt=charts.percent, least_maximum=1.0)
    return [error, hits]
