"""Parsing the workbooks villages send (village-return.md, "How files really come"): title and total rows, Excel's
row numbers, numbers and IDs typed as numbers, error cells, formulas saved without their results, other programs'
files."""
from __future__ import annotations

import xlsxwriter
import pytest

from tasks.validate.clean import clean_batch
from tasks.ingest.parse import parse_return
from tests.support.returns import HEADER, household, write_xlsx

V = "430521001001"


def test_xlsx_title_rows_and_total_row_are_skipped_with_excel_row_numbers(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", [household(V, 1), household(V, 2)], titles=2)
    parsed = parse_return(path.read_bytes(), "xlsx")
    assert parsed.problem_code is None
    assert parsed.header_row == 3
    assert parsed.frame["source_row"].to_list() == [4, 5]
    assert (parsed.rows_read, parsed.rows_skipped) == (3, 1)  # two households + the 合计 row


def test_numbers_stored_as_numbers_in_excel_come_back_as_text(tmp_path):
    row = household(V, 1)
    row[0], row[3], row[6] = int(row[0]), 3, 1234.5
    parsed = parse_return(write_xlsx(tmp_path / "n.xlsx", [row], titles=0, total=False).read_bytes(), "xlsx")
    cleaned = clean_batch(parsed.frame)
    assert cleaned["household_id"][0] == f"{V}0001"
    assert cleaned["household_size"][0] == 3
    assert cleaned["wage_income"][0] == 1234.5


@pytest.mark.parametrize("styled", [False, True])
def test_xlsx_with_empty_rows_above_the_table_keeps_excel_row_numbers(tmp_path, styled):
    """The header on Excel row 4 under three empty rows; styled, they hold formatted empty cells, as Excel gives a
    row inserted above a header: calamine leaves both kinds out, and row numbers still follow Excel's."""
    path = tmp_path / "low.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    if styled:
        fill = book.add_format({"bold": True, "bg_color": "#FFFF00"})
        for row in range(3):
            for column in range(len(HEADER)):
                sheet.write_blank(row, column, None, fill)
    sheet.write_row(3, 0, HEADER)
    sheet.write_row(4, 0, household(V, 1))
    sheet.write_row(6, 0, household(V, 2))
    book.close()
    parsed = parse_return(path.read_bytes(), "xlsx")
    assert parsed.header_row == 4
    assert parsed.frame["source_row"].to_list() == [5, 7]


def test_xlsx_saved_by_openpyxl_is_read(tmp_path):
    """openpyxl (like other programs) writes a relationship's Target before its Id: attribute order is free."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(HEADER)
    book.active.append(household(V, 1))
    book.save(tmp_path / "saved.xlsx")
    parsed = parse_return((tmp_path / "saved.xlsx").read_bytes(), "xlsx")
    assert parsed.problem_code is None
    assert parsed.header_row == 1 and parsed.frame["source_row"].to_list() == [2]


def test_a_chart_sheet_in_front_of_the_return_is_passed_over(tmp_path):
    path = tmp_path / "chart_first.xlsx"
    book = xlsxwriter.Workbook(str(path))
    charts, data = book.add_chartsheet("图"), book.add_worksheet("数据")
    data.write_row(0, 0, HEADER)
    data.write_row(1, 0, household(V, 1))
    chart = book.add_chart({"type": "column"})
    chart.add_series({"values": "=数据!$G$2:$G$2"})
    charts.set_chart(chart)
    book.close()
    parsed = parse_return(path.read_bytes(), "xlsx")
    assert parsed.problem_code is None and parsed.frame["source_row"].to_list() == [2]


def test_an_error_cell_is_its_error_not_an_empty_amount(tmp_path):
    """#N/A from a VLOOKUP in 财产性收入 is not an empty cell (which would be 0): it stays text, not a number."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(HEADER)
    row = household(V, 1)
    row[HEADER.index("财产性收入")], row[HEADER.index("转移性收入")] = "#N/A", "#VALUE!"  # error cells (t="e")
    book.active.append(row)
    book.save(tmp_path / "na.xlsx")
    parsed = parse_return((tmp_path / "na.xlsx").read_bytes(), "xlsx")
    assert parsed.frame.select("property_income", "transfer_income").row(0) == ("#N/A", "#VALUE!")
    assert clean_batch(parsed.frame)["property_income"].to_list() == [None]


def test_an_id_typed_as_a_number_is_not_read_as_other_digits(tmp_path):
    """Excel keeps 15 digits of an 18-digit number: 430521198210280131 becomes 4.30521198210280E+17, whose 18 digits
    (430521198210280000) pass the check digit. It reads as Excel shows it, so the lost digits are reported; a
    16-digit 户编号 typed as a number is exact and stays whole."""
    from tasks.validate.id_number import explain_id_number

    path = tmp_path / "id.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, HEADER)
    row = household(V, 1)
    row[0], row[2] = int(row[0]), float("4.30521198210280E+17")
    sheet.write_row(1, 0, row)
    sheet.write_row(2, 0, household(V, 2))  # the ID as text: kept as it is
    book.close()
    assert explain_id_number("430521198210280000") is None  # what the double's digits would have passed for
    frame = parse_return(path.read_bytes(), "xlsx").frame
    assert frame["head_id_number"].to_list() == ["4.30521E+17", "11010519491231002X"]
    assert frame["household_id"].to_list() == [f"{V}0001", f"{V}0002"]
    assert "科学计数法" in explain_id_number(frame["head_id_number"][0])


@pytest.mark.parametrize("stored, large", [
    (b"<v>430521198210280131</v>", True), (b"<v>4.3052119821028E+17</v>", True), (b"<v> 4.3e17 </v>", True),
    (b"<v>-4.30521E+017</v>", True), (b"<v>9.1E+15</v>", True), (b"<v>9007199254740993</v>", True),
    (b"<v>9007199254740991</v>", False), (b"<v>4305210010010001</v>", False), (b"<v>1234567890123456.5</v>", False),
    (b"<v>1E+15</v>", False), (b"<v>9.99E+14</v>", False), (b"<v>12</v>", False), (b"<v>1.5E-20</v>", False),
    (b"<v>430521198210280131E0</v>", True), (b"<v>4305211982102801.31E2</v>", True), (b"<t>430521198210280131</t>", False),
    (b"<x:v>12</x:v>", True), (b"<v xml:space=\"preserve\">12</v>", True), (b"<v>12</v >", True),
    (b"<v>&#52;2</v>", True), (b"<v><![CDATA[12]]></v>", True)])
def test_the_sheets_xml_tells_whether_a_number_may_have_lost_digits(stored, large):
    """A number cell's digits are looked at again only when the sheet stores a value of 2**53 or more (where a
    double's whole numbers stop being exact), in any of the forms a program writes one: not for a 16-digit 户编号
    typed as a number (exact), nor an ID typed as text (a shared string, or inline <t>). Value elements written
    otherwise than <v>…</v> (a prefix, attributes, a space in a tag, character references, CDATA) are looked at,
    whatever they hold."""
    from tasks.ingest.xlsx_cells import holds_large_values

    assert holds_large_values(b'<sheetData><row r="2"><c r="C2">' + stored + b"</c></row></sheetData>") is large


def test_a_title_formula_saved_without_its_result_keeps_excel_row_numbers(tmp_path):
    """openpyxl saves a formula without its result (<v/>): calamine leaves that title row out, so it is not the
    sheet's first used row, and the header on Excel row 3 stays row 3."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"] = '="一村"&"2020年3月收入月报表"'
    for row, values in ((3, HEADER), (4, household(V, 1)), (6, household(V, 2))):
        for column, value in enumerate(values, 1):
            book.active.cell(row, column, value)
    book.save(tmp_path / "title.xlsx")
    parsed = parse_return((tmp_path / "title.xlsx").read_bytes(), "xlsx")
    assert parsed.header_row == 3
    assert parsed.frame["source_row"].to_list() == [4, 6]


def test_an_id_typed_as_a_number_in_a_table_right_of_column_a(tmp_path):
    """calamine starts a sheet at its first used column: the table in columns C onward is still read, and its
    ID typed as a number placed in its own column."""
    path = tmp_path / "right.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 2, HEADER)
    row = household(V, 1)
    row[2] = float("4.30521198210280E+17")
    sheet.write_row(1, 2, row)
    book.close()
    parsed = parse_return(path.read_bytes(), "xlsx")
    assert parsed.problem_code is None
    assert parsed.frame.select("household_id", "head_id_number").row(0) == (f"{V}0001", "4.30521E+17")


def test_an_amount_formula_saved_without_its_result_is_not_an_empty_amount(tmp_path):
    """A workbook written by a program holds =120+80 with no result: calamine reads an empty cell, which in
    财产性收入 would be 0. The cell says it holds a formula without a value, placed by its own column."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"] = '="一村"&"收入月报表"'
    for row, values in ((2, HEADER), (3, household(V, 1))):
        for column, value in enumerate(values, 2):  # the table starts in column B
            book.active.cell(row, column, value)
    book.active.cell(3, 2 + HEADER.index("财产性收入"), "=120+80")
    book.save(tmp_path / "formula.xlsx")
    parsed = parse_return((tmp_path / "formula.xlsx").read_bytes(), "xlsx")
    assert parsed.header_row == 2 and parsed.frame["source_row"].to_list() == [3]
    assert parsed.frame["property_income"].to_list() == ["公式=120+80未保存计算结果"]
    assert clean_batch(parsed.frame)["property_income"].to_list() == [None]


def test_a_two_row_header_with_merged_group_cells_is_read_with_excel_row_numbers(tmp_path):
    """户编号…户类型 merged over rows 2-3 and 收入情况 merged over the five amounts of row 3: the return is read
    (not FILE_MISSING_COLUMNS naming the amounts a clerk sees), its households from Excel row 4 on."""
    path = tmp_path / "two.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.merge_range(0, 0, 0, 10, "一村2020年3月收入月报表")
    for column, name in enumerate(HEADER[:6]):
        sheet.merge_range(1, column, 2, column, name)
    sheet.merge_range(1, 6, 1, 10, "收入情况(元)")
    sheet.write_row(2, 6, HEADER[6:])
    sheet.write_row(3, 0, household(V, 1))
    sheet.write_row(4, 0, household(V, 2))
    book.close()
    parsed = parse_return(path.read_bytes(), "xlsx")
    assert parsed.problem_code is None, parsed.problem_detail
    assert parsed.frame["source_row"].to_list() == [4, 5]
    assert parsed.frame["wage_income"].to_list() == ["1200", "1200"]


def test_an_empty_first_sheet_is_passed_over_and_an_empty_workbook_is_not_called_damaged(tmp_path):
    """The table pasted into Sheet2 of a new workbook, Sheet1 left empty: the return is read, with Excel's row
    numbers; a workbook of empty sheets is refused as empty, not as a damaged file the clerk would send again."""
    path = tmp_path / "s2.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet()
    sheet = book.add_worksheet()
    sheet.write_row(1, 0, HEADER)
    sheet.write_row(2, 0, household(V, 1))
    book.close()
    parsed = parse_return(path.read_bytes(), "xlsx")
    assert parsed.problem_code is None, parsed.problem_detail
    assert parsed.frame["source_row"].to_list() == [3]
    empty = tmp_path / "empty.xlsx"
    book = xlsxwriter.Workbook(str(empty))
    book.add_worksheet()
    book.close()
    parsed = parse_return(empty.read_bytes(), "xlsx")
    assert parsed.problem_code == "FILE_UNREADABLE"
    assert "空" in parsed.problem_detail and "损坏" not in parsed.problem_detail, parsed.problem_detail


def test_column_numbers_shown_are_excel_columns_for_a_table_right_of_column_a(tmp_path):
    """A table from column C naming 户主姓名 twice (columns D and N) is refused naming Excel's columns 4 and 14,
    not its 2nd and 12th (calamine starts a sheet at its first used column); a cell under an empty header cell is
    kept under Excel's column too."""
    path = tmp_path / "twice.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 2, [*HEADER, "户主姓名"])
    sheet.write_row(1, 2, [*household(V, 1), "张三"])
    book.close()
    parsed = parse_return(path.read_bytes(), "xlsx")
    assert parsed.problem_code == "FILE_MISSING_COLUMNS"
    assert "第4、14列" in parsed.problem_detail, parsed.problem_detail
    path = tmp_path / "note.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 2, [*HEADER, "", "备注"])
    sheet.write_row(1, 2, [*household(V, 1), "低保待审", "新户"])
    book.close()
    assert parse_return(path.read_bytes(), "xlsx").frame["extra_columns"].to_list() == [
        '{"第14列": "低保待审", "备注": "新户"}']


def test_a_household_type_merged_down_over_households_is_each_ones(tmp_path):
    """户类型 merged over Excel rows 3-6 (three households and a blank row): Excel shows 脱贫户 on each household,
    so none is ROW_MISSING_VALUE; an amount merged over two households may be their total: left empty, reported."""
    path = tmp_path / "merged.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write(0, 0, "一村2020年3月收入月报表")
    sheet.write_row(1, 1, HEADER)  # from column B
    for offset in range(3):
        row = household(V, offset + 1)
        row[HEADER.index("户类型")] = "" if offset else row[HEADER.index("户类型")]  # Excel keeps the first cell's
        row[HEADER.index("转移性收入")] = "" if offset == 1 else row[HEADER.index("转移性收入")]
        sheet.write_row(2 + offset, 1, row)
    sheet.merge_range(2, 1 + HEADER.index("户类型"), 5, 1 + HEADER.index("户类型"), "脱贫户")
    sheet.merge_range(2, 1 + HEADER.index("转移性收入"), 3, 1 + HEADER.index("转移性收入"), 300)
    book.close()
    parsed = parse_return(path.read_bytes(), "xlsx")
    assert parsed.frame["source_row"].to_list() == [3, 4, 5]
    assert parsed.frame["household_type"].to_list() == ["脱贫户"] * 3
    assert parsed.frame["transfer_income"].to_list() == ["300", "", "150"]
