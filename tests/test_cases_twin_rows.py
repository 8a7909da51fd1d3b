"""A workbook whose sheet was copied, the same decision written on both sheets (a clerk filled the copy, then the
original the same way): one decision, applied once; its twin is unchanged."""
from __future__ import annotations

from datetime import date

import openpyxl

from tasks.cases.importer import import_workbooks
from tasks.cases.workbook import export_workbooks
from tests.support.cases_store import fill_workbook, hid, opened_cases

TODAY = date(2020, 4, 20)


def test_a_decision_written_on_both_sheets_dated_before_the_one_in_force_is_applied_once(tmp_path):
    con, settings, ids = opened_cases(tmp_path / "out", 1)
    [blank] = export_workbooks(con, settings, TODAY)
    fill_workbook(blank, tmp_path / "later.xlsx", {ids[hid(1)]: ("属实", "医疗救助", "李四", "2020-04-15", None)})
    assert import_workbooks(con, settings, [tmp_path / "later.xlsx"], TODAY).applied == 1
    book = openpyxl.load_workbook(blank)
    copy = book.copy_worksheet(book["待办"])
    for sheet in (book["待办"], copy):
        [row] = [r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == ids[hid(1)]]
        for col, value in enumerate(("属实", None, "王五", "2020-04-12", None), start=13):
            sheet.cell(row, col).value = value
    book.save(tmp_path / "twins.xlsx")
    result = import_workbooks(con, settings, [tmp_path / "twins.xlsx"], TODAY)
    assert (result.applied, result.superseded, result.unchanged) == (1, 1, 1)
