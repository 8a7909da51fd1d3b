"""The ledger where officials look: the county page's 待办台账 section, case status beside flagged households,
and the city page's per-county figures, in real headless Chromium."""
from __future__ import annotations

from datetime import date

import pytest

from tasks.cases import ledger
from tasks.cases.refusals import record_refusals
from tasks.cases.run import update_ledger
from tasks.report.pages import render_reports
from tests.support.browser import CHROMIUM, Browser
from tests.support.report_fixture import PERIOD, build_report_db
from tests.support.store_builder import settings_with

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")]


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """The fixture store with a ledger (opened 2020-04-01, one case confirmed, judged on 2020-04-20), rendered."""
    con = build_report_db()
    settings = settings_with()
    assert update_ledger(con, settings, PERIOD, date(2020, 4, 1), 1)["opened"] > 0
    first = con.sql("SELECT * FROM cases WHERE household_id = '4305211000010001' ORDER BY kind").pl().to_dicts()[0]
    ledger.append_events(con, [{"case_id": first["case_id"], "event": "decision", "event_on": date(2020, 4, 3),
                                "status": "confirmed", "conclusion": "属实", "actor": "李四",
                                "decided_on": date(2020, 4, 3)}], None)
    record_refusals(con, [{"file_sha256": "f", "file_name": "430521_已核查.xlsx", "file_row": 7,
                           "case_id": first["case_id"], "county_code": "430521", "code": "CASE_NOTE_REQUIRED",
                           "detail": "核查结论为不属实时须在备注中说明理由 <b>", "imported_on": date(2020, 4, 18)}], None)
    ledger.derive_cases(con, settings, PERIOD, date(2020, 4, 20))
    out = render_reports(con, tmp_path_factory.mktemp("reports"), PERIOD, 7, settings)
    counts = dict(con.execute("SELECT status, count(*) FROM cases WHERE county_code = '430521' GROUP BY ALL").fetchall())
    con.close()
    return out, counts


def test_the_county_section_lists_overdue_cases_first_in_red(pages):
    out, counts = pages
    with Browser() as browser:
        page = browser.new_page()
        page.open(out["counties"]["430521"].resolve().as_uri())
        assert page.console_errors == []
        assert page.evaluate("document.querySelector('#cases h2').textContent") == "待办台账"
        rows = page.evaluate("Array.from(document.querySelectorAll('#cases-todo-table tbody tr'))"
                             ".map(r => [r.className, r.cells[6].innerText, r.cells[8].innerText])")
        assert rows and all(cls == "overdue" for cls, _, _ in rows)
        days = [int(text.removeprefix("逾期").removesuffix("天")) for _, _, text in rows]
        assert days == sorted(days, reverse=True) and set(days) == {12, 4}  # data errors: 7 days; others 15
        assert {status for _, status, _ in rows} == {"待核查"}
        assert len(rows) == counts["open"]
        red = page.evaluate("getComputedStyle(document.querySelector('#cases-todo-table .late')).color")
        assert red == "rgb(192, 57, 43)"
        townships = page.evaluate("Array.from(document.querySelectorAll('#cases-townships-table tbody tr'))"
                                  ".map(r => [parseInt(r.cells[1].innerText), parseInt(r.cells[2].innerText)])")
        assert sum(o for o, _ in townships) == counts["open"] and sum(c for _, c in townships) == 1
        flagged = page.evaluate("document.querySelector('#flagged-table').innerText")
        assert "台账：已核实" in flagged and "台账：待核查（逾期4天）" in flagged
        refused = page.evaluate("Array.from(document.querySelectorAll('#cases-refused-table td')).map(c => c.innerText)")
        assert refused[1:5] == ["430521_已核查.xlsx", "7", refused[3], "CASE_NOTE_REQUIRED"]
        assert refused[5].endswith("<b>")  # escaped, shown as text
        text = page.evaluate("document.body.innerText")
        assert "张三丰" not in text and "430521198001011234" not in text


def test_the_city_page_shows_each_countys_cases(pages):
    out, counts = pages
    with Browser() as browser:
        page = browser.new_page()
        page.open(out["index"].resolve().as_uri())
        assert page.console_errors == []
        row = page.evaluate("Array.from(document.querySelectorAll('#cases-city-table tbody tr')[0].cells)"
                            ".map(c => c.innerText)")
        assert row[0] == "邵东县" and int(row[1]) == counts["open"] + 1 and int(row[2]) == counts["open"]
        assert row[5] == "2.0"  # opened 2020-04-01, concluded 2020-04-03


def test_a_county_without_cases_renders_beside_one_with_cases(tmp_path):
    con = build_report_db()
    settings = settings_with()
    update_ledger(con, settings, PERIOD, date(2020, 4, 1), 1)
    con.execute("DELETE FROM cases WHERE county_code = '430522'").fetchall()  # the derived table, for this test
    out = render_reports(con, tmp_path, PERIOD, 7, settings)
    index = out["index"].read_text(encoding="utf-8")
    assert 'id="cases-city-table"' in index and "新邵县" in index
    assert "尚无台账" in out["counties"]["430522"].read_text(encoding="utf-8")
