"""A hidden sheet of a returned case workbook (a clerk's stale copy of 待办, hidden rather than deleted) is never
read, as department files' hidden sheets are not; a workbook whose only ledger sheet is hidden is refused whole,
naming it."""
from __future__ import annotations

from datetime import date

import openpyxl

from tasks.cases.importer import import_workbooks
from tasks.cases.workbook import export_workbooks
from tests.support.cases_store import hid, opened_cases

TODAY = date(2020, 4, 20)


def write_decision(sheet, case_id: str, cells: tuple) -> None:
    """The five decision cells of the case's row."""
    [row] = [r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == case_id]
    for col, value in enumerate(cells, start=13):
        sheet.cell(row, col).value = value


def test_the_decisions_of_a_hidden_copy_of_the_sheet_are_not_applied(tmp_path):
    """Last month's copy, hidden, dismisses the case at the same 核查日期 as the visible sheet's 属实: only the
    visible sheet's decision is applied (read, the copy, later in the workbook, would win)."""
    con, settings, ids = opened_cases(tmp_path / "out", 1)
    [blank] = export_workbooks(con, settings, TODAY)
    book = openpyxl.load_workbook(blank)
    stale = book.copy_worksheet(book["待办"])
    stale.title = "待办（上月）"
    write_decision(stale, ids[hid(1)], ("不属实", None, "王五", "2020-04-12", "外出务工"))
    stale.sheet_state = "hidden"
    write_decision(book["待办"], ids[hid(1)], ("属实", "医疗救助", "李四", "2020-04-12", None))
    book.save(tmp_path / "returned.xlsx")
    result = import_workbooks(con, settings, [tmp_path / "returned.xlsx"], TODAY)
    assert (result.applied, result.refused, result.unchanged) == (1, 0, 0)
    assert con.execute("SELECT status, conclusion, measures, actor FROM cases WHERE case_id = ?",
                       [ids[hid(1)]]).fetchall() == [("assisting", "属实", "医疗救助", "李四")]
    assert con.execute("SELECT count(*) FROM case_events WHERE conclusion = '不属实'").fetchall() == [(0,)]


def test_a_workbook_whose_ledger_sheet_is_hidden_is_refused_naming_it(tmp_path):
    """The only 待办 sheet hidden: nothing applied, the file refused with a reason naming the sheet."""
    con, settings, ids = opened_cases(tmp_path / "out", 1)
    [blank] = export_workbooks(con, settings, TODAY)
    book = openpyxl.load_workbook(blank)
    write_decision(book["待办"], ids[hid(1)], ("属实", "医疗救助", "李四", "2020-04-12", None))
    book["待办"].sheet_state = "hidden"
    book.active = book.sheetnames.index("说明")
    book.save(tmp_path / "hidden.xlsx")
    result = import_workbooks(con, settings, [tmp_path / "hidden.xlsx"], TODAY)
    assert result.applied == 0 and "待办" in result.unreadable["hidden.xlsx"]
    assert "隐藏" in result.unreadable["hidden.xlsx"]
    assert con.execute("SELECT count(*) FROM case_events WHERE event = 'decision'").fetchall() == [(0,)]
