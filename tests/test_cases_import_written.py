"""Decision cells as clerks write them: a word of the lists with a zero-width space pasted from a chat, a space
inside it, full-width digits typed in the input method's full-width mode, traditional characters (WPS's 简繁转换)
are the words the clerk sees and are applied; a word not in the lists is still refused."""
from __future__ import annotations

from datetime import date

import openpyxl

from tasks.cases.importer import import_workbooks
from tasks.cases.workbook import COLUMNS, export_workbooks
from tests.support.cases_store import cases_by_household, hid, opened_cases

TODAY = date(2020, 4, 20)
ID, HOUSEHOLD, DECIDED = (COLUMNS.index(c) + 1 for c in ("台账编号", "户编号", "核查结论"))
WRITTEN = {  # household: the five cells as written
    1: ("属实\u200b", None, "李四", "2020-04-10", None),
    2: ("属 实", "公益崗位", "李四", "2020-04-10", None),
    3: ("不屬實", None, "李四", "２０２０－０４－１０", "外出务工收入未申报"),
    4: ("属实", "医疗救助\u200b、臨時救助", "李四", "2020年4月10日", None),
    5: ("属实了", None, "李四", "2020-04-10", None),
}


def test_list_words_and_dates_are_read_as_the_clerk_sees_them(tmp_path):
    con, settings, ids = opened_cases(tmp_path / "out", 5)
    [blank] = export_workbooks(con, settings, TODAY)
    book = openpyxl.load_workbook(blank)
    sheet = book["待办"]
    for row in range(2, sheet.max_row + 1):
        if written := WRITTEN.get(int(sheet.cell(row, HOUSEHOLD).value[-4:])):
            for col, value in enumerate(written, start=DECIDED):
                sheet.cell(row, col).value = value
    sheet.cell(2, ID).value = "\u200b" + sheet.cell(2, ID).value.replace("K", "Ｋ")  # the id as pasted
    book.save(tmp_path / "filled.xlsx")
    result = import_workbooks(con, settings, [tmp_path / "filled.xlsx"], TODAY)
    cases = {n: cases_by_household(con)[hid(n)][0] for n in WRITTEN}
    assert {n: (c["status"], c["conclusion"], c["measures"], c["decided_on"]) for n, c in cases.items()} == {
        1: ("confirmed", "属实", None, date(2020, 4, 10)),
        2: ("assisting", "属实", "公益岗位", date(2020, 4, 10)),
        3: ("dismissed", "不属实", None, date(2020, 4, 10)),
        4: ("assisting", "属实", "医疗救助、临时救助", date(2020, 4, 10)),
        5: ("open", None, None, None)}
    assert [(p["case_id"], p["code"]) for p in result.problems] == [(ids[hid(5)], "CASE_CONCLUSION")]
