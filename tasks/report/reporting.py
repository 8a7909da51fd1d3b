"""The reporting-rate table of a county (villages × months of the income year), as DHIS2's reporting-rate
summary: each cell on time, late, unusable (every row in error), rejected or missing, and the county's rates per
month. Built column by column with Polars: a county of 600 villages has 7,200 cells, which cost ~5 µs each as Python
dicts and f-strings."""
from __future__ import annotations

import polars as pl

from tasks.report.labels import format_period
from tasks.report.rows import Masked, html_text, masked_join, shown

CELL_TEXT = {"on_time": "✓ 按时", "late": "△ 迟{days_late}天", "unusable": "✗ 无效", "rejected": "✗ 拒收",
             "missing": "✗ 未报"}


def day_text(frame: pl.DataFrame, column: str) -> pl.Expr:
    """A date column as f"{day:%Y-%m-%d}" writes it (each distinct day formatted once by Python)."""
    days = frame[column].drop_nulls().unique().to_list()
    return pl.col(column).replace_strict(days, [f"{day:%Y-%m-%d}" for day in days], default=None,
                                         return_dtype=pl.String)


def cell_html(frame: pl.DataFrame) -> pl.Expr:
    """One village-month's cell: its status, the short text shown and the longer title (none for a return on time:
    a county of 600 villages has 7,200 cells, and the page must stay small)."""
    status = pl.col("return_status")
    due = pl.concat_str([pl.lit("，应于 "), day_text(frame, "due_date"), pl.lit(" 前报送")])
    overdue = (pl.when(pl.col("days_overdue").fill_null(0) != 0)
               .then(pl.concat_str([pl.lit("，已逾期 "), pl.col("days_overdue").cast(pl.String), pl.lit(" 天")]))
               .otherwise(pl.lit("")))
    title = (pl.when(status == "on_time").then(pl.lit(""))
             .when(status == "late").then(pl.concat_str([pl.lit("报表日期 "), day_text(frame, "report_date"), due]))
             .when(status == "unusable").then(pl.concat_str([pl.lit("报表各行均有错误，无可用数据"), due, overdue]))
             .when(status == "rejected").then(pl.concat_str([pl.lit("报送的文件均被拒收"), due, overdue]))
             .otherwise(pl.concat_str([pl.lit("未收到报表"), due, overdue])))
    late = CELL_TEXT["late"].split("{days_late}")
    text = (pl.when(status == "late")
            .then(pl.concat_str([pl.lit(late[0]), pl.col("days_late").cast(pl.String).fill_null("None"),
                                 pl.lit(late[1])]))
            .otherwise(status.replace_strict(CELL_TEXT, return_dtype=pl.String)))
    return pl.concat_str([pl.lit('<td class="r-'), html_text(status),
                          pl.when(title == "").then(pl.lit('"')).otherwise(pl.lit('" title="') + html_text(title)
                                                                            + pl.lit('"')),
                          pl.lit(">"), html_text(text), pl.lit("</td>")])


def village_rows(frame: pl.DataFrame) -> pl.DataFrame:
    """One row per village (its rows ordered by village, then period): its row of the table and its latest status.
    The cells are the frame's row_html (made for every county at once when fetched), else made here."""
    if "row_html" not in frame.columns:
        frame = frame.with_columns(cell_html(frame).alias("row_html"))
    villages = frame.group_by("village_code", maintain_order=True).agg(
        pl.col("village_name", "township_name").first(), pl.col("row_html").str.join("").alias("cells"),
        pl.col("return_status").last().alias("latest_status"))
    return villages.select("latest_status", pl.concat_str([
        pl.lit("<tr><td>"), shown("township_name"), pl.lit('</td><th scope="row">'), shown("village_name"),
        pl.lit('<br><small class="c">'), shown("village_code"), pl.lit("</small></th>"), pl.col("cells"),
        pl.lit("</tr>\n")]).alias("row_html"))


def month_rates(counts: dict) -> dict:
    """A month's counts by status and the county's reporting rates (reported, on time) over its villages."""
    counts = {status: counts[status] for status in CELL_TEXT}
    villages = sum(counts.values())
    reported = counts["on_time"] + counts["late"]
    return {**counts, "villages": villages, "reported": reported,
            "reported_share": reported / villages if villages else None,
            "on_time_share": counts["on_time"] / villages if villages else None}


def reporting_table(rows: pl.DataFrame | None) -> dict | None:
    """The table's months, its body (one row per village: township, name, cells in month order), how many villages
    it lists and each month's rates; None when unavailable."""
    if rows is None:
        return None
    villages = village_rows(rows)
    months = rows.group_by("period").agg(
        (pl.col("return_status") == status).sum().alias(status) for status in CELL_TEXT).sort("period")
    behind = villages.filter(pl.col("latest_status").is_in(["missing", "rejected", "unusable"])).height
    return {"months": [format_period(p) for p in months["period"]], "villages_count": villages.height,
            "body": Masked(masked_join(villages["row_html"])), "rates": [month_rates(c) for c in months.to_dicts()],
            "behind_count": behind}
