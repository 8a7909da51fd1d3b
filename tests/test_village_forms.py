"""Ordinary files as villages really send them (village-return.md, "How files really come"), through the real
nightly flow: each household lands with the values the clerk wrote, and nothing but a household becomes one."""
from __future__ import annotations

import xlsxwriter

from tests.support.returns import HEADER, csv_bytes, household, make_city
from tests.support.runs import problems, query, run_flow

V1, V2, V3 = "430521001001", "430521001002", "430522001001"


def test_a_village_groups_subtotals_are_no_households(prefect_harness, tmp_path):
    """A village lists its households by 村民小组 with a subtotal under each group (一组小计, 第二组合计, 王家湾组小计):
    those rows are totals, skipped and counted like 合计, not households with errors the village cannot correct (which
    would list a phantom household 二组小计 as data missing and open a data-error case every month)."""
    inbox, _ = make_city(tmp_path)
    header = ["序号", *HEADER]
    rows = [["1", *household(V1, 1)], ["一组小计", "", "", "", "3", "1", "", "1200", "300", "", "150", "100"],
            ["2", *household(V1, 2)], ["", "第二组合计", "", "", "3", "1", "", "1200", "300", "", "150", "100"],
            ["3", *household(V1, 3)], ["", "王家湾组小计", "", "", "3", "1", "", "1200", "300", "", "150", "100"],
            ["4", *household(V1, 4)], ["", "3 组 合 计", "", "", "3", "1", "", "1200", "300", "", "150", "100"],
            ["合计", "", "", "", "12", "4", "", "4800", "1200", "", "600", "400"]]
    (inbox / f"{V1}_202003.csv").write_bytes(csv_bytes(rows, "gb18030", header=header))
    run_flow(tmp_path)
    assert problems(tmp_path) == []
    assert query(tmp_path, "SELECT household_id FROM households_current ORDER BY 1") == [
        (f"{V1}{i:04d}",) for i in range(1, 5)]
    assert query(tmp_path, "SELECT rows_read, rows_skipped FROM source_files") == [(9, 5)]
    assert query(tmp_path, "SELECT count(*) FROM households_data_missing") == [(0,)]



def test_a_return_stating_its_amounts_in_wan_yuan_is_not_read_as_yuan(prefect_harness, tmp_path):
    """A return whose title (单位：万元), or units row under the header ((万元) over the amounts), says its amounts are
    in 万元 would have every household's income read ten thousand times too small (0.12 万元 as 0.12 yuan: every
    household far below the line). Such a file is refused, naming the unit, and the same file in 元 is read."""
    inbox, _ = make_city(tmp_path)
    wan = [household(V1, 1, wage="0.12")]
    titled_xlsx(inbox / f"{V1}_202003.xlsx", ["一村2020年3月收入月报表", "填报单位：一村        金额单位：万元"], wan)
    units = ["", "", "", "(人)", "(人)", "", "(万元)", "(万元)", "(万元)", "(万元)", "(万元)"]
    (inbox / f"{V2}_202003.csv").write_bytes(csv_bytes([units, household(V2, 1, wage="0.12")], "gb18030"))
    (inbox / f"{V3}_202003.csv").write_bytes(csv_bytes([household(V3, 1, wage="1200")], title="单位：元"))
    run_flow(tmp_path)
    refused = {p["file"]: (p["code"], p["detail"]) for p in problems(tmp_path)}
    assert set(refused) == {f"{V1}_202003.xlsx", f"{V2}_202003.csv"}
    assert all(code == "FILE_MISSING_COLUMNS" and "万元" in detail for code, detail in refused.values())
    assert query(tmp_path, "SELECT household_id, wage_income FROM households_current") == [(f"{V3}0001", 1200.0)]


def titled_xlsx(path, titles: list[str], rows: list[list[str]]) -> None:
    """A workbook of title rows, the contract's header and rows, amounts as numbers as Excel keeps them."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    for index, title in enumerate(titles):
        sheet.write_row(index, 0, [title])
    sheet.write_row(len(titles), 0, HEADER)
    for offset, row in enumerate(rows):
        sheet.write_row(len(titles) + 1 + offset, 0, row[:6] + [float(v or 0) for v in row[6:]])
    book.close()


def test_a_header_giving_each_column_its_unit_is_the_contracts_header(prefect_harness, tmp_path):
    """Templates often give the unit in the header cell (工资性收入（元）, 家庭人口数(人)): the same columns, read
    as such, not a whole village refused as FILE_MISSING_COLUMNS (every household missing from the month)."""
    inbox, _ = make_city(tmp_path)
    units = {"家庭人口数": "(人)", "劳动力人数": "（人）", "工资性收入": "（元）", "生产经营性收入": "(元)",
             "财产性收入": "（元）", "转移性收入": "(单位：元)", "生产经营性支出": "【元】"}
    header = [name + units.get(name, "") for name in HEADER]
    (inbox / f"{V1}_202003.csv").write_bytes(csv_bytes([household(V1, 1), household(V1, 2, wage="800")], "gb18030",
                                                       header=header))
    run_flow(tmp_path)
    assert problems(tmp_path) == []
    assert query(tmp_path, "SELECT household_id, household_size, labor_count, wage_income, business_income, "
                           "property_income, transfer_income, business_expense FROM households_current ORDER BY 1") == [
        (f"{V1}0001", 3, 1, 1200.0, 300.0, 0.0, 150.0, 100.0), (f"{V1}0002", 3, 1, 800.0, 300.0, 0.0, 150.0, 100.0)]


def test_amounts_excel_shows_in_a_currency_format_are_their_numbers(prefect_harness, tmp_path):
    """Excel saves a CSV as its cells show: amounts in the currency or accounting format of Chinese Excel come as
    ￥1,200.00 (full-width yen, GB18030), ' ￥ 300.00 ', and a zero as ' ￥ -   '. They are the numbers the clerk
    sees, not ROW_NOT_NUMBER errors that quarantine every household of the village."""
    inbox, _ = make_city(tmp_path)
    row = [f"{V1}0001", "张三", "11010519491231002X", "3", "1", "脱贫户", "￥1,200.00", " ￥ 300.50 ", " ￥ -   ",
           "¥150", "￥100.00"]
    (inbox / f"{V1}_202003.csv").write_bytes(csv_bytes([row], "gb18030"))
    run_flow(tmp_path)
    assert problems(tmp_path) == []
    assert query(tmp_path, "SELECT wage_income, business_income, property_income, transfer_income, business_expense "
                           "FROM households_current") == [(1200.0, 300.5, 0.0, 150.0, 100.0)]


def test_the_rows_excels_subtotal_command_adds_are_no_households(prefect_harness, tmp_path):
    """Excel's 分类汇总 (Data > Subtotal) grouped by 户类型 adds a row under each group, its label in that column
    (脱贫户 汇总) beside the sums, and 总计 at the foot; an Excel table's total row reads 汇总. They are totals,
    skipped and counted, not households refused with ROW_MISSING_VALUE and ROW_HOUSEHOLD_TYPE (an error-free
    village's return listed with errors, a nameless household as data missing, a data-error case every month)."""
    inbox, _ = make_city(tmp_path)
    sums = ["2,400.00", "600", "", "300", "200"]
    rows = [household(V1, 1), household(V1, 2), ["", "", "", "", "", "脱贫户 汇总", *sums],
            household(V1, 3)[:5] + ["监测户"] + household(V1, 3)[6:], ["", "", "", "", "", "监测户 汇总", *sums],
            ["", "", "", "", "", "总计", *sums]]
    (inbox / f"{V1}_202003.csv").write_bytes(csv_bytes(rows, "gb18030"))
    (inbox / f"{V2}_202003.csv").write_bytes(csv_bytes([household(V2, 1), ["汇总", "", "", "6", "2", "", *sums]]))
    # a household 王小计 whose 户编号 and 户类型 were left empty is a household with errors, never a total dropped unsaid
    named = ["", "王小计", "110105194912310011", "3", "1", "", "1200", "300", "", "150", "100"]
    (inbox / f"{V3}_202003.csv").write_bytes(csv_bytes([household(V3, 1), named]))
    run_flow(tmp_path)
    assert [(p["file"], p["row"], p["code"]) for p in problems(tmp_path)] == [
        (f"{V3}_202003.csv", "3", "ROW_MISSING_VALUE")]
    assert query(tmp_path, "SELECT household_id, household_type FROM households_current ORDER BY 1") == [
        (f"{V1}0001", "脱贫户"), (f"{V1}0002", "脱贫户"), (f"{V1}0003", "监测户"), (f"{V2}0001", "脱贫户"),
        (f"{V3}0001", "脱贫户")]
    assert query(tmp_path, "SELECT rows_read, rows_skipped FROM source_files ORDER BY file_name") == [
        (6, 3), (2, 1), (2, 0)]


def test_counts_excel_shows_with_their_unit_are_their_numbers(prefect_harness, tmp_path):
    """A template formatting 家庭人口数 as 0"人" (Excel's custom format) shows 3人, and a CSV saved by Excel says
    so, as it says 1200元 for an amount: the count 3, not ROW_NOT_NUMBER quarantining every household."""
    inbox, _ = make_city(tmp_path)
    header = [*HEADER, "参加基本医疗保险人数"]
    rows = [household(V1, 1, size="3人")[:4] + ["1 人"] + household(V1, 1)[5:] + ["3人"],
            household(V1, 2, size="5口")[:4] + ["2个"] + household(V1, 2)[5:] + ["4 名"]]
    (inbox / f"{V1}_202003.csv").write_bytes(csv_bytes(rows, "gb18030", header=header))
    run_flow(tmp_path)
    assert problems(tmp_path) == []
    assert query(tmp_path, "SELECT household_size, labor_count, insured_count FROM households_current ORDER BY 1") == [
        (3, 1, 3), (5, 2, 4)]


def test_a_header_in_both_languages_is_one_header(prefect_harness, tmp_path):
    """The spec accepts the English names as well as the Chinese; a template giving both, one row over the other,
    is one header, not a header and a household 户编号/household_id refused with four errors (a data-error case
    for an error-free village every month)."""
    inbox, _ = make_city(tmp_path)
    english = ["household_id", "head_name", "head_id_number", "household_size", "labor_count", "household_type",
               "wage_income", "business_income", "property_income", "transfer_income", "business_expense"]
    (inbox / f"{V1}_202003.csv").write_bytes(csv_bytes([english, household(V1, 1)], "gb18030"))
    (inbox / f"{V2}_202003.csv").write_bytes(csv_bytes([HEADER, household(V2, 1)], header=english))
    run_flow(tmp_path)
    assert problems(tmp_path) == []
    assert query(tmp_path, "SELECT household_id, source_row FROM households_current ORDER BY 1") == [
        (f"{V1}0001", 3), (f"{V2}0001", 3)]


def test_a_header_marking_its_required_columns_with_an_asterisk_is_the_contracts_header(prefect_harness, tmp_path):
    """Import templates mark the columns that must be filled with an asterisk (*户编号, 户主姓名*, full-width ＊):
    the same columns, not a return refused whole as FILE_MISSING_COLUMNS."""
    inbox, _ = make_city(tmp_path)
    header = ["*户编号", "户主姓名*", "＊户主身份证号", "* 家庭人口数", "劳动力人数（人）*", "户类型",
              *[f"*{name}(元)" for name in HEADER[6:]]]
    (inbox / f"{V1}_202003.csv").write_bytes(csv_bytes([household(V1, 1)], "gb18030", header=header))
    run_flow(tmp_path)
    assert problems(tmp_path) == []
    assert query(tmp_path, "SELECT household_id, household_size, labor_count, household_type, wage_income "
                           "FROM households_current") == [(f"{V1}0001", 3, 1, "脱贫户", 1200.0)]


def test_a_return_whose_title_names_another_month_is_listed_for_a_look(prefect_harness, tmp_path):
    """A file renamed by hand for the wrong month (village-return.md: expect it): February's return, its title
    一村2020年2月收入月报表, sent as 202003. Its year-to-date amounts would be read as March's without a word; it is
    loaded as the name says (which month is right cannot be told) and listed as FILE_TITLE_MONTH, as a sheet named
    for another month is FILE_SHEET_MONTH. A title naming the file's month, and a date of the next, is no matter."""
    inbox, _ = make_city(tmp_path)
    (inbox / f"{V1}_202003.csv").write_bytes(csv_bytes([household(V1, 1)], "gb18030", title="一村2020年2月收入月报表"))
    (inbox / f"{V2}_202003.csv").write_bytes(
        csv_bytes([household(V2, 1)], title="二村2020年3月收入月报表（填报日期：2020年4月5日）"))
    run_flow(tmp_path)
    listed = [(p["file"], p["row"], p["code"], p["level"]) for p in problems(tmp_path)]
    assert listed == [(f"{V1}_202003.csv", "", "FILE_TITLE_MONTH", "warning")]
    assert "2020年2月" in problems(tmp_path)[0]["detail"]
    assert query(tmp_path, "SELECT household_id, period FROM households_current ORDER BY 1") == [
        (f"{V1}0001", "202003"), (f"{V2}0001", "202003")]


def test_amounts_split_into_this_month_and_year_to_date_are_read_from_the_year_to_date(prefect_harness, tmp_path):
    """A statistical monthly report gives each amount twice, 本月 and 累计, under the amount's name merged over both.
    The contract's amounts are year to date: the 累计 column is the household's figure. The 本月 one (200 of a year
    to date of 1,200) read as the year to date put every household far below the line, and the row of 本月/累计 was
    refused as a household with errors."""
    inbox, _ = make_city(tmp_path)
    path = inbox / f"{V1}_202003.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    for column, name in enumerate(HEADER[:6]):
        sheet.merge_range(0, column, 1, column, name)
    for offset, name in enumerate(HEADER[6:]):
        sheet.merge_range(0, 6 + 2 * offset, 0, 7 + 2 * offset, name)
        sheet.write_row(1, 6 + 2 * offset, ["本月" if offset % 2 else "当月数", "本年累计" if offset % 2 else "累计"])
    sheet.write_row(2, 0, household(V1, 1)[:6] + [200, 1200, 50, 300, 0, 0, 25, 150, 10, 100])
    book.close()
    run_flow(tmp_path)
    assert problems(tmp_path) == []
    assert query(tmp_path, "SELECT source_row, wage_income, business_income, property_income, transfer_income, "
                           "business_expense FROM households_current") == [(3, 1200.0, 300.0, 0.0, 150.0, 100.0)]


def test_a_header_cell_holding_a_character_that_shows_as_nothing_names_its_column(prefect_harness, tmp_path):
    """A header pasted from a web page or a chat may carry a zero-width space or a direction mark (户\\u200b编号): the
    clerk sees 户编号, and povmon reads every cell without such characters (README), its header cells too, not a
    return refused as FILE_MISSING_COLUMNS for a column the clerk can see."""
    inbox, _ = make_city(tmp_path)
    header = ["户\u200b编号", "户主姓名\u200e", "\u2060户主身份证号", *HEADER[3:6], "工资性\u00ad收入", *HEADER[7:]]
    (inbox / f"{V1}_202003.csv").write_bytes(csv_bytes([household(V1, 1)], header=header))
    run_flow(tmp_path)
    assert problems(tmp_path) == []
    assert query(tmp_path, "SELECT household_id, head_id_number, wage_income FROM households_current") == [
        (f"{V1}0001", "11010519491231002X", 1200.0)]


def test_a_header_saying_its_amount_is_the_year_to_date_names_that_amount(prefect_harness, tmp_path):
    """A header may say which figure its column holds: 工资性收入(本年累计) beside 工资性收入(本月). The year-to-date one
    is the contract's amount (read), the monthly one a column outside it (kept aside); not a return refused whole
    as FILE_MISSING_COLUMNS."""
    inbox, _ = make_city(tmp_path)
    header = [*HEADER[:6], "工资性收入（本月）", "工资性收入（本年累计）", "生产经营性收入(累计,元)",
              "财产性收入(累计数)", "转移性收入（元/累计）", "生产经营性支出(累计)"]
    row = household(V1, 1)[:6] + ["200", "1,200", "300", "", "150", "100"]
    (inbox / f"{V1}_202003.csv").write_bytes(csv_bytes([row], "gb18030", header=header))
    run_flow(tmp_path)
    assert problems(tmp_path) == []
    assert query(tmp_path, "SELECT wage_income, business_income, property_income, transfer_income, business_expense, "
                           "extra_columns FROM households_current") == [
        (1200.0, 300.0, 0.0, 150.0, 100.0, '{"工资性收入（本月）": "200"}')]


def test_a_csv_cell_written_as_a_text_formula_is_the_text_excel_shows(prefect_harness, tmp_path):
    """Systems exporting a CSV for Excel write a long number as ="4305210010010001" so that Excel keeps its digits
    (a text formula: Excel shows 4305210010010001). The village sends it on as it is: the 户编号, ID and amounts it
    shows, not ROW_HOUSEHOLD_ID errors quarantining every household."""
    inbox, _ = make_city(tmp_path)
    row = [f'="{V1}0001"', "张三", '="11010519491231002X"', "3", "1", "脱贫户", '="1200"', "300", "", "150", "100"]
    (inbox / f"{V1}_202003.csv").write_bytes(csv_bytes([row], "gb18030"))
    run_flow(tmp_path)
    assert problems(tmp_path) == []
    assert query(tmp_path, "SELECT household_id, head_id_number, wage_income FROM households_current") == [
        (f"{V1}0001", "11010519491231002X", 1200.0)]


def test_amounts_split_under_a_name_written_over_each_part_are_read_from_the_year_to_date(prefect_harness, tmp_path):
    """The same 本月/累计 layout with each amount's name written over both its parts (a header unmerged, or saved
    so): one amount in two parts, read from 累计, not a return refused whole as two columns of one name."""
    inbox, _ = make_city(tmp_path)
    header = [*HEADER[:6], *[name for name in HEADER[6:] for _ in (1, 2)]]
    parts = ["", "", "", "", "", "", *["本月", "累计"] * 5]
    row = household(V1, 1)[:6] + ["200", "1200", "50", "300", "0", "0", "25", "150", "10", "100"]
    (inbox / f"{V1}_202003.csv").write_bytes(csv_bytes([parts, row], "gb18030", header=header))
    run_flow(tmp_path)
    assert problems(tmp_path) == []
    assert query(tmp_path, "SELECT source_row, wage_income, business_income, property_income, transfer_income, "
                           "business_expense FROM households_current") == [(3, 1200.0, 300.0, 0.0, 150.0, 100.0)]
