"""The body rows of a county page's tables, built outside Jinja: a page may list thousands of households, and a
Jinja loop costs ~25 µs a row. The short tables (villages, signals) are built row by row in Python; the long lists
(flagged households, problems, missing households, department findings) column by column with Polars, over every
county's rows at once. Every value is escaped exactly as the template's autoescape did ({{ None }} shows as None,
numbers as str() gives them), so the HTML is byte for byte what the template loops made (tests/test_report_rows.py
keeps those loops)."""
from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import polars as pl
from markupsafe import Markup, escape

from tasks.report.labels import LABELS, format_count, format_percent, format_time, label_code
from tasks.validate.id_number import mask_id_shaped_series

try:  # markupsafe's escaping without building a Markup per value (escape() spends most of its time there)
    from markupsafe import _escape_inner as escape_str
except ImportError:  # pragma: no cover - a markupsafe without it
    def escape_str(value: str) -> str:
        """HTML-escaped text."""
        return str(escape(value))


class Masked(Markup):
    """HTML whose ID-shaped text is masked already: the pages print it as it is (pages.shown)."""


BAND_MARK = '<mark class="t-BAND_CROSSING">临界待核</mark>'  # a projection whose band crosses the line
HTML_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "'": "&#39;", '"': "&#34;"}  # markupsafe's replacements


def esc(value: object) -> str:
    """A value as the template printed it, escaped: str() of it (None as 'None'), & < > ' " replaced."""
    return escape_str(str(value))


def code_tags(codes: str) -> str:
    """Each code of a ';'- or ','-joined list as a labelled <mark> (the tags macro)."""
    return "".join(f'<mark class="t-{esc(code)}">{esc(label_code(code))}</mark>'
                   for code in codes.replace(",", ";").split(";") if code)


@lru_cache(maxsize=256)
def flag_marks(flags: str) -> str:
    """A household's ';'-joined flags as labelled <mark>s."""
    return "".join(f'<mark class="t-{esc(c)}">{esc(LABELS.get(c, c))}</mark>' for c in flags.split(";"))


def reason_labels(codes: str) -> str:
    """The labels of ';'- or ','-joined reason codes, each followed by a space."""
    return "".join(f"{esc(label_code(c))} " for c in codes.replace(",", ";").split(";") if c)


def signal_row(s: dict) -> str:
    """One village signal."""
    return (f'<tr><td class="c">{esc(s["village_code"])}</td><td>{esc(s["township_name"])}</td>'
            f'<td>{esc(s["village_name"])}</td><td>{code_tags(s["code"])}</td><td>{esc(s["detail"])}</td></tr>\n')


def village_row(v: dict) -> str:
    """One village's return and data quality."""
    rejected = ""
    if v["rejected_codes"]:
        lead = "另有被拒收文件：" if v["return_status"] == "reported" else ""
        labels = "".join(f"{esc(label_code(c))} " for c in v["rejected_codes"].split(";"))
        rejected = f" <small>{lead}{labels}</small>"
    share = v["problem_row_share"]
    overdue = f" <small>逾期{esc(v['days_overdue'])}天</small>" if v.get("days_overdue") else ""
    return (f'<tr><td class="c">{esc(v["village_code"])}</td><td>{esc(v["township_name"])}</td>'
            f'<td>{esc(v["village_name"])}</td><td>{code_tags(v["return_status"])}{overdue}{rejected}</td>'
            f'<td class="n">{esc(format_count(v["rows_used_count"]))}</td>'
            f'<td class="n">{esc(format_count(v["rows_quarantined_count"]))}</td>'
            f'<td class="n">{esc(format_count(v["warning_rows_count"]))}</td>'
            f'<td class="n" data-v="{esc(sort_key(share))}">{esc(format_percent(share))}</td>'
            f'<td>{esc(v["file_name"] or "")}</td>'
            f'<td>{esc(format_time(v["ingested_at"]) if v["ingested_at"] else "")}</td></tr>\n')


def sort_key(share: float | None) -> str:
    """A share as the sorting script reads it: six decimals, so it never holds an ID-shaped run of digits that the
    page's masking would cut (0.017241379310344827 became 0.017241********4827)."""
    return "" if share is None else f"{share:.6f}"


def html_text(expr: pl.Expr) -> pl.Expr:
    """A text column escaped as markupsafe escapes, in one pass (the '&' of an entity is not replaced again)."""
    return expr.str.replace_many(HTML_ENTITIES)


def shown(column: str) -> pl.Expr:
    """A column as {{ value }} printed it: str() of the value, 'None' for a missing one, escaped."""
    return html_text(pl.col(column).cast(pl.String).fill_null("None"))


def shown_or(column: str, default: str) -> pl.Expr:
    """A column as {{ value or default }} printed it (an empty or missing value shows default), escaped."""
    text = pl.col(column).cast(pl.String)
    return html_text(pl.when(text.is_null() | (text == "")).then(pl.lit(default)).otherwise(text))


def shown_float(frame: pl.DataFrame, column: str) -> pl.Expr:
    """A float column as Python's str() prints it (Polars agrees except where Python writes an exponent)."""
    value = pl.col(column).cast(pl.Float64)
    odd = frame.filter(value.is_nan() | value.is_infinite() | ((value != 0) & (value.abs() < 1e-4))
                       | (value.abs() >= 1e16))
    odd_values = odd[column].cast(pl.Float64).unique().to_list()
    text = value.cast(pl.String).fill_null("None")
    if odd_values:
        text = value.replace_strict(odd_values, [str(v) for v in odd_values], default=text, return_dtype=pl.String)
    return text


def through(frame: pl.DataFrame, column: str, function: Callable[[str], str]) -> pl.Expr:
    """A text column through a Python function (missing values as ''), called once per distinct value."""
    values = frame[column].cast(pl.String).fill_null("").unique().to_list()
    return pl.col(column).cast(pl.String).fill_null("").replace_strict(values, [function(v) for v in values],
                                                                        return_dtype=pl.String)


def small_if(column: str, lead: str = "", before: str = "<br>") -> pl.Expr:
    """'{before}<small>{lead}{value}</small>' when the value is not empty, else ''."""
    text = pl.col(column).cast(pl.String)
    return (pl.when(text.is_null() | (text == "")).then(pl.lit(""))
            .otherwise(pl.lit(f"{before}<small>{lead}") + html_text(text) + pl.lit("</small>")))


def flagged_html(frame: pl.DataFrame) -> pl.Expr:
    """One row of the flagged households table per household."""
    return pl.concat_str([
        pl.lit('<tr data-tags="'), html_text(pl.col("flags").str.replace_all(";", " ", literal=True)),
        pl.lit('"><td class="c">'), shown("household_id"), pl.lit("</td><td>"), shown("head_name_masked"),
        pl.lit('</td><td class="c">'), shown("head_id_masked"), pl.lit("</td><td>"), shown("township_name"),
        pl.lit("</td><td>"), shown("village_name"), pl.lit("</td><td>"), shown("household_type"),
        pl.lit('</td><td class="n">'), shown("household_size"),
        pl.lit('</td><td class="n" data-v="'), shown_float(frame, "projected_per_capita"), pl.lit('">'),
        shown("projected_text"), small_if("band_text", before=" "), pl.lit("</td><td>"),
        through(frame, "flags", flag_marks), pl.when(pl.col("is_band_crossing")).then(pl.lit(BAND_MARK)).otherwise(pl.lit("")),
        small_if("case_text", "台账："),
        pl.lit("</td><td>"), shown("reasons"), small_if("risk_causes", "风险原因："),
        pl.lit("</td><td>"), shown_or("suggested_measure", ""), pl.lit("</td></tr>\n")])


def problem_html(frame: pl.DataFrame) -> pl.Expr:
    """One row of the data problems table per problem."""
    return pl.concat_str([
        pl.lit('<tr data-tags="'), shown("code"), pl.lit('"><td>'), shown("village_name"), pl.lit("</td><td>"),
        shown("file_name"), pl.lit('</td><td class="n">'), pl.col("source_row").cast(pl.String).fill_null(""),
        pl.lit('</td><td class="c">'), shown_or("household_id", ""), pl.lit("</td><td>"),
        through(frame, "code", lambda c: esc(label_code(c))), pl.lit("</td><td>"), through(frame, "level", code_tags),
        pl.lit("</td><td>"), shown("detail"), pl.lit("</td></tr>\n")])


def missing_html(frame: pl.DataFrame) -> pl.Expr:
    """One row of the missing households table per household (the month its rows were quarantined)."""
    return pl.concat_str([
        pl.lit('<tr><td class="c">'), shown("village_code"), pl.lit("</td><td>"), shown("village_name"),
        pl.lit('</td><td class="c">'), shown_or("household_id", "（户编号无效）"), pl.lit('</td><td class="c">'),
        shown("period"), pl.lit("</td><td>"), shown("file_name"), pl.lit("</td><td>"), shown("source_rows"),
        pl.lit("</td><td>"),
        through(frame, "reason_codes", reason_labels), pl.lit("</td></tr>\n")])


def finding_html(frame: pl.DataFrame) -> pl.Expr:
    """One row of the department findings table per finding (names and ID numbers come masked from SQL)."""
    cells = [shown("finding_label"), shown("department_label"), shown("event_label"), shown("event_date"),
             shown("period"), *(shown_or(column, "") for column in ("township_name", "village_name", "household_id",
                                                                    "name_masked", "person_id_masked")),
             shown("detail")]
    return pl.concat_str([pl.lit("<tr><td>"), pl.concat_str(cells, separator="</td><td>"), pl.lit("</td></tr>\n")])


TODO_CLASSES = ("", "overdue", "due", "removal")  # by a to-do case's priority (sql/reports/cases_todo.sql)


def todo_row(c: dict) -> str:
    """One case of the ledger's to-do list (cases_section.html.j2): up to 300 a county, a province's 30,000 rows
    took ~1 CPU-s of its pages as a Jinja loop."""
    removal = "<br><small>可申请风险消除</small>" if c["priority"] == 3 else ""
    sort_value = c["overdue_days"] if c["overdue_days"] else -c["days_left"]
    if c["overdue_days"]:
        due = f'<b class="late">逾期{esc(c["overdue_days"])}天</b>'
    else:
        due = f"剩{esc(c['days_left'])}天" if c["priority"] == 2 else ""
    return (f'<tr class="{TODO_CLASSES[c["priority"]]}"><td class="c">{esc(c["case_id"])}</td>'
            f'<td>{esc(c["township_name"])}</td><td>{esc(c["village_name"])}</td>'
            f'<td class="c">{esc(c["household_id"] or "—")}</td><td>{esc(c["head_name_masked"] or "")}</td>'
            f'<td>{esc(c["kind_label"] or label_code(c["kind"]))}</td><td>{esc(c["status_label"])}{removal}</td>'
            f'<td>{esc(c["deadline"])}</td><td class="n" data-v="{esc(sort_value)}">{due}</td>'
            f'<td>{esc(c["detail"] or "")}</td></tr>\n')


ROW_BUILDERS = {"signals": signal_row, "villages": village_row}
FRAME_BUILDERS = {"flagged": flagged_html, "problems": problem_html, "missing": missing_html,
                  "department_findings": finding_html}


def build_frame_rows(frame: pl.DataFrame | None, build: Callable[[pl.DataFrame], pl.Expr],
                     limit: int | None = None) -> str:
    """The rows of a long list as HTML (the first limit rows when given), ID-shaped text masked: its row_html column
    (added when all counties were fetched), else built now in one Polars pass over the frame. Masked row by row
    here, where few rows need it: masked whole, a province's 100 pages spent 0.7 s in their lists' 3 MB bodies."""
    if frame is None or frame.height == 0:
        return ""
    frame = frame.head(limit) if limit is not None else frame
    html = frame["row_html"] if "row_html" in frame.columns else frame.select(build(frame)).to_series()
    return masked_join(html)


def masked_join(html: pl.Series) -> str:
    """Rows of HTML joined, ID-shaped text masked row by row (few rows hold any)."""
    return "".join(mask_id_shaped_series(html).to_list())


def build_table_bodies(data: dict, brief_rows: int = 12) -> dict[str, Markup]:
    """The <tbody> rows of each table of a county page (empty when its rows are unavailable); worklist: the first
    brief_rows flagged households, for the brief."""
    bodies = {key: Markup("".join(map(build_row, data[key] or []))) for key, build_row in ROW_BUILDERS.items()}
    for key, build in FRAME_BUILDERS.items():
        bodies[key] = Masked(build_frame_rows(data[key]["rows"], build))
    bodies["worklist"] = Masked(build_frame_rows(data["flagged"]["rows"], flagged_html, brief_rows))
    bodies["cases_todo"] = Masked(masked_join(pl.Series([todo_row(c) for c in data.get("cases_todo") or []], dtype=pl.Utf8)))
    return bodies
