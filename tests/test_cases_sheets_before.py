"""A store made before decision rows were known by their sheet (file_sheet NULL in its refusals and events): a
workbook of two decision sheets imported before and again after. Its refusals name their sheet in their reason."""
from __future__ import annotations

from datetime import date

import openpyxl

from core import db
from tasks.cases.importer import import_workbooks
from tasks.cases.workbook import export_workbooks
from tests.support.cases_store import cases_by_household, fill_workbook, hid, opened_cases

TODAY = date(2020, 4, 20)


def listed(con) -> list[tuple]:
    """The refused checks the county page lists: (file row, code, detail)."""
    found = db.frame(con, "reports/cases_refused", {"county_codes": ["430521"], "period": None})
    return sorted((r["file_row"], r["code"], r["detail"]) for r in found.to_dicts())


def two_sheets(blank, target, case_id, cells):
    """The export with its sheet copied (as Excel's 移动或复制), the copy's row of case_id filled."""
    book = openpyxl.load_workbook(blank)
    copy = book.copy_worksheet(book["待办"])
    copy.title = "待办 (2)"
    [row] = [r for r in range(2, copy.max_row + 1) if copy.cell(r, 1).value == case_id]
    for col, value in enumerate(cells, start=13):
        copy.cell(row, col).value = value
    book.save(target)


def as_before_the_change(con):
    """What a store made before file_sheet holds: no sheet on any refusal or event."""
    con.execute("UPDATE case_import_refusals SET file_sheet = NULL").fetchall()
    con.execute("UPDATE case_events SET file_sheet = NULL").fetchall()


def test_a_row_refused_before_the_change_and_applied_after_it_is_no_longer_listed(tmp_path):
    con, settings, ids = opened_cases(tmp_path / "out", 2)
    [blank] = export_workbooks(con, settings, TODAY)
    two_sheets(blank, tmp_path / "copied.xlsx", ids[hid(1)], (None, "稳岗就业", "李四", "2020-04-14", None))
    assert import_workbooks(con, settings, [tmp_path / "copied.xlsx"], TODAY).refused == 1
    as_before_the_change(con)
    fill_workbook(blank, tmp_path / "confirm.xlsx", {ids[hid(1)]: ("属实", None, "李四", "2020-04-12", None)})
    assert import_workbooks(con, settings, [tmp_path / "confirm.xlsx"], TODAY).applied == 1
    again = import_workbooks(con, settings, [tmp_path / "copied.xlsx"], TODAY)
    assert (again.applied, again.refused) == (1, 0)
    assert cases_by_household(con)[hid(1)][0]["status"] == "assisting"
    assert listed(con) == []


def test_a_row_refused_before_the_change_and_again_after_it_is_listed_once(tmp_path):
    con, settings, ids = opened_cases(tmp_path / "out", 2)
    [blank] = export_workbooks(con, settings, TODAY)
    two_sheets(blank, tmp_path / "copied.xlsx", ids[hid(1)], ("不属实", None, "李四", "2020-04-14", None))
    assert import_workbooks(con, settings, [tmp_path / "copied.xlsx"], TODAY).refused == 1
    as_before_the_change(con)
    assert import_workbooks(con, settings, [tmp_path / "copied.xlsx"], TODAY).refused == 1
    assert [code for _, code, _ in listed(con)] == ["CASE_NOTE_REQUIRED"]
