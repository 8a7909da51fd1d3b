"""Workbooks of several sheets as clerks send them: a sheet per month (the file's month read, the others named in a
FILE_OTHER_SHEETS warning), a 填表说明 in front of the table, empty and note sheets (no warning), odd ones (hidden,
chart, huge or escaped names), and the one table on a sheet named for another month (FILE_SHEET_MONTH)."""
from __future__ import annotations

import io
import re
import zipfile

import pytest
import xlsxwriter

from tasks.ingest.parse import parse_return
from tasks.ingest.sheet_choice import names_month
from tests.support.returns import HEADER, household

V = "430521001001"
INSTRUCTIONS = [["填表说明"], ["户编号", "12位村代码加4位序号"], ["工资性收入", "单位：元，本年1月起累计"],
                ["户类型", "脱贫户、监测户或一般户"]]


def month_table(wage: str) -> list[list[str]]:
    """A return's sheet: its header and one household whose wage tells which sheet was read."""
    return [HEADER, household(V, 1, wage=wage)]


def workbook(sheets: list[tuple[str, list[list[str]]]], hidden: tuple[str, ...] = (), chart_first: bool = False
             ) -> bytes:
    """An .xlsx of the given sheets (name, rows), some hidden, optionally behind a chart sheet."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    if chart_first:
        chart = book.add_chart({"type": "line"})
        chart.add_series({"values": "=Sheet9!$A$1:$A$2"})
        book.add_chartsheet("图").set_chart(chart)
    for name, rows in sheets:
        sheet = book.add_worksheet(name)
        for index, row in enumerate(rows):
            sheet.write_row(index, 0, row)
        if name in hidden:
            sheet.hide()
    if chart_first:
        book.add_worksheet("Sheet9").write_column(0, 0, [1, 2])
        book.worksheets()[-1].hide()
    book.close()
    return buffer.getvalue()


def renamed(data: bytes, old: str, new_xml: str) -> bytes:
    """A workbook with one sheet's name replaced in its XML (new_xml written as is: entities, any length)."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = source.read(info.filename)
            if info.filename == "xl/workbook.xml":
                part = re.sub(f'name="{old}"'.encode(), f'name="{new_xml}"'.encode(), part)
            target.writestr(info.filename, part)
    return out.getvalue()


def wages(parsed) -> list[str]:
    """The wage cells read."""
    return parsed.frame["wage_income"].to_list()


@pytest.mark.parametrize("names, read", [
    (["1月", "2月", "3月"], "3月"),
    (["1月", "3月", "11月", "12月"], "1月"),  # file 202001 below: 1月, not 11月 nor 12月
    (["2020年2月", "2020年3月", "2020年4月"], "2020年3月"),
    (["202002", "202003"], "202003"),
    (["一月", "三月", "十一月"], "三月"),
    (["2019年3月", "2020年3月"], "2020年3月"),
    (["3月份", "4月份"], "3月份"),
])
def test_the_sheet_named_for_the_files_month_is_read_and_the_others_named(names, read):
    period = "202001" if "11月" in names and "1月" in names else "202003"
    data = workbook([(name, month_table(str(100 + i))) for i, name in enumerate(names)])
    parsed = parse_return(data, "xlsx", period=period)
    assert parsed.problem_code is None
    assert wages(parsed) == [str(100 + names.index(read))]
    [(code, detail)] = parsed.warnings
    assert code == "FILE_OTHER_SHEETS"
    assert f"读取了“{read}”(按工作表名选取" in detail
    assert all(f"“{name}”" in detail.split("未读取")[1] for name in names if name != read)


def test_sheets_whose_names_do_not_tell_the_month_read_the_first_and_warn():
    for names in (["Sheet1", "Sheet2"], ["3月", "3月(修改)"]):
        parsed = parse_return(workbook([(n, month_table(str(i))) for i, n in enumerate(names)]), "xlsx", period="202003")
        assert wages(parsed) == ["0"]
        [(code, detail)] = parsed.warnings
        assert code == "FILE_OTHER_SHEETS" and "无法由工作表名确定哪一个是2020年3月的数据" in detail
        assert f"读取了“{names[0]}”" in detail and f"未读取“{names[1]}”" in detail


def test_instructions_in_front_of_the_table_are_passed_over_without_a_warning():
    """Refused as not a return before: the first sheet holding a value was a 填表说明."""
    data = workbook([("填表说明", INSTRUCTIONS), ("3月", month_table("555")), ("Sheet3", []),
                     ("备注", [["注：本表由村会计填报"]])])
    parsed = parse_return(data, "xlsx", period="202003")
    assert parsed.problem_code is None, parsed.problem_detail
    assert (wages(parsed), parsed.header_row, parsed.frame["source_row"].to_list()) == (["555"], 1, [2])
    assert parsed.warnings == []


def test_one_table_among_empty_sheets_gets_no_warning():
    data = workbook([("Sheet1", month_table("1")), ("Sheet2", []), ("Sheet3", [])])
    parsed = parse_return(data, "xlsx", period="202003")
    assert (wages(parsed), parsed.warnings) == (["1"], [])


def test_hidden_and_chart_sheets_are_neither_read_nor_named():
    data = workbook([("1月", month_table("1")), ("3月", month_table("3")), ("2月", month_table("2"))],
                    hidden=("3月",), chart_first=True)
    parsed = parse_return(data, "xlsx", period="202003")
    assert wages(parsed) == ["1"]
    [(_, detail)] = parsed.warnings
    assert "“2月”" in detail and "3月" not in detail.replace("2020年3月", "")


def test_names_with_entities_or_of_any_length_are_read_and_shown_cut():
    data = workbook([("Sheet1", month_table("1")), ("Sheet2", month_table("2")), ("Sheet3", month_table("3"))])
    data = renamed(renamed(data, "Sheet2", "&lt;3月&gt; &amp; 审&#26680;"), "Sheet3", "长" * 5000 + "3月")
    parsed = parse_return(data, "xlsx", period="202003")
    assert parsed.problem_code is None
    assert wages(parsed) == ["1"]  # two sheets name March: the first is read
    [(_, detail)] = parsed.warnings
    assert "“<3月> & 审核”" in detail
    assert "“" + "长" * 31 + "…”" in detail and len(detail) < 300


def test_a_workbook_of_instructions_only_is_still_no_return():
    parsed = parse_return(workbook([("填表说明", INSTRUCTIONS), ("Sheet2", [])]), "xlsx", period="202003")
    assert parsed.frame is None and parsed.problem_code == "FILE_MISSING_COLUMNS"  # as before: its 户编号 line


@pytest.mark.parametrize("name, period, names", [
    ("1月", "202001", True), ("11月", "202001", False), ("12月", "202002", False), ("十一月", "202001", False),
    ("十二月", "202012", True), ("二〇二〇年三月", "202003", True), ("2019年3月", "202003", False),
    ("1-3月", "202003", False), ("１２月", "202012", True), ("03", "202003", True), ("2020", "202003", False),
    ("2020.3", "202003", True), ("3月报表(4月改)", "202003", False), ("填表说明", "202003", False),
])
def test_which_sheet_names_name_the_month(name, period, names):
    assert names_month(name, period) is names


@pytest.mark.parametrize("name, named", [
    ("1月", "1月"), ("2020年1月", "2020年1月"), ("202001", "2020年1月"), ("一月份", "1月"), ("2019年3月", "2019年3月"),
    ("2020.1", "2020年1月"), ("1月（上报）", "1月"),
    ("Sheet1", None), ("收入月报", None), ("3月", None), ("2020年3月", None), ("202003", None), ("三月", None),
    ("1-3月", None), ("1月-3月", None), ("2020年1月至3月", None), ("1月、2月", None), ("2020", None), ("2020年", None),
    ("1", None), ("13", None), ("2020.13", None),
])
def test_the_one_table_on_a_sheet_named_for_another_month_is_read_and_warned(name, named):
    """A clerk's reused template: its sheet still named for January, in the file for March, loaded without a word."""
    parsed = parse_return(workbook([(name, month_table("7"))]), "xlsx", period="202003")
    assert parsed.problem_code is None and wages(parsed) == ["7"]
    if named is None:  # names no month, the file's month, a range or list of months, a year, or a number alone
        assert parsed.warnings == []
        return
    [(code, detail)] = parsed.warnings
    assert code == "FILE_SHEET_MONTH"
    assert detail.startswith(f"读取的工作表“{name}”名为{named}，文件名为2020年3月：已作为2020年3月的数据读入")


def test_the_table_behind_instructions_is_judged_by_its_own_name_and_a_sheet_per_month_warned_once():
    """The instructions' name says nothing; of several sheets holding the table, FILE_OTHER_SHEETS says it all."""
    parsed = parse_return(workbook([("填表说明", INSTRUCTIONS), ("2020年2月", month_table("2"))]), "xlsx",
                          period="202003")
    assert [code for code, _ in parsed.warnings] == ["FILE_SHEET_MONTH"]
    parsed = parse_return(workbook([("1月", month_table("1")), ("2月", month_table("2"))]), "xlsx", period="202003")
    assert [code for code, _ in parsed.warnings] == ["FILE_OTHER_SHEETS"]


def test_a_sheet_whose_first_rows_are_megabytes_is_looked_at_only_so_far():
    """Eight rows of 16,384 numbers above a header (3 MB of XML): past the bytes looked at (HEAD_MAX_BYTES), so no
    table is seen there and the first sheet is read, as before."""
    wide = [[n for n in range(16384)] for _ in range(8)]
    data = workbook([("3月", month_table("3")), ("宽", wide + month_table("9"))])
    parsed = parse_return(data, "xlsx", period="202003")
    assert (wages(parsed), parsed.warnings) == (["3"], [])
