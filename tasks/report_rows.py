"""The body rows of a county page's tables, built in Python: a page may list thousands of households, and
a Jinja loop costs ~25 µs a row where these cost a few. Every value is escaped here, exactly as the template's
autoescape did ({{ None }} shows as None, numbers as str() gives them), so the HTML is byte for byte the same."""
from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup, escape

from tasks.report_labels import LABELS, format_count, format_percent, format_time, label_code

try:  # markupsafe's escaping without building a Markup per value (escape() spends most of its time there)
    from markupsafe import _escape_inner as escape_str
except ImportError:  # pragma: no cover - a markupsafe without it
    def escape_str(value: str) -> str:
        """HTML-escaped text."""
        return str(escape(value))


def esc(value: object) -> str:
    """A value as the template printed it, escaped: str() of it (None as 'None'), & < > ' " replaced."""
    return escape_str(str(value))


def code_tags(codes: str) -> str:
    """Each code of a ';'- or ','-joined list as a labelled <mark> (the tags macro)."""
    return "".join(f'<mark class="t-{esc(code)}">{esc(label_code(code))}</mark>'
                   for code in codes.replace(",", ";").split(";") if code)


@lru_cache(maxsize=256)
def flag_marks(flags: str) -> str:
    """A household's ';'-joined flags as labelled <mark>s (a few combinations recur on every page)."""
    return "".join(f'<mark class="t-{esc(c)}">{esc(LABELS.get(c, c))}</mark>' for c in flags.split(";"))


def flagged_row(h: dict) -> str:
    """One flagged household: masked head, projected income and band, flags, reasons, measure."""
    band = f"<br><small>{esc(h['band_text'])}</small>" if h["band_text"] else ""
    marks = flag_marks(h["flags"])
    causes = f"<br><small>风险原因：{esc(h['risk_causes'])}</small>" if h["risk_causes"] else ""
    return (f'<tr data-tags="{esc(h["flags"].replace(";", " "))}"><td class="c">{esc(h["household_id"])}</td>'
            f'<td>{esc(h["head_name_masked"])}</td><td class="c">{esc(h["head_id_masked"])}</td>'
            f'<td>{esc(h["township_name"])}</td><td>{esc(h["village_name"])}</td>'
            f'<td>{esc(h["household_type"])}</td><td class="n">{h["household_size"]}</td>'
            f'<td class="n" data-v="{h["projected_per_capita"]}">{esc(h["projected_text"])}{band}</td>'
            f'<td>{marks}</td><td>{esc(h["reasons"])}{causes}</td><td>{esc(h["suggested_measure"] or "")}</td>'
            f'</tr>\n')


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
    return (f'<tr><td class="c">{esc(v["village_code"])}</td><td>{esc(v["township_name"])}</td>'
            f'<td>{esc(v["village_name"])}</td><td>{code_tags(v["return_status"])}{rejected}</td>'
            f'<td class="n">{esc(format_count(v["rows_used_count"]))}</td>'
            f'<td class="n">{esc(format_count(v["rows_quarantined_count"]))}</td>'
            f'<td class="n">{esc(format_count(v["warning_rows_count"]))}</td>'
            f'<td class="n" data-v="{esc(share if share is not None else "")}">{esc(format_percent(share))}</td>'
            f'<td>{esc(v["file_name"] or "")}</td>'
            f'<td>{esc(format_time(v["ingested_at"]) if v["ingested_at"] else "")}</td></tr>\n')


def problem_row(p: dict) -> str:
    """One data problem of a village's file."""
    source_row = p["source_row"] if p["source_row"] is not None else ""
    return (f'<tr data-tags="{esc(p["code"])}"><td>{esc(p["village_name"])}</td><td>{esc(p["file_name"])}</td>'
            f'<td class="n">{esc(source_row)}</td><td class="c">{esc(p["household_id"] or "")}</td>'
            f'<td>{esc(label_code(p["code"]))}</td><td>{code_tags(p["level"])}</td><td>{esc(p["detail"])}</td>'
            f'</tr>\n')


def missing_row(h: dict) -> str:
    """One household whose rows were all quarantined."""
    reasons = "".join(f"{esc(label_code(c))} " for c in (h["reason_codes"] or "").replace(",", ";").split(";") if c)
    return (f'<tr><td class="c">{esc(h["village_code"])}</td><td>{esc(h["village_name"])}</td>'
            f'<td class="c">{esc(h["household_id"] or "（户编号无效）")}</td><td>{esc(h["file_name"])}</td>'
            f'<td>{esc(h["source_rows"])}</td><td>{reasons}</td></tr>\n')


ROW_BUILDERS = {"flagged": flagged_row, "signals": signal_row, "villages": village_row, "problems": problem_row,
                "missing": missing_row}


def build_table_bodies(data: dict) -> dict[str, Markup]:
    """The <tbody> rows of each table of a county page (empty when its rows are unavailable)."""
    bodies = {}
    for key, build_row in ROW_BUILDERS.items():
        rows = data[key]["rows"] if isinstance(data[key], dict) else data[key]
        bodies[key] = Markup("".join(map(build_row, rows or [])))
    return bodies
