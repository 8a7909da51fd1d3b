"""Which figures each report chart shows: the rows of report_data turned into inline SVG."""
from __future__ import annotations

from markupsafe import Markup

from core.income_year import calendar_month

from tasks.report import svg as charts
from tasks.report.labels import LABELS

QUALITY_CHART_VILLAGES = 20
TOWNSHIP_STACKS = [(f"{code.lower()}_count", LABELS[code], color) for code, color in charts.FLAG_COLORS.items()]


def month_label(period: str) -> str:
    """'202003' as '3月'."""
    return f"{int(period[4:])}月"


def trend_chart(trend: list[dict] | None) -> Markup | None:
    """Flagged, below-line and near-line households over the periods of the income year."""
    if not trend:
        return None
    labels = [month_label(r["period"]) for r in trend]
    return charts.line_chart_svg(labels, [
        ("标记户", [r["flagged_count"] for r in trend], "#1f618d"),
        ("低于监测线", [r["below_line_count"] for r in trend], charts.FLAG_COLORS["BELOW_LINE"]),
        ("临界边缘", [r["near_line_count"] for r in trend], charts.FLAG_COLORS["NEAR_LINE"]),
    ], f"本收入年度各月标记户数（{trend[0]['period'][:4]}年{int(trend[0]['period'][4:])}月起）")


def township_chart(townships: list[dict] | None) -> Markup | None:
    """Flags by township, stacked by flag type, with each township's flagged households after the bar."""
    if townships is None:
        return None
    rows = [{**t, "note": f"{t['flagged_count']:,} 户"} for t in townships]
    return charts.stacked_bars_svg(rows, "township_name", TOWNSHIP_STACKS, "各乡镇标记情况（按标记类型计户次，右侧为标记户数）",
                                   "note")


def quality_chart(villages: list[dict]) -> Markup:
    """The villages with most problem rows (and those without a usable return), worst first."""
    absent = [v for v in villages if v["return_status"] != "reported"]
    troubled = sorted((v for v in villages if v["return_status"] == "reported"
                       and v["rows_quarantined_count"] + v["warning_rows_count"] > 0),
                      key=lambda v: -(v["rows_quarantined_count"] + v["warning_rows_count"]))
    chosen = (absent + troubled)[:QUALITY_CHART_VILLAGES]
    rows = [{**v, "note": LABELS[v["return_status"]] if v["return_status"] != "reported"
             else f"{v['problem_row_share'] or 0:.0%}"} for v in chosen]
    title = f"数据质量：问题最多的村（共 {len(absent)} 个村无可用报表，{len(troubled)} 个村有问题行）"
    return charts.stacked_bars_svg(rows, "village_name", [
        ("rows_quarantined_count", "错误行（未采用）", charts.FLAG_COLORS["BELOW_LINE"]),
        ("warning_rows_count", "警告行（已采用）", "#d68910")], title, "note")


def histogram_chart(histogram: list[dict] | None, line: float | None) -> Markup | None:
    """The distribution of projected per-capita income with the line drawn."""
    if histogram is None or not line:
        return None
    return charts.histogram_svg(histogram, line, "预计全年人均纯收入分布（户）")


def county_charts(data: dict, line: float | None) -> list[tuple[str, Markup | None]]:
    """The four charts of a county page, by name (None when its data is unavailable)."""
    return [("收入分布", histogram_chart(data["histogram"], line)),
            ("各乡镇标记情况", township_chart(data["townships"])),
            ("标记户趋势", trend_chart(data["trend"])),
            ("各村数据质量", quality_chart(data["villages"]))]


def backtest_charts(backtest: list[dict] | None) -> list[Markup]:
    """The backtest by month of the income year: median error, and how well BELOW_LINE predicts year end."""
    if not backtest:
        return []
    labels = [f"{calendar_month(r['month'])}月" for r in backtest]
    percent = lambda v: f"{v * 100:.0f}%"  # noqa: E731
    error = charts.line_chart_svg(labels, [
        ("季节模型", [r["seasonal_error"] for r in backtest], "#1f618d"),
        ("简单外推（×12/月数）", [r["naive_error"] for r in backtest], "#a04000"),
    ], "预测误差（中位数）随月份的变化", fmt=percent, least_maximum=0.05)
    hits = charts.line_chart_svg(labels, [
        ("准确率·季节模型", [r["seasonal_precision"] for r in backtest], "#1f618d"),
        ("查全率·季节模型", [r["seasonal_recall"] for r in backtest], "#148f77"),
        ("准确率·简单外推", [r["naive_precision"] for r in backtest], "#a04000"),
    ], "“低于监测线”判断对年末结果的准确率与查全率", fmt=percent, least_maximum=1.0)
    return [error, hits]
