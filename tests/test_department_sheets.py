"""Department workbooks of several sheets through the department ingest: a list split over township sheets is loaded
from every sheet (problems name the sheet and its Excel row), sheets named for another month are named in
FILE_OTHER_SHEETS, a 填表说明 or 汇总 that is not the department's table in FILE_NOT_TABLE_SHEETS, a hidden sheet
neither read nor named, and a sheet that cannot be read refuses the file naming it."""
from __future__ import annotations

import hashlib
from datetime import datetime

from core import db
from tasks.departments.findings import Rules
from tasks.departments.ingest import ingest_department_files
from tasks.departments.store import find_department_findings
from tasks.ingest.discover import Delivery
from tasks.ingest.read import FileSlot
from tests.support.departments import DEPT_HEADER, dept_row, id_number
from tests.test_parse_sheets import renamed, workbook

NAME = "dept_civil_202003.xlsx"
INSTRUCTIONS = [["填表说明"], ["身份证号", "18位"], ["事项", "新纳入低保、新纳入特困供养或临时救助"]]
SUMMARY = [["乡镇", "新纳入低保人数", "临时救助人数"], ["城关镇", "2", "0"], ["河口乡", "1", "0"]]


def table(*people: int, event: str = "新纳入低保") -> list[list[str]]:
    """A sheet of the department's table: its header and one record per person."""
    return [DEPT_HEADER, *[dept_row(id_number(p), event) for p in people]]


def ingest(tmp_path, data: bytes, name: str = NAME):
    """The department ingest of one file into a new store; the store."""
    path = tmp_path / "inbox" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    slot = FileSlot(Delivery(str(path), name, name, len(data), 0, hashlib.sha256(data).hexdigest()),
                    1, 1, datetime(2020, 4, 1))
    con = db.connect(tmp_path / "povmon.duckdb")
    ingest_department_files(con, [slot], tmp_path / "raw", 1, with_gx=False)
    return con


def stored_rows(con) -> list[tuple]:
    """(sheet, Excel row, person's sequence, quarantined) of every stored record."""
    return [(sheet, row, int(person[14:17]), quarantined) for sheet, row, person, quarantined in con.execute(
        "SELECT sheet, source_row, id_number, is_quarantined FROM department_rows ORDER BY sheet, source_row"
    ).fetchall()]


def listed(con) -> list[tuple]:
    """(row, code, level, detail) of the file's problems as problems.csv lists them."""
    return [(r["row"], r["code"], r["level"], r["detail"])
            for r in db.frame(con, "exports/problems_workbook").to_dicts()]


def status(con) -> tuple:
    """The file's status and rows read."""
    return con.execute("SELECT status, rows_read FROM department_files").fetchall()[0]


def test_a_list_split_over_township_sheets_is_loaded_from_every_sheet(tmp_path):
    con = ingest(tmp_path, workbook([("城关镇", table(1, 2)), ("河口乡", table(3))]))
    assert status(con) == ("loaded", 3)
    assert stored_rows(con) == [("城关镇", 2, 1, False), ("城关镇", 3, 2, False), ("河口乡", 2, 3, False)]
    assert listed(con) == []


def test_the_records_of_every_sheet_are_judged_and_their_findings_keep_the_sheet(tmp_path):
    con = ingest(tmp_path, workbook([("城关镇", table(1)), ("河口乡", table(3))]))
    found = find_department_findings(con, Rules(), "202003")
    assert sorted(found.select("sheet", "source_row", "finding").iter_rows()) == [
        ("城关镇", 2, "UNREGISTERED"), ("河口乡", 2, "UNREGISTERED")]


def test_a_row_problem_names_its_sheet_and_its_row_in_that_sheet(tmp_path):
    bad = table(3) + [[id_number(4)[:-1] + "0", "王五", "新纳入低保", "2020-03-05", "", "", ""]]
    con = ingest(tmp_path, workbook([("城关镇", table(1, 2)), ("河口乡", bad)]))
    [(row, code, level, detail)] = listed(con)
    assert (row, code, level) == (3, "ROW_ID_NUMBER", "error")
    assert detail.startswith("工作表“河口乡”：身份证号")
    assert [r for r in stored_rows(con) if r[3]] == [("河口乡", 3, 4, True)]  # 城关镇's row 3 stays usable


def test_a_record_in_two_sheets_is_a_duplicate_naming_both_places(tmp_path):
    con = ingest(tmp_path, workbook([("城关镇", table(1, 2)), ("河口乡", table(2))]))
    problems = listed(con)
    assert [(row, code) for row, code, _, _ in problems] == [(2, "ROW_DUPLICATE"), (3, "ROW_DUPLICATE")]
    assert all("(工作表“城关镇”第3行、工作表“河口乡”第2行)" in detail for *_, detail in problems)
    assert [r[:2] for r in stored_rows(con) if r[3]] == [("城关镇", 3), ("河口乡", 2)]


def test_an_instructions_sheet_in_front_is_passed_over_and_named(tmp_path):
    con = ingest(tmp_path, workbook([("填表说明", INSTRUCTIONS), ("数据", table(1, 2))]))
    assert status(con) == ("loaded", 2)
    assert stored_rows(con) == [(None, 2, 1, False), (None, 3, 2, False)]  # one sheet read: rows as before
    [(row, code, level, detail)] = listed(con)
    assert (row, code, level) == (None, "FILE_NOT_TABLE_SHEETS", "warning")
    assert "“填表说明”" in detail and "“数据”" not in detail


def test_a_summary_sheet_whose_header_is_not_the_departments_is_passed_over_and_named(tmp_path):
    con = ingest(tmp_path, workbook([("汇总", SUMMARY), ("城关镇", table(1, 2)), ("河口乡", table(3))]))
    assert [r[:3] for r in stored_rows(con)] == [("城关镇", 2, 1), ("城关镇", 3, 2), ("河口乡", 2, 3)]
    [(_, code, level, detail)] = listed(con)
    assert (code, level) == ("FILE_NOT_TABLE_SHEETS", "warning")
    assert "“汇总”" in detail and "城关镇" not in detail


def test_a_hidden_sheet_is_neither_read_nor_named_and_an_empty_one_not_named(tmp_path):
    data = workbook([("城关镇", table(1)), ("旧表", table(7, 8)), ("河口乡", table(3)), ("Sheet3", [])],
                    hidden=("旧表",))
    con = ingest(tmp_path, data)
    assert [r[:3] for r in stored_rows(con)] == [("城关镇", 2, 1), ("河口乡", 2, 3)]
    assert listed(con) == []


def test_sheets_named_for_another_month_are_not_read_and_named(tmp_path):
    con = ingest(tmp_path, workbook([("1月", table(1)), ("2月", table(2)), ("3月", table(3))]))
    assert stored_rows(con) == [(None, 2, 3, False)]
    [(_, code, level, detail)] = listed(con)
    assert (code, level) == ("FILE_OTHER_SHEETS", "warning")
    assert "读取了“3月”" in detail and "“1月”、“2月”" in detail


def test_month_sheets_none_of_the_files_month_read_the_first_and_say_so(tmp_path):
    con = ingest(tmp_path, workbook([("1月", table(1)), ("2月", table(2))]))
    assert stored_rows(con) == [(None, 2, 1, False)]
    [(_, code, _, detail)] = listed(con)
    assert code == "FILE_OTHER_SHEETS" and "读取了第一个工作表“1月”，未读取“2月”" in detail


def test_a_township_sheet_with_no_record_this_month_is_no_problem(tmp_path):
    con = ingest(tmp_path, workbook([("城关镇", [DEPT_HEADER]), ("河口乡", table(3))]))
    assert status(con) == ("loaded", 1)
    assert [r[:3] for r in stored_rows(con)] == [("河口乡", 2, 3)]
    assert listed(con) == []


def test_a_table_sheet_that_cannot_be_read_refuses_the_file_naming_it(tmp_path):
    broken = [["身份证号", "姓名", "事项", "金额"], [id_number(3), "王五", "新纳入低保", ""]]
    con = ingest(tmp_path, workbook([("城关镇", table(1, 2)), ("河口乡", broken)]))
    assert status(con)[0] == "rejected"
    assert stored_rows(con) == []
    [(row, code, level, detail)] = listed(con)
    assert (row, code, level) == (None, "FILE_MISSING_COLUMNS", "error")
    assert detail.startswith("工作表“河口乡”：") and "发生日期" in detail


def test_sheets_a_crafted_file_gives_one_name_refuse_the_file(tmp_path):
    con = ingest(tmp_path, renamed(workbook([("甲", table(1)), ("乙", table(3))]), "乙", "甲"))
    assert status(con)[0] == "rejected"
    [(row, code, level, detail)] = listed(con)
    assert (row, code, level) == (None, "FILE_UNREADABLE", "error") and "多个工作表同名“甲”" in detail


def test_two_long_names_alike_as_shown_keep_their_rows_apart(tmp_path):
    data = renamed(renamed(workbook([("甲", table(1)), ("乙", table(3))]), "甲", "城" * 31 + "甲"), "乙", "城" * 31 + "乙")
    con = ingest(tmp_path, data)
    shown = "城" * 31 + "…"
    assert [r[:3] for r in stored_rows(con)] == [(f"{shown}(第1个工作表)", 2, 1), (f"{shown}(第2个工作表)", 2, 3)]


def test_a_store_made_before_gets_the_sheet_columns_when_opened(tmp_path):
    con = db.connect(tmp_path / "povmon.duckdb")
    for table_name in ("department_rows", "department_findings"):
        con.execute(f"ALTER TABLE {table_name} DROP COLUMN sheet").fetchall()
    con.execute("ALTER TABLE department_rows DROP COLUMN sheet_position").fetchall()
    con.execute("DELETE FROM schema_applied").fetchall()
    con.close()
    con = ingest(tmp_path, workbook([("城关镇", table(1)), ("河口乡", table(3))]))
    assert [r[:2] for r in stored_rows(con)] == [("城关镇", 2), ("河口乡", 2)]
    assert con.execute("SELECT sheet_position FROM department_rows ORDER BY sheet").fetchall() == [(1,), (2,)]
    assert find_department_findings(con, Rules(), "202003")["sheet"].to_list() == ["城关镇", "河口乡"]


def test_a_lone_sheet_named_for_another_month_is_read_and_the_month_questioned(tmp_path):
    con = ingest(tmp_path, workbook([("1月", table(1, 2))]))
    assert status(con) == ("loaded", 2)
    warned = [(code, detail) for _, code, _, detail in listed(con) if code.startswith("FILE_")]
    assert [code for code, _ in warned] == ["FILE_SHEET_MONTH"]
    assert "“1月”名为1月，文件名为2020年3月" in warned[0][1] and "请村" not in warned[0][1]


def test_sheets_numbered_1_2_3_are_pages_of_one_list_and_all_read(tmp_path):
    con = ingest(tmp_path, workbook([("1", table(1)), ("2", table(2)), ("3", table(3))]))
    assert status(con) == ("loaded", 3)
    assert sorted(person for _, _, person, _ in stored_rows(con)) == [1, 2, 3]
    assert not [code for _, code, _, _ in listed(con) if code == "FILE_OTHER_SHEETS"]


def test_a_sheet_for_a_range_of_months_up_to_the_files_is_read(tmp_path):
    con = ingest(tmp_path, workbook([("城关镇", table(1)), ("1月-3月", table(2))]))
    assert sorted(person for _, _, person, _ in stored_rows(con)) == [1, 2]


def test_a_persons_latest_amount_of_a_file_is_that_of_the_later_sheet_in_the_workbook(tmp_path):
    """A medical list of two sheets whose later one's name sorts first (城 before 河): the person's year-to-date amount
    is the later sheet's, as the workbook orders them."""
    earlier = [DEPT_HEADER, dept_row(id_number(1), "医疗自付费用", "2020-03-05", "10000")]
    later = [DEPT_HEADER, dept_row(id_number(1), "医疗自付费用", "2020-03-20", "30000")]
    con = ingest(tmp_path, workbook([("河口乡", earlier), ("城关镇", later)]), "dept_medical_202003.xlsx")
    found = find_department_findings(con, Rules(), "202003")
    assert found.select("sheet", "amount", "finding").rows() == [("城关镇", 30000.0, "UNREGISTERED")]
