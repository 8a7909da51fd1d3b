"""A filled workbook's rows as an office leaves them: a 台账编号 pasted over another row's, several rows of one case
in any order. A decision is applied to the case its row shows, and the rows' order in the sheet changes nothing."""
from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from tasks.cases.importer import import_workbooks
from tasks.cases.workbook import COLUMNS, export_workbooks
from tests.support.cases_store import cases_by_household, hid, opened_cases

TODAY = date(2020, 4, 20)
ID, HOUSEHOLD, KIND, DECIDED = (COLUMNS.index(c) + 1 for c in ("台账编号", "户编号", "类型", "核查结论"))


@pytest.fixture()
def ledger(tmp_path):
    """A store whose run on 2020-04-05 opened BELOW_LINE cases for households 1–3; household 4 is fine."""
    return opened_cases(tmp_path / "out", 3)


def row_of(sheet, household: str) -> int:
    """The sheet row showing a household's case."""
    return next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, HOUSEHOLD).value == household)


def decide(sheet, row: int, decision: tuple) -> None:
    """Write the five decision cells of a row."""
    for col, value in enumerate(decision, start=DECIDED):
        sheet.cell(row, col).value = value


def state(con, n: int) -> tuple:
    """A household's case: status, conclusion, 核查人."""
    case = cases_by_household(con)[hid(n)][0]
    return case["status"], case["conclusion"], case["actor"]


def test_a_row_whose_id_names_another_case_than_it_shows_is_refused_and_no_case_changes(ledger, tmp_path):
    con, settings, ids = ledger
    [blank] = export_workbooks(con, settings, TODAY)
    book = openpyxl.load_workbook(blank)
    sheet = book["待办"]
    pasted, relabelled = row_of(sheet, hid(1)), row_of(sheet, hid(3))
    sheet.cell(pasted, ID).value = ids[hid(2)]  # household 1's row, household 2's 台账编号 pasted over its own
    decide(sheet, pasted, ("不属实", None, "李四", "2020-04-10", "外出务工收入未申报"))
    sheet.cell(relabelled, KIND).value = "收入骤减"  # another case of the household's than the id names
    decide(sheet, relabelled, ("属实", None, "李四", "2020-04-10", None))
    decide(sheet, row_of(sheet, hid(2)), ("属实", None, "王五", "2020-04-11", None))  # household 2's own row
    book.save(tmp_path / "filled.xlsx")
    result = import_workbooks(con, settings, [tmp_path / "filled.xlsx"], TODAY)
    assert (result.applied, result.refused) == (1, 2)
    assert [(p["row"], p["case_id"], p["code"]) for p in result.problems] == \
        sorted([(pasted, ids[hid(2)], "CASE_UNKNOWN"), (relabelled, ids[hid(3)], "CASE_UNKNOWN")])
    assert hid(2) in next(p["detail"] for p in result.problems if p["row"] == pasted)
    assert [state(con, n) for n in (1, 2, 3)] == [("open", None, None), ("confirmed", "属实", "王五"),
                                                 ("open", None, None)]


@pytest.mark.parametrize("later_row_first", [False, True])
def test_the_rows_of_one_case_apply_in_the_order_of_their_dates_whatever_the_sheets_order(ledger, tmp_path,
                                                                                          later_row_first):
    """Two rows of one case in one file, sorted either way: the ledger of importing them day by day. The dismissal
    (04-10) closes the case, and the later 属实 (04-15), the township's latest word, is applied over it."""
    con, settings, ids = ledger
    [blank] = export_workbooks(con, settings, TODAY)
    book = openpyxl.load_workbook(blank)
    sheet = book["待办"]
    earlier = ("不属实", None, "王五", "2020-04-10", "误报")
    later = ("属实", "医疗救助", "李四", "2020-04-15", None)
    first, second = (later, earlier) if later_row_first else (earlier, later)
    row = row_of(sheet, hid(1))
    sheet.append([sheet.cell(row, c).value for c in range(1, DECIDED)] + list(second))
    decide(sheet, row, first)
    book.save(tmp_path / "filled.xlsx")
    result = import_workbooks(con, settings, [tmp_path / "filled.xlsx"], TODAY)
    assert (result.applied, result.refused, result.problems) == (2, 0, [])
    assert state(con, 1) == ("assisting", "属实", "李四")


def test_decisions_a_sort_put_above_the_header_row_are_read(ledger, tmp_path):
    """A sort in Excel or WPS that took the header row along (no 'data has headers') puts some cases above it."""
    con, settings, ids = ledger
    [blank] = export_workbooks(con, settings, TODAY)
    book = openpyxl.load_workbook(blank)
    sheet = book["待办"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    for r, values in enumerate([*rows[1:3], rows[0], *rows[3:]], start=1):
        for c, value in enumerate(values, start=1):
            sheet.cell(r, c).value = value
    decide(sheet, 1, ("属实", None, "李四", "2020-04-12", None))
    decide(sheet, 2, ("不属实", None, "李四", "2020-04-12", None))  # refused (no 备注): named by its row
    book.save(tmp_path / "sorted.xlsx")
    result = import_workbooks(con, settings, [tmp_path / "sorted.xlsx"], TODAY)
    assert (result.applied, result.refused) == (1, 1)
    assert [(p["row"], p["code"]) for p in result.problems] == [(2, "CASE_NOTE_REQUIRED")]
    [first] = [n for n in (1, 2, 3) if hid(n) == sheet.cell(1, HOUSEHOLD).value]
    assert state(con, first) == ("confirmed", "属实", "李四")


def test_a_decision_losing_to_a_later_dated_one_is_told_not_counted_as_taking(ledger, tmp_path):
    """Two clerks' copies of one export, the earlier-dated measure imported last: superseded, and the command says so;
    the later one left the measures blank, so the earlier one's stand (the decisions replayed in 核查日期 order)."""
    from povmon.cases_cli import summary

    con, settings, ids = ledger
    [blank] = export_workbooks(con, settings, TODAY)
    for name, decision in (("a", ("属实", None, "李四", "2020-04-18", None)),
                           ("b", ("属实", "医疗救助", "王五", "2020-04-15", None))):
        book = openpyxl.load_workbook(blank)
        decide(book["待办"], row_of(book["待办"], hid(1)), decision)
        book.save(tmp_path / f"{name}.xlsx")
    first = import_workbooks(con, settings, [tmp_path / "a.xlsx"], TODAY)
    assert (first.applied, first.superseded) == (1, 0) and "superseded" not in summary(first)
    second = import_workbooks(con, settings, [tmp_path / "b.xlsx"], TODAY)
    assert (second.applied, second.superseded) == (1, 1)
    assert summary(second).startswith("1 rows applied, 0 unchanged, 0 refused; 1 of the applied rows dated before")
    assert state(con, 1) == ("assisting", "属实", "李四")


@pytest.mark.parametrize("remark", [None, "村委会复核"])
def test_a_second_column_named_as_a_decision_column_never_stands_in_for_it(ledger, tmp_path, remark):
    """A clerk's own 备注 column at the end: empty, the ledger's is read; written, the file is refused whole."""
    con, settings, ids = ledger
    [blank] = export_workbooks(con, settings, TODAY)
    book = openpyxl.load_workbook(blank)
    sheet = book["待办"]
    decide(sheet, row_of(sheet, hid(1)), ("不属实", None, "李四", "2020-04-12", "务工收入未申报"))
    sheet.cell(1, len(COLUMNS) + 1).value = "备注"
    sheet.cell(row_of(sheet, hid(2)), len(COLUMNS) + 1).value = remark
    book.save(tmp_path / "filled.xlsx")
    result = import_workbooks(con, settings, [tmp_path / "filled.xlsx"], TODAY)
    if remark is None:
        assert (result.applied, result.refused) == (1, 0)
        assert cases_by_household(con)[hid(1)][0]["note"] == "务工收入未申报"
    else:
        assert result.applied == 0 and [p["code"] for p in result.problems] == ["CASE_FILE"]
        assert "备注" in result.unreadable["filled.xlsx"] and state(con, 1) == ("open", None, None)


def test_a_conclusion_merged_over_several_rows_is_each_rows(ledger, tmp_path):
    """One 属实 and one 核查人 merged over three rows, a title merged across the top: each row decided as shown."""
    con, settings, ids = ledger
    [blank] = export_workbooks(con, settings, TODAY)
    book = openpyxl.load_workbook(blank)
    sheet = book["待办"]
    sheet.insert_rows(1)
    sheet.cell(1, 1).value = "某镇问题台账核查表"
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    decide(sheet, 3, ("属实", None, "李四", "2020-04-12", None))
    for row in (4, 5):
        sheet.cell(row, DECIDED + 3).value = "2020-04-12"
    for column in (DECIDED, DECIDED + 2):
        sheet.merge_cells(start_row=3, start_column=column, end_row=5, end_column=column)
    book.save(tmp_path / "merged.xlsx")
    result = import_workbooks(con, settings, [tmp_path / "merged.xlsx"], TODAY)
    assert (result.applied, result.refused) == (3, 0)
    assert [state(con, n) for n in (1, 2, 3)] == [("confirmed", "属实", "李四")] * 3
