"""The table rows built outside Jinja (tasks/report_rows.py: in Python, or with Polars for the long lists) are byte
for byte what the page template's Jinja loops made of the same rows (the loops as they were, kept here as the
reference), escaping included."""
from __future__ import annotations

from datetime import datetime

import polars as pl
import pytest

from tasks.report.pages import shared_environment
from tasks.report.rows import FRAME_BUILDERS, ROW_BUILDERS, build_frame_rows, build_table_bodies, esc

EVIL = "<img src=x onerror=alert('1')> & \"q\""
# the body loops of county.html.j2 and departments_county.html.j2 before the rows moved to Python (flag_codes was
# string_split(flags, ';')); since then the band sits beside the projection, a band crossing the line is marked, a
# missing return shows days overdue, and a village's share sorts by six decimals (its full digits looked like an ID to
# the page's masking)
REFERENCE_LOOPS = {
    "flagged": r"""{% for h in rows %}<tr data-tags="{{ h.flags.replace(';', ' ') }}"><td class="c">{{ h.household_id }}</td><td>{{ h.head_name_masked }}</td><td class="c">{{ h.head_id_masked }}</td><td>{{ h.township_name }}</td><td>{{ h.village_name }}</td><td>{{ h.household_type }}</td><td class="n">{{ h.household_size }}</td><td class="n" data-v="{{ h.projected_per_capita }}">{{ h.projected_text }}{% if h.band_text %} <small>{{ h.band_text }}</small>{% endif %}</td><td>{% for c in h.flags.split(';') %}<mark class="t-{{ c }}">{{ labels.get(c, c) }}</mark>{% endfor %}{% if h.is_band_crossing %}<mark class="t-BAND_CROSSING">临界待核</mark>{% endif %}{% if h.case_text %}<br><small>台账：{{ h.case_text }}</small>{% endif %}</td><td>{{ h.reasons }}{% if h.risk_causes %}<br><small>风险原因：{{ h.risk_causes }}</small>{% endif %}</td><td>{{ h.suggested_measure or "" }}</td></tr>
{% endfor %}""",
    "signals": r"""{% for s in rows %}<tr><td class="c">{{ s.village_code }}</td><td>{{ s.township_name }}</td><td>{{ s.village_name }}</td><td>{{ m.tags(s.code) }}</td><td>{{ s.detail }}</td></tr>
{% endfor %}""",
    "villages": r"""{% for v in rows %}<tr><td class="c">{{ v.village_code }}</td><td>{{ v.township_name }}</td><td>{{ v.village_name }}</td><td>{{ m.tags(v.return_status) }}{% if v.days_overdue %} <small>逾期{{ v.days_overdue }}天</small>{% endif %}{% if v.rejected_codes %} <small>{% if v.return_status == "reported" %}另有被拒收文件：{% endif %}{% for c in v.rejected_codes.split(";") %}{{ c | label }} {% endfor %}</small>{% endif %}</td><td class="n">{{ v.rows_used_count | num }}</td><td class="n">{{ v.rows_quarantined_count | num }}</td><td class="n">{{ v.warning_rows_count | num }}</td><td class="n" data-v="{{ '%.6f' % v.problem_row_share if v.problem_row_share is not none else '' }}">{{ v.problem_row_share | pct }}</td><td>{{ v.file_name or "" }}</td><td>{{ v.ingested_at | when if v.ingested_at else "" }}</td></tr>
{% endfor %}""",
    "problems": r"""{% for p in rows %}<tr data-tags="{{ p.code }}"><td>{{ p.village_name }}</td><td>{{ p.file_name }}</td><td class="n">{{ p.source_row if p.source_row is not none else "" }}</td><td class="c">{{ p.household_id or "" }}</td><td>{{ p.code | label }}</td><td>{{ m.tags(p.level) }}</td><td>{{ p.detail }}</td></tr>
{% endfor %}""",
    "cases_todo": r"""{% for c in rows %}<tr class="{{ ['', 'overdue', 'due', 'removal'][c.priority] }}"><td class="c">{{ c.case_id }}</td><td>{{ c.township_name }}</td><td>{{ c.village_name }}</td><td class="c">{{ c.household_id or "—" }}</td><td>{{ c.head_name_masked or "" }}</td><td>{{ c.kind_label or (c.kind | label) }}</td><td>{{ c.status_label }}{% if c.priority == 3 %}<br><small>可申请风险消除</small>{% endif %}</td><td>{{ c.deadline }}</td><td class="n" data-v="{{ c.overdue_days if c.overdue_days else -c.days_left }}">{% if c.overdue_days %}<b class="late">逾期{{ c.overdue_days }}天</b>{% elif c.priority == 2 %}剩{{ c.days_left }}天{% endif %}</td><td>{{ c.detail or "" }}</td></tr>
{% endfor %}""",
    "missing": r"""{% for h in rows %}<tr><td class="c">{{ h.village_code }}</td><td>{{ h.village_name }}</td><td class="c">{{ h.household_id or "（户编号无效）" }}</td><td class="c">{{ h.period }}</td><td>{{ h.file_name }}</td><td>{{ h.source_rows }}</td><td>{% for c in (h.reason_codes or "").replace(",", ";").split(";") if c %}{{ c | label }} {% endfor %}</td></tr>
{% endfor %}""",
    "department_findings": r"""{% for f in rows %}<tr><td>{{ f.finding_label }}</td><td>{{ f.department_label }}</td><td>{{ f.event_label }}</td><td>{{ f.event_date }}</td><td>{{ f.period }}</td><td>{{ f.township_name or "" }}</td><td>{{ f.village_name or "" }}</td><td>{{ f.household_id or "" }}</td><td>{{ f.name_masked or "" }}</td><td>{{ f.person_id_masked or "" }}</td><td>{{ f.detail }}</td></tr>
{% endfor %}""",
}
ROWS = {
    "flagged": [
        {"flags": "BELOW_LINE;SUDDEN_DROP", "household_id": "4305211000010001", "head_name_masked": "张*",
         "head_id_masked": "430521********1234", "township_name": "两市镇", "village_name": EVIL, "household_type": "脱贫户",
         "household_size": 4, "projected_per_capita": 3100.5, "projected_text": "3,101", "band_text": "（2,900–4,300）", "is_band_crossing": True,
         "reasons": "下降42% <script>alert(2)</script>", "risk_causes": "因病&缺劳力", "suggested_measure": "公益岗位",
         "case_text": "待核查（逾期3天）<b>"},
        {"flags": "GUARANTEE_GAP;NEW_CODE<x>", "household_id": EVIL, "head_name_masked": None, "head_id_masked": None,
         "township_name": None, "village_name": "白石村", "household_type": None, "household_size": None,
         "projected_per_capita": None, "projected_text": None, "band_text": None, "is_band_crossing": None, "reasons": "", "risk_causes": None,
         "suggested_measure": None, "case_text": None},
    ],
    "signals": [{"village_code": "430521100001", "township_name": EVIL, "village_name": None,
                 "code": "THRESHOLD_BUNCHING,IDENTICAL_ROWS", "detail": "卡线 <b>3</b> 户"}],
    "villages": [
        {"village_code": "430521100001", "township_name": "两市镇", "village_name": EVIL, "return_status": "reported",
         "rejected_codes": "FILE_MISSING_COLUMNS;FILE_UNREADABLE", "rows_used_count": 1234, "rows_quarantined_count": 0,
         "warning_rows_count": 5, "problem_row_share": 0.004048582995951417, "file_name": "a&b<1>.xlsx",
         "ingested_at": datetime(2020, 4, 5, 21, 7)},
        {"village_code": "430521100002", "township_name": None, "village_name": "金龙村", "return_status": "missing",
         "rejected_codes": None, "rows_used_count": 0, "rows_quarantined_count": 0, "warning_rows_count": 0,
         "problem_row_share": None, "file_name": None, "ingested_at": None, "days_overdue": 12},
        {"village_code": "430521100003", "township_name": "镇", "village_name": "村", "return_status": "rejected",
         "rejected_codes": "FILE_NAME_INVALID", "rows_used_count": 0, "rows_quarantined_count": 0, "warning_rows_count": 0,
         "problem_row_share": 0.0, "file_name": "", "ingested_at": None},
    ],
    "problems": [
        {"code": "ROW_NOT_NUMBER", "village_name": EVIL, "file_name": "x.csv", "source_row": 7, "household_id": EVIL,
         "level": "error", "detail": "收入=\"abc\" <i>累计</i>"},
        {"code": "FILE_UNREADABLE", "village_name": "村", "file_name": EVIL, "source_row": None, "household_id": None,
         "level": "warning", "detail": None},
    ],
    "cases_todo": [
        {"priority": 1, "case_id": "K20200312345678901234", "township_name": EVIL, "village_name": "白石村",
         "household_id": "4305211000010001", "head_name_masked": "张*", "kind": "BELOW_LINE", "kind_label": None,
         "status_label": "待核查", "deadline": "2020-04-10", "overdue_days": 12, "days_left": -12,
         "detail": "预计 <b>2,165</b> 元 & 430521199001011234"},
        {"priority": 2, "case_id": "K202003ABCDEF012345", "township_name": None, "village_name": EVIL,
         "household_id": None, "head_name_masked": None, "kind": "DEPT_MEDICAL<x>", "kind_label": "部门比对：大额医疗",
         "status_label": "已核实", "deadline": "2020-04-30", "overdue_days": 0, "days_left": 5, "detail": None},
        {"priority": 3, "case_id": "K202003000000000000", "township_name": "镇", "village_name": "村",
         "household_id": "4305211000010009", "head_name_masked": "李*", "kind": "NEW_CODE'\"", "kind_label": "",
         "status_label": "帮扶中", "deadline": "2020-06-30", "overdue_days": None, "days_left": 60, "detail": ""},
    ],
    "missing": [
        {"village_code": "430521100001", "village_name": EVIL, "household_id": None, "period": "202004", "file_name": "a<b>.csv",
         "source_rows": "7、9", "reason_codes": "ROW_NOT_NUMBER,ROW_ID_NUMBER;<x>"},
        {"village_code": "430521100001", "village_name": "村", "household_id": "4305211000010009", "period": "202003",
         "file_name": "b.csv",
         "source_rows": "12", "reason_codes": None},
    ],
    "department_findings": [
        {"finding_label": "疑似漏评", "department_label": EVIL, "event_label": "新纳入低保", "event_date": "2020-03-02",
         "period": "202003", "township_name": None, "village_name": "", "household_id": None, "name_masked": "赵*",
         "person_id_masked": "430502********8612", "detail": "身份证号 430521199001011234 属<b>松湖区</b> & 本县"},
        {"finding_label": "<x>", "department_label": "民政局", "event_label": None, "event_date": None, "period": None,
         "township_name": "两市镇", "village_name": EVIL, "household_id": "4305211000010001", "name_masked": None,
         "person_id_masked": None, "detail": None},
    ],
}


def built_rows(table: str, rows: list[dict]) -> str:
    """The rows as report_rows builds them for a page (a frame for the long lists, as report_data fetches them)."""
    if table == "cases_todo":
        return build_table_bodies({"flagged": {"rows": None}, "signals": None, "villages": None, "problems": {"rows": None},
                                   "missing": {"rows": None}, "department_findings": {"rows": None},
                                   "cases_todo": rows})["cases_todo"]
    if table in FRAME_BUILDERS:
        return build_frame_rows(pl.DataFrame(rows, infer_schema_length=None), FRAME_BUILDERS[table])
    return "".join(map(ROW_BUILDERS[table], rows))


@pytest.mark.parametrize("table", [*ROW_BUILDERS, *FRAME_BUILDERS, "cases_todo"])
def test_rows_are_what_the_template_loop_made(table):
    reference = shared_environment().from_string('{% import "macros.html.j2" as m %}' + REFERENCE_LOOPS[table])
    built = built_rows(table, ROWS[table])
    assert built == reference.render(rows=ROWS[table])
    assert "<img" not in built and "<script>" not in built and "<i>" not in built
    assert "430521199001011234" not in built  # masked as the template's finalize masked it


@pytest.mark.parametrize("value", [3100.0, 1234.5678, -0.0, 1e-05, -2.5e-07, 2e16, 1.5e22, float("nan"), float("inf"), None])
def test_a_flagged_households_income_sorts_by_the_number_python_prints(value):
    rows = [{**ROWS["flagged"][0], "projected_per_capita": value}, ROWS["flagged"][1]]
    reference = shared_environment().from_string(REFERENCE_LOOPS["flagged"])
    assert built_rows("flagged", rows) == reference.render(rows=rows)


def test_table_bodies_of_a_page_with_unavailable_sections_are_empty():
    data = {"flagged": {"rows": None}, "signals": None, "villages": [], "problems": {"rows": pl.DataFrame()},
            "missing": {"rows": None}, "department_findings": {"rows": pl.DataFrame()}}
    assert build_table_bodies(data) == dict.fromkeys([*ROW_BUILDERS, *FRAME_BUILDERS, "worklist", "cases_todo"], "")


def test_escaping_matches_markupsafe():
    from markupsafe import escape

    for value in (EVIL, None, 3.5, 12, "", "普通文字", "'\"&<>"):
        assert esc(value) == str(escape(value))


# the reporting-rate table's body loop of county/reporting.html.j2 before its rows moved to Python, over the cells
# reporting.cell made of each village-month then (reference_cell)
REPORTING_LOOP = r"""{% for v in villages %}<tr><td>{{ v.township_name }}</td><th scope="row">{{ v.village_name }}<br><small class="c">{{ v.village_code }}</small></th>{% for c in v.cells %}<td class="r-{{ c.status }}"{% if c.title %} title="{{ c.title }}"{% endif %}>{{ c.text }}</td>{% endfor %}</tr>
{% endfor %}"""
CELL_TEXT = {"on_time": "✓ 按时", "late": "△ 迟{days_late}天", "unusable": "✗ 无效", "rejected": "✗ 拒收",
             "missing": "✗ 未报"}
ABSENT_TITLE = {"unusable": "报表各行均有错误，无可用数据", "rejected": "报送的文件均被拒收", "missing": "未收到报表"}


def reference_cell(row: dict) -> dict:
    """A village-month's cell as reporting.cell made it in Python: its status, short text and title."""
    status = row["return_status"]
    due = f"应于 {row['due_date']:%Y-%m-%d} 前报送"
    if status == "on_time":
        title = ""
    elif status == "late":
        title = f"报表日期 {row['report_date']:%Y-%m-%d}，{due}"
    else:
        title = ABSENT_TITLE[status] + f"，{due}"
        if row["days_overdue"]:
            title += f"，已逾期 {row['days_overdue']} 天"
    return {"status": status, "text": CELL_TEXT[status].format(days_late=row["days_late"]), "title": title}


def reference_villages(rows: list[dict]) -> list[dict]:
    """The villages of the rows (ordered by village, then period), each with its cells in month order."""
    villages: dict[str, dict] = {}
    for row in rows:
        villages.setdefault(row["village_code"], {**row, "cells": []})["cells"].append(reference_cell(row))
    return list(villages.values())


def test_reporting_rows_are_what_the_template_loop_made():
    from datetime import date

    from tasks.report.reporting import reporting_table

    def month(village: str, name: str, township: str | None, period: str, status: str, **more) -> dict:
        return {"village_code": village, "village_name": name, "township_name": township, "period": period,
                "return_status": status, "due_date": date(2020, int(period[4:]) % 12 + 1, 10),
                "report_date": more.get("report_date"), "days_late": more.get("days_late"),
                "days_overdue": more.get("days_overdue")}

    rows = [month("430521100001", EVIL, "两市镇", "202003", "on_time"),
            month("430521100001", EVIL, "两市镇", "202004", "late", report_date=date(2020, 5, 13), days_late=3),
            month("430521199001011234", "村 430521199001011234", None, "202003", "rejected", days_overdue=0),
            month("430521199001011234", "村 430521199001011234", None, "202004", "missing", days_overdue=18),
            month("430521100002", "三村", "两市镇", "202003", "unusable", days_overdue=0),
            month("430521100002", "三村", "两市镇", "202004", "unusable", days_overdue=18)]
    table = reporting_table(pl.DataFrame(rows))
    reference = shared_environment().from_string(REPORTING_LOOP).render(villages=reference_villages(rows))
    assert str(table["body"]) == reference and reference.count("<tr>") == 3
    assert "<img" not in reference and "430521199001011234" not in reference  # escaped; ID-shaped text masked
    assert table["months"] == ["2020年3月", "2020年4月"] and table["villages_count"] == 3 and table["behind_count"] == 2
    assert [(r["on_time"], r["late"], r["unusable"], r["rejected"], r["missing"], r["reported"])
            for r in table["rates"]] == [(1, 0, 1, 1, 0, 1), (0, 1, 1, 0, 1, 1)]
    empty = reporting_table(pl.DataFrame(rows).clear())  # a county without villages
    assert (empty["villages_count"], empty["body"], empty["rates"], empty["behind_count"]) == (0, "", [], 0)
