"""Class 4: data lost or wrong without a word. A header-only correction (or a blank form with its 序号 numbered), a
quote left open in a small file (or closed by another rows below), a contract column twice, a hidden first sheet,
last month's bytes under this month's name, numbers with separators (commas, spaces) that are not thousands,
non-finite numbers, a sheet named for another month, Excel's hidden sep= line: each has its rule and its code."""
from __future__ import annotations

import xlsxwriter

from tests.support.returns import HEADER, csv_bytes, household
from tests.support.hostile import GOOD_FILES, V1, V2, V3, assert_night_survives, query, tiny_city
from tests.support.runs import problems


def hidden_first_sheet(path) -> None:
    """A workbook whose hidden first sheet holds stale figures and whose visible second sheet holds the return."""
    book = xlsxwriter.Workbook(str(path))
    stale, real = book.add_worksheet("旧"), book.add_worksheet("三月")
    for sheet, wage in ((stale, "1"), (real, "777")):
        sheet.write_row(0, 0, HEADER)
        sheet.write_row(1, 0, household(V3, 1, wage=wage))
    real.activate()
    stale.hide()
    book.close()


def test_each_silent_loss_gets_its_rule_and_code(prefect_harness, tmp_path):
    inbox = tiny_city(tmp_path)
    (inbox / f"{V1}_202003_v7.csv").write_bytes(csv_bytes([]))  # header only: would replace 2 households
    template = [[str(n)] + [""] * len(HEADER) for n in range(1, 41)]  # a blank form, only its 序号 numbered
    (inbox / f"{V1}_202003_v8.csv").write_bytes(csv_bytes(template, header=["序号", *HEADER]))
    open_quote = [household(V2, n) for n in range(1, 42)]
    open_quote[9][1] = '"张'  # row 11 (header is row 1) opens a quote never closed
    (inbox / f"{V2}_202003.csv").write_bytes(csv_bytes(open_quote).replace(b'"""\xe5\xbc\xa0"', '"张'.encode()))
    swallowed = csv_bytes([household(V3, n, name="张" if n in (4, 8) else "李") for n in range(1, 13)])
    (inbox / f"{V3}_202001.csv").write_bytes(swallowed.replace(",张,".encode(), ',"张,'.encode()))  # rows 5, 9
    twice = HEADER + ["工资性收入"]
    (inbox / f"{V2}_202002.csv").write_bytes(csv_bytes([household(V2, 1, wage="0") + ["5000"]], header=twice))
    hidden_first_sheet(inbox / f"{V3}_202002.xlsx")
    last_month = (inbox / "430521" / f"{V1}_202003.csv").read_bytes()
    (inbox / f"{V1}_202002.csv").write_bytes(last_month)
    written = ["1,5", "12,34", "1.234,56", "1e999", "3000 500", "1,234.50"]
    numbers = [household(V2, n, wage=w) for n, w in enumerate(written, 1)]
    (inbox / f"{V2}_202001.csv").write_bytes(csv_bytes(numbers))
    found = assert_night_survives(tmp_path, {
        f"{V1}_202003_v7.csv": ("FILE_UNREADABLE", "没有任何一户"),
        f"{V1}_202003_v8.csv": ("FILE_UNREADABLE", "没有任何一户"),
        f"{V2}_202003.csv": ("FILE_UNREADABLE", "第11行的引号没有闭合"),
        f"{V3}_202001.csv": ("FILE_UNREADABLE", "第5行的引号直到第9行才闭合，其后4行被并进一个单元格"),
        f"{V2}_202002.csv": ("FILE_MISSING_COLUMNS", "“工资性收入”(第7、12列)"),
        f"{V1}_202002.csv": ("FILE_SAME_BYTES", f"{V1}_202003.csv"),
        f"{V2}_202001.csv": ("ROW_NOT_NUMBER", "1,5"),
    }, good=GOOD_FILES | {f"{V3}_202002.xlsx", f"{V2}_202001.csv"})
    assert query(tmp_path, "SELECT count(*) FROM households_current WHERE village_code = ? AND period = '202003'",
                 [V1]) == [(2,)]  # the header-only v7 and the blank form v8 replaced nothing
    assert query(tmp_path, "SELECT wage_income FROM households_current WHERE village_code = ? AND period = '202002'",
                 [V3]) == [(777.0,)]  # the visible sheet
    assert sorted(int(p["row"]) for p in found[f"{V2}_202001.csv"]) == [2, 3, 4, 5, 6]  # 1,234.50 is a number
    assert query(tmp_path, "SELECT wage_income FROM households_current WHERE village_code = ? AND period = '202001'",
                 [V2]) == [(1234.5,)]


def test_a_return_named_for_a_far_month_is_listed_and_never_becomes_the_as_of_month(prefect_harness, tmp_path):
    """Year 2100 is a valid name; taken as the latest month it would empty every night's exports after it."""
    inbox = tiny_city(tmp_path)
    (inbox / f"{V1}_210012.csv").write_bytes(csv_bytes([household(V1, 1, wage="1")]))
    found = assert_night_survives(tmp_path, {f"{V1}_210012.csv": ("FILE_PERIOD_AHEAD", "210012")},
                                  good=GOOD_FILES | {f"{V1}_210012.csv"})
    assert [p["level"] for p in found[f"{V1}_210012.csv"]] == ["warning"]
    assert query(tmp_path, "SELECT DISTINCT as_of_period FROM runs") == [("202003",)]


def test_a_workbook_of_a_sheet_per_month_loads_the_files_month_and_names_the_others(prefect_harness, tmp_path):
    """January's sheet first in a file named for March: its figures were loaded as March's without a word."""
    inbox = tiny_city(tmp_path)
    book = xlsxwriter.Workbook(str(inbox / f"{V2}_202003.xlsx"))
    for month, wage in (("1月", "100"), ("2月", "200"), ("3月", "300")):
        sheet = book.add_worksheet(month)
        sheet.write_row(0, 0, HEADER)
        sheet.write_row(1, 0, household(V2, 1, wage=wage))
    book.close()
    found = assert_night_survives(tmp_path, {f"{V2}_202003.xlsx": ("FILE_OTHER_SHEETS", "读取了“3月”")},
                                  good=GOOD_FILES | {f"{V2}_202003.xlsx"})
    assert [p["level"] for p in found[f"{V2}_202003.xlsx"]] == ["warning"]
    assert "未读取“1月”、“2月”" in found[f"{V2}_202003.xlsx"][0]["detail"]
    assert query(tmp_path, "SELECT wage_income FROM households_current WHERE village_code = ? AND period = '202003'",
                 [V2]) == [(300.0,)]


def sheets_of(path, sheets: list[tuple[str, str]]) -> None:
    """A workbook of V2's return on each named sheet, its household's wage the one given."""
    book = xlsxwriter.Workbook(str(path))
    for name, wage in sheets:
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, HEADER)
        sheet.write_row(1, 0, household(V2, 1, wage=wage))
    book.close()


def test_sheet_months_and_excel_rows_reach_the_village_through_a_night(prefect_harness, tmp_path):
    """A lone sheet 1月 in March's file loaded without a word; a year's workbook sent as January's and February's
    told "the same data under another month?" though each read its own month; a bad cell under a sep=, line
    reported one row below the one Excel shows."""
    inbox = tiny_city(tmp_path)
    sheets_of(inbox / f"{V2}_202003.xlsx", [("1月", "900")])
    sheets_of(inbox / f"{V2}_202001.xlsx", [(f"{m}月", str(100 * m)) for m in range(1, 13)])
    (inbox / f"{V2}_202002.xlsx").write_bytes((inbox / f"{V2}_202001.xlsx").read_bytes())
    sep = b"sep=,\r\n" + csv_bytes([household(V1, 1, wage="1000"), household(V1, 2, wage="一千")])
    (inbox / f"{V1}_202002.csv").write_bytes(sep)
    found = assert_night_survives(tmp_path, {
        f"{V2}_202003.xlsx": ("FILE_SHEET_MONTH", "读取的工作表“1月”名为1月，文件名为2020年3月"),
        f"{V2}_202001.xlsx": ("FILE_OTHER_SHEETS", "读取了“1月”"), f"{V2}_202002.xlsx": ("FILE_OTHER_SHEETS", "读取了“2月”"),
        f"{V1}_202002.csv": ("ROW_NOT_NUMBER", "一千"),
    }, good=GOOD_FILES | {f"{V2}_202003.xlsx", f"{V2}_202001.xlsx", f"{V2}_202002.xlsx", f"{V1}_202002.csv"})
    assert [p["level"] for p in found[f"{V2}_202003.xlsx"]] == ["warning"]
    assert [p["row"] for p in found[f"{V1}_202002.csv"]] == ["3"]  # Excel's row: the sep line is hidden
    assert not [p for p in problems(tmp_path) if p["code"] == "FILE_SAME_BYTES"]
    assert query(tmp_path, "SELECT period, wage_income FROM households_current WHERE village_code = ? ORDER BY 1",
                 [V2]) == [("202001", 100.0), ("202002", 200.0), ("202003", 900.0)]
