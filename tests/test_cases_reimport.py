"""The same workbook (the same bytes) imported again: what its refused rows become."""
from __future__ import annotations

from datetime import date

import pytest

from core import db
from tasks.cases.importer import import_workbooks
from tasks.cases.workbook import export_workbooks
from tests.support.cases_store import cases_by_household, fill_workbook, hid, opened_cases

TODAY = date(2020, 4, 20)


@pytest.fixture()
def ledger(tmp_path):
    """A store whose run on 2020-04-05 opened BELOW_LINE cases for households 1–3."""
    return opened_cases(tmp_path / "out", 3)


def listed(con) -> list[tuple]:
    """The refused checks the county page lists: (file row, code, detail)."""
    found = db.frame(con, "reports/cases_refused", {"county_codes": ["430521"], "period": None})
    return sorted((r["file_row"], r["code"], r["detail"]) for r in found.to_dicts())


def test_a_row_refused_as_dated_after_a_mistaken_today_is_applied_when_imported_again_with_the_right_one(
        ledger, tmp_path):
    """An import run with a --today before the 核查日期 written refuses the row (CASE_DATE); the same bytes imported
    with the right day apply it, and the page no longer lists its refusal. A row refused for what the file says
    (no 核查人) stays refused for the reason found then."""
    con, settings, ids = ledger
    [path] = export_workbooks(con, settings, TODAY)
    filled = tmp_path / "filled.xlsx"
    fill_workbook(path, filled, {ids[hid(1)]: ("属实", "兜底保障", "李四", "2020-04-21", None),
                                 ids[hid(2)]: ("属实", None, None, "2020-04-12", None)})
    wrong = import_workbooks(con, settings, [filled], date(2020, 4, 20))
    assert (wrong.applied, wrong.refused) == (0, 2)
    assert sorted(p["code"] for p in wrong.problems) == ["CASE_ACTOR", "CASE_DATE"]
    right = import_workbooks(con, settings, [filled], date(2020, 4, 22))
    assert (right.applied, right.unchanged, right.refused) == (1, 0, 1)
    assert [(p["code"], p["detail"]) for p in right.problems] == [("CASE_ACTOR", "未填写核查人")]
    case = cases_by_household(con)[hid(1)][0]
    assert (case["status"], case["measures"], case["decided_on"]) == ("assisting", "兜底保障", date(2020, 4, 21))
    assert [(code, detail) for _, code, detail in listed(con)] == [("CASE_ACTOR", "未填写核查人")]
    again = import_workbooks(con, settings, [filled], date(2020, 4, 25))
    assert (again.applied, again.unchanged, again.refused) == (0, 1, 1)


def test_a_row_refused_again_at_a_later_day_lists_that_days_reason_once(ledger, tmp_path):
    """Still after today at the second import: refused, with the second import's day named, and the page lists the
    row once, with the reason of its latest check."""
    con, settings, ids = ledger
    [path] = export_workbooks(con, settings, TODAY)
    filled = tmp_path / "filled.xlsx"
    fill_workbook(path, filled, {ids[hid(1)]: ("属实", None, "李四", "2020-04-30", None)})
    import_workbooks(con, settings, [filled], date(2020, 4, 20))
    second = import_workbooks(con, settings, [filled], date(2020, 4, 25))
    assert [p["detail"] for p in second.problems] == ["核查日期2020-04-30晚于今天2020-04-25"]
    assert [d for _, _, d in listed(con)] == ["核查日期2020-04-30晚于今天2020-04-25"]


def test_a_row_refused_for_the_cases_status_is_checked_against_the_case_as_it_is_now(ledger, tmp_path):
    """Measures without 属实 are refused (CASE_STATUS); once another file confirms the case, the same bytes
    imported again apply them."""
    con, settings, ids = ledger
    [path] = export_workbooks(con, settings, TODAY)
    measures, confirm = tmp_path / "measures.xlsx", tmp_path / "confirm.xlsx"
    fill_workbook(path, measures, {ids[hid(1)]: (None, "稳岗就业", "李四", "2020-04-14", None)})
    fill_workbook(path, confirm, {ids[hid(1)]: ("属实", None, "李四", "2020-04-12", None)})
    assert [p["code"] for p in import_workbooks(con, settings, [measures], TODAY).problems] == ["CASE_STATUS"]
    assert import_workbooks(con, settings, [confirm], TODAY).applied == 1
    again = import_workbooks(con, settings, [measures], TODAY)
    assert (again.applied, again.refused) == (1, 0)
    case = cases_by_household(con)[hid(1)][0]
    assert (case["status"], case["measures"]) == ("assisting", "稳岗就业")
    assert listed(con) == []


def test_a_row_naming_a_case_the_store_did_not_hold_yet_is_applied_once_it_does(tmp_path):
    """A workbook imported into a store whose run has not opened its cases yet (rebuilt from the same returns): its
    rows are refused (CASE_UNKNOWN); the run opens the same case ids, and the same bytes imported again apply."""
    from tests.support.cases_store import LOW, judge, ledger_store
    from tests.support.store_builder import year_periods

    con, settings, ids = opened_cases(tmp_path / "first", 1)
    [path] = export_workbooks(con, settings, TODAY)
    filled = tmp_path / "filled.xlsx"
    fill_workbook(path, filled, {ids[hid(1)]: ("属实", None, "李四", "2020-04-12", None)})
    rebuilt, settings = ledger_store({1: [LOW] * 6}, year_periods(2020, 6))
    settings = settings.with_paths(out=tmp_path / "rebuilt")
    refused = import_workbooks(rebuilt, settings, [filled], TODAY)
    assert [p["code"] for p in refused.problems] == ["CASE_UNKNOWN"]
    judge(rebuilt, settings, "202003", date(2020, 4, 5))
    again = import_workbooks(rebuilt, settings, [filled], TODAY)
    assert (again.applied, again.refused) == (1, 0)
    assert cases_by_household(rebuilt)[hid(1)][0]["status"] == "confirmed"


def test_a_row_checked_again_with_the_same_reasons_adds_no_refusal_row_and_one_with_other_reasons_is_kept(
        ledger, tmp_path):
    """The same bytes imported day after day check again a row refused for its date and the case's status: the
    day its reasons change (the date is no longer after today) is kept beside the first, each later day finding the
    same reasons adds nothing, and the page lists the latest reasons."""
    con, settings, ids = ledger
    [path] = export_workbooks(con, settings, TODAY)
    filled = tmp_path / "filled.xlsx"
    fill_workbook(path, filled, {ids[hid(1)]: (None, "稳岗就业", "李四", "2020-04-22", None)})
    first = import_workbooks(con, settings, [filled], date(2020, 4, 20))
    assert sorted(p["code"] for p in first.problems) == ["CASE_DATE", "CASE_STATUS"]
    for day in (22, 23, 24):
        again = import_workbooks(con, settings, [filled], date(2020, 4, day))
        assert [(p["code"], p["detail"]) for p in again.problems] == [("CASE_STATUS", "帮扶措施须在核查属实后填写")]
    kept = con.execute("SELECT code, imported_on FROM case_import_refusals ORDER BY imported_on, code").fetchall()
    assert kept == [("CASE_DATE", date(2020, 4, 20)), ("CASE_STATUS", date(2020, 4, 20)),
                    ("CASE_STATUS", date(2020, 4, 22))]
    assert [(code, detail) for _, code, detail in listed(con)] == [("CASE_STATUS", "帮扶措施须在核查属实后填写")]


def test_a_row_still_refused_in_a_later_month_is_recorded_again_and_listed_on_that_months_page(tmp_path):
    """The same reasons are not recorded twice in a month, but the county page lists a month's refusals on."""
    con, settings, ids = opened_cases(tmp_path / "out", 1)
    [path] = export_workbooks(con, settings, date(2020, 4, 20))
    filled = tmp_path / "filled.xlsx"
    fill_workbook(path, filled, {ids[hid(1)]: (None, "稳岗就业", "李四", "2020-04-14", None)})  # measures, no 属实
    april = import_workbooks(con, settings, [filled], date(2020, 4, 20))
    may = import_workbooks(con, settings, [filled], date(2020, 5, 10))
    assert [p["code"] for p in april.problems] == [p["code"] for p in may.problems] == ["CASE_STATUS"]
    page = db.frame(con, "reports/cases_refused", {"county_codes": ["430521"], "period": "202005"}).to_dicts()
    assert [(r["code"], r["imported_on"]) for r in page] == [("CASE_STATUS", "2020-05-10")]


def test_a_row_refused_for_what_the_file_says_and_imported_again_in_a_later_month_is_on_that_months_page(tmp_path):
    """Not checked again (its reasons are the file's), it is still recorded again in a later month, as a row checked
    again is: the page of that month lists it."""
    con, settings, ids = opened_cases(tmp_path / "out", 1)
    [path] = export_workbooks(con, settings, date(2020, 4, 20))
    filled = tmp_path / "filled.xlsx"
    fill_workbook(path, filled, {ids[hid(1)]: ("属实", None, None, "2020-04-14", None)})  # no 核查人
    april = import_workbooks(con, settings, [filled], date(2020, 4, 20))
    may = import_workbooks(con, settings, [filled], date(2020, 5, 10))
    assert [p["code"] for p in april.problems] == [p["code"] for p in may.problems] == ["CASE_ACTOR"]
    page = db.frame(con, "reports/cases_refused", {"county_codes": ["430521"], "period": "202005"}).to_dicts()
    assert [(r["code"], r["imported_on"]) for r in page] == [("CASE_ACTOR", "2020-05-10")]
    import_workbooks(con, settings, [filled], date(2020, 5, 12))  # the same month: nothing more to keep
    assert con.execute("SELECT count(*) FROM case_import_refusals").fetchone()[0] == 2

def test_a_row_checked_again_the_same_day_lists_only_that_checks_reasons(ledger, tmp_path):
    """A row refused for its date and for measures without 属实; another file confirms the case and the same bytes
    imported again that day are refused for the date alone: the page lists that reason only, and still does after a
    third import that day."""
    con, settings, ids = ledger
    [path] = export_workbooks(con, settings, TODAY)
    measures, confirm = tmp_path / "measures.xlsx", tmp_path / "confirm.xlsx"
    fill_workbook(path, measures, {ids[hid(1)]: (None, "稳岗就业", "李四", "2020-04-22", None)})
    fill_workbook(path, confirm, {ids[hid(1)]: ("属实", None, "李四", "2020-04-12", None)})
    first = import_workbooks(con, settings, [measures], TODAY)
    assert sorted(p["code"] for p in first.problems) == ["CASE_DATE", "CASE_STATUS"]
    assert import_workbooks(con, settings, [confirm], TODAY).applied == 1
    for _ in range(2):
        again = import_workbooks(con, settings, [measures], TODAY)
        assert [p["code"] for p in again.problems] == ["CASE_DATE"]
        assert [code for _, code, _ in listed(con)] == ["CASE_DATE"]



def test_a_row_refused_again_for_what_the_file_says_names_only_its_latest_checks_reasons(tmp_path):
    """A row refused as naming no case (the store did not hold it yet) is checked again once the run opened it, and
    refused for its 户编号 (another household's): imported again, it stays refused for that reason alone."""
    import openpyxl

    from tests.support.cases_store import LOW, judge, ledger_store
    from tests.support.store_builder import year_periods

    con, settings, ids = opened_cases(tmp_path / "first", 2)
    [path] = export_workbooks(con, settings, TODAY)
    filled = tmp_path / "filled.xlsx"
    fill_workbook(path, filled, {ids[hid(1)]: ("属实", None, "李四", "2020-04-12", None)})
    book = openpyxl.load_workbook(filled)
    sheet = book["已核查"]
    [row] = [r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == ids[hid(1)]]
    sheet.cell(row, 4).value = hid(2)  # an id pasted over another household's row
    book.save(filled)
    rebuilt, settings = ledger_store({1: [LOW] * 6, 2: [LOW] * 6}, year_periods(2020, 6))
    settings = settings.with_paths(out=tmp_path / "rebuilt")
    assert [p["detail"] for p in import_workbooks(rebuilt, settings, [filled], TODAY).problems] == [
        f"台账编号“{ids[hid(1)]}”不存在"]
    judge(rebuilt, settings, "202003", date(2020, 4, 5))
    for _ in range(2):
        again = import_workbooks(rebuilt, settings, [filled], TODAY)
        assert [(p["code"], p["detail"]) for p in again.problems] == [
            ("CASE_UNKNOWN", f"台账编号“{ids[hid(1)]}”是户编号“{hid(1)}”的台账，与本行不符（台账编号被改动？）")]
        assert [code for _, code, _ in listed(rebuilt)] == ["CASE_UNKNOWN"]
