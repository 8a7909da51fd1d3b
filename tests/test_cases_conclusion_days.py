"""The pages' 核查用时中位数 (发现至核查结论): the days from a case's opening to the township's first conclusion, not to
whatever was recorded on the case last (measures added weeks after the visit, a 风险消除 months later)."""
from __future__ import annotations

from datetime import date

from tasks.cases.importer import import_workbooks
from tasks.cases.workbook import export_workbooks
from tasks.report.data import fetch_city
from tests.support.cases_store import fill_workbook, hid, opened_cases
from tests.support.store_builder import COUNTY


def test_the_median_days_to_a_conclusion_count_to_the_first_conclusion_not_to_measures_added_later(tmp_path):
    con, settings, ids = opened_cases(tmp_path / "out", 2)  # opened 2020-04-05
    [blank] = export_workbooks(con, settings, date(2020, 4, 16))
    fill_workbook(blank, tmp_path / "visits.xlsx", {ids[hid(1)]: ("属实", None, "李四", "2020-04-10", None),
                                                     ids[hid(2)]: ("属实", None, "王五", "2020-04-15", None)})
    assert import_workbooks(con, settings, [tmp_path / "visits.xlsx"], date(2020, 4, 16)).applied == 2
    # three weeks later the township records household 1's measures (no new conclusion: still 属实)
    [confirmed] = export_workbooks(con, settings, date(2020, 5, 6))
    fill_workbook(confirmed, tmp_path / "measures.xlsx", {ids[hid(1)]: (None, "医疗救助", "李四", "2020-05-05", None)})
    assert import_workbooks(con, settings, [tmp_path / "measures.xlsx"], date(2020, 5, 6)).applied == 1
    case = con.execute("SELECT status, conclusion FROM cases WHERE case_id = ?", [ids[hid(1)]]).fetchall()
    assert case == [("assisting", "属实")]
    summary = fetch_city(con, "202003")["cases"][COUNTY]
    assert summary["median_days_to_conclusion"] == 7.5  # the visits' 5 and 10 days, not 30 and 10
