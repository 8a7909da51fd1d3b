"""A re-sent copy of a row that left 核查结论 blank (measures added to a case confirmed by another file) is the same
decision: unchanged, and it does not take back a later-imported decision of the same 核查日期."""
from __future__ import annotations

from datetime import date

import openpyxl

from tasks.cases.importer import import_workbooks
from tasks.cases.workbook import export_workbooks
from tests.support.cases_store import cases_by_household, fill_workbook, hid, opened_cases

TODAY = date(2020, 4, 20)


def resaved(source, target):
    """The workbook opened and saved again by another program (other bytes, the same cells)."""
    book = openpyxl.load_workbook(source)
    book.properties.title = "再次保存"
    book.save(target)


def test_a_resent_copy_of_a_measures_only_row_is_unchanged(tmp_path):
    con, settings, ids = opened_cases(tmp_path / "out", 2)
    [blank] = export_workbooks(con, settings, TODAY)
    fill_workbook(blank, tmp_path / "confirm.xlsx", {ids[hid(1)]: ("属实", None, "李四", "2020-04-10", None)})
    fill_workbook(blank, tmp_path / "measures.xlsx", {ids[hid(1)]: (None, "医疗救助", "王五", "2020-04-12", None)})
    assert import_workbooks(con, settings, [tmp_path / "confirm.xlsx"], TODAY).applied == 1
    assert import_workbooks(con, settings, [tmp_path / "measures.xlsx"], TODAY).applied == 1
    resaved(tmp_path / "measures.xlsx", tmp_path / "measures_again.xlsx")
    again = import_workbooks(con, settings, [tmp_path / "measures_again.xlsx"], TODAY)
    assert (again.applied, again.unchanged, again.refused) == (0, 1, 0)


def test_a_resent_copy_does_not_take_back_the_later_imported_decision_of_the_same_day(tmp_path):
    con, settings, ids = opened_cases(tmp_path / "out", 2)
    [blank] = export_workbooks(con, settings, TODAY)
    fill_workbook(blank, tmp_path / "confirm.xlsx", {ids[hid(1)]: ("属实", None, "李四", "2020-04-10", None)})
    fill_workbook(blank, tmp_path / "measures.xlsx", {ids[hid(1)]: (None, "医疗救助", "王五", "2020-04-12", None)})
    fill_workbook(blank, tmp_path / "correct.xlsx", {ids[hid(1)]: ("属实", "稳岗就业", "王五", "2020-04-12", None)})
    for name in ("confirm", "measures", "correct"):
        assert import_workbooks(con, settings, [tmp_path / f"{name}.xlsx"], TODAY).applied == 1
    assert cases_by_household(con)[hid(1)][0]["measures"] == "稳岗就业"
    resaved(tmp_path / "measures.xlsx", tmp_path / "measures_again.xlsx")
    import_workbooks(con, settings, [tmp_path / "measures_again.xlsx"], TODAY)
    # the same bytes imported again change nothing; a re-saved copy of them should not either
    assert cases_by_household(con)[hid(1)][0]["measures"] == "稳岗就业"
