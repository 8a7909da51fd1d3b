"""One file, two rows of one case dated the same day: the 属实 and the measures of that visit. Sorting the rows
(README: "sorting the rows changes nothing") should not decide whether the measures are applied."""
from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from tasks.cases.importer import import_workbooks
from tasks.cases.workbook import COLUMNS, export_workbooks
from tests.support.cases_store import cases_by_household, hid, opened_cases

TODAY = date(2020, 4, 20)
HOUSEHOLD, DECIDED = (COLUMNS.index(c) + 1 for c in ("户编号", "核查结论"))


@pytest.mark.parametrize("measures_row_first", [False, True])
def test_the_measures_and_the_confirmation_of_one_visit_apply_whatever_the_rows_order(tmp_path, measures_row_first):
    con, settings, ids = opened_cases(tmp_path / "out", 1)
    [blank] = export_workbooks(con, settings, TODAY)
    book = openpyxl.load_workbook(blank)
    sheet = book["待办"]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, HOUSEHOLD).value == hid(1))
    confirm = ("属实", None, "李四", "2020-04-12", None)
    measures = (None, "医疗救助", "李四", "2020-04-12", None)
    first, second = (measures, confirm) if measures_row_first else (confirm, measures)
    sheet.append([sheet.cell(row, c).value for c in range(1, DECIDED)] + list(second))
    for col, value in enumerate(first, start=DECIDED):
        sheet.cell(row, col).value = value
    book.save(tmp_path / "filled.xlsx")
    result = import_workbooks(con, settings, [tmp_path / "filled.xlsx"], TODAY)
    case = cases_by_household(con)[hid(1)][0]
    assert (result.applied, result.refused) == (2, 0)
    assert (case["status"], case["measures"]) == ("assisting", "医疗救助")
