"""The workbook round trip: export, fill in another program, import: every refusal code, idempotence."""
from __future__ import annotations

from datetime import date, datetime

import fastexcel
import openpyxl
import polars as pl
import pytest

from tasks.cases.importer import import_workbooks
from tasks.cases.workbook import COLUMNS, export_workbooks
from tests.support.cases_store import cases_by_household, fill_workbook, hid, opened_cases

TODAY = date(2020, 4, 20)


@pytest.fixture()
def ledger(tmp_path):
    """A store whose run on 2020-04-05 opened BELOW_LINE cases for households 1–9; household 10 is fine."""
    return opened_cases(tmp_path / "out", 9)


def test_the_workbook_lists_open_cases_with_text_cells_and_masked_names(ledger):
    con, settings, ids = ledger
    [path] = export_workbooks(con, settings, TODAY)
    book = fastexcel.read_excel(path.read_bytes())
    assert book.sheet_names == ["待办", "说明"]
    sheet = pl.DataFrame(book.load_sheet_eager("待办", dtypes="string"))
    assert tuple(sheet.columns) == COLUMNS
    assert sorted(sheet["台账编号"].to_list()) == sorted(v for k, v in ids.items() if len(k) == 16)
    first = sheet.filter(pl.col("户编号") == hid(1)).row(0, named=True)
    assert first["户主"] == "张*" and first["台账编号"] == ids[hid(1)] and first["逾期天数"] in ("0", "0.0")
    assert first["状态"] == "待核查" and first["类型"] == "低于监测线" and first["期限"] == "2020-04-20"
    xml = __import__("zipfile").ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    assert "dataValidation" in xml and "属实,不属实,风险消除" in xml and 'state="frozen"' in xml
    assert "张三" not in path.read_bytes().decode("latin-1")


def test_decisions_round_trip_with_every_refusal_code_and_import_is_idempotent(ledger, tmp_path):
    con, settings, ids = ledger
    [path] = export_workbooks(con, settings, TODAY)
    filled = tmp_path / "filled.xlsx"
    fill_workbook(path, filled, {
        ids[hid(1)]: ("属实", "兜底保障、医疗救助", "李四", datetime(2020, 4, 10), None),   # assisting (a date cell)
        ids[hid(2)]: ("属实", None, "李四", "2020/4/11", None),                        # confirmed
        ids[hid(3)]: ("不属实", None, "李四", "2020-04-12", "外出务工收入未申报"),        # dismissed
        ids[hid(4)]: ("不属实", None, "李四", "2020-04-12", None),                     # CASE_NOTE_REQUIRED
        ids[hid(5)]: ("是", None, "李四", "2020-04-12", None),                         # CASE_CONCLUSION
        ids[hid(6)]: ("属实", "发钱", "李四", "2020-04-12", None),                      # CASE_MEASURE
        ids[hid(7)]: ("属实", None, None, "2020-04-12", None),                         # CASE_ACTOR
        ids[hid(8)]: ("属实", None, "李四", "2020-04-21", None),                       # CASE_DATE: after today
        ids[hid(9)]: ("风险消除", None, "李四", "2020-04-12", None),                    # CASE_STATUS: no candidate
    }, extra_rows=[("K000000NOSUCHCASE",) + ("",) * 11 + ("属实", None, "李四", "2020-04-12", None),
                   (ids[hid(9)],) + ("",) * 11 + (None, "稳岗就业", "李四", "2020-04-12", None),   # measure, no 属实
                   (ids[hid(9)],) + ("",) * 11 + ("属实", None, "李四", "2020-04-01", None)])      # before opening
    result = import_workbooks(con, settings, [filled], TODAY)
    assert (result.applied, result.unchanged, result.refused) == (3, 0, 9)
    codes = sorted(p["code"] for p in result.problems)
    assert codes == sorted(["CASE_NOTE_REQUIRED", "CASE_CONCLUSION", "CASE_MEASURE", "CASE_ACTOR", "CASE_DATE",
                            "CASE_STATUS", "CASE_UNKNOWN", "CASE_STATUS", "CASE_DATE"])
    problems = pl.read_csv(settings.out / "exports" / "case_import_problems.csv", infer_schema_length=0)
    assert problems.columns == ["file", "row", "case_id", "code", "detail"]
    assert set(problems["file"]) == {"filled.xlsx"}
    unknown = problems.filter(pl.col("code") == "CASE_UNKNOWN").row(0, named=True)
    assert unknown["case_id"] == "K000000NOSUCHCASE" and unknown["row"] == "11" and "不存在" in unknown["detail"]
    state = {k: v[0] for k, v in cases_by_household(con).items()}
    assert (state[hid(1)]["status"], state[hid(1)]["measures"], state[hid(1)]["decided_on"]) == \
        ("assisting", "兜底保障、医疗救助", date(2020, 4, 10))
    assert state[hid(2)]["status"] == "confirmed" and state[hid(3)]["status"] == "dismissed"
    assert state[hid(3)]["closed_on"] == date(2020, 4, 12) and state[hid(3)]["evidence_value"] is not None
    assert all(state[hid(n)]["status"] == "open" for n in range(4, 10))
    kept = "SELECT (SELECT count(*) FROM case_events), (SELECT count(*) FROM case_import_refusals)"
    before = con.execute(kept).fetchall()
    assert before[0][1] == 9
    assert con.execute("SELECT count(*) FROM case_import_refusals WHERE county_code = '430521'").fetchall()[0][0] == 9
    again = import_workbooks(con, settings, [filled], TODAY)
    assert (again.applied, again.unchanged, again.refused) == (0, 3, 9)
    assert con.execute(kept).fetchall() == before
    # a re-export shows the decisions; re-imported untouched, its rows are unchanged, not refused
    [path] = export_workbooks(con, settings, TODAY)
    reread = import_workbooks(con, settings, [path], TODAY)
    assert (reread.applied, reread.unchanged, reread.refused) == (0, 2, 0)


def test_the_later_decision_date_wins_and_a_dismissal_is_replaced_by_a_later_decision(ledger, tmp_path):
    con, settings, ids = ledger
    [path] = export_workbooks(con, settings, TODAY)
    later, earlier, closing = tmp_path / "later.xlsx", tmp_path / "earlier.xlsx", tmp_path / "closing.xlsx"
    fill_workbook(path, later, {ids[hid(1)]: ("属实", None, "李四", "2020-04-15", None)})
    fill_workbook(path, earlier, {ids[hid(1)]: ("不属实", None, "王五", "2020-04-10", "误报")})
    assert import_workbooks(con, settings, [later, earlier], TODAY).applied == 2
    case = cases_by_household(con)[hid(1)][0]
    assert (case["status"], case["actor"]) == ("confirmed", "李四")
    fill_workbook(path, closing, {ids[hid(1)]: ("不属实", None, "王五", "2020-04-16", "误报")})
    assert import_workbooks(con, settings, [closing], TODAY).applied == 1
    assert cases_by_household(con)[hid(1)][0]["status"] == "dismissed"
    assert import_workbooks(con, settings, [later], TODAY).unchanged == 1  # the same file again: nothing
    again = tmp_path / "again.xlsx"
    fill_workbook(path, again, {ids[hid(1)]: ("属实", None, "李四", "2020-04-18", None)})
    assert import_workbooks(con, settings, [again], TODAY).applied == 1  # the township's later word stands
    case = cases_by_household(con)[hid(1)][0]
    assert (case["status"], case["decided_on"], case["closed_on"]) == ("confirmed", date(2020, 4, 18), None)


def test_the_same_file_under_another_name_is_the_same_file_and_a_row_dated_after_today_is_checked_again(
        ledger, tmp_path):
    """cases.md: importing the same file again changes nothing it applied. The same file is the same bytes (whatever
    its name): its applied rows are unchanged; a row refused as dated after the import's today is checked again as
    of the later import's (tests/test_cases_reimport.py), then unchanged under any name."""
    con, settings, ids = ledger
    [path] = export_workbooks(con, settings, TODAY)
    filled = tmp_path / "filled.xlsx"
    fill_workbook(path, filled, {ids[hid(1)]: ("属实", None, "李四", "2020-04-21", None),
                                 ids[hid(2)]: ("属实", None, "李四", "2020-04-12", None)})
    first = import_workbooks(con, settings, [filled], TODAY)
    assert (first.applied, first.unchanged, first.refused) == (1, 0, 1)
    renamed = tmp_path / "filled_copy.xlsx"
    renamed.write_bytes(filled.read_bytes())
    later = date(2020, 5, 28)
    result = import_workbooks(con, settings, [renamed], later)
    assert (result.applied, result.unchanged, result.refused) == (1, 1, 0)
    assert cases_by_household(con)[hid(1)][0]["status"] == "confirmed"
    kept = "SELECT (SELECT count(*) FROM case_events), (SELECT count(*) FROM case_import_refusals)"
    before = con.execute(kept).fetchall()
    for again in (filled, renamed):
        result = import_workbooks(con, settings, [again], later)
        assert (result.applied, result.unchanged, result.refused) == (0, 2, 0)
        assert con.execute(kept).fetchall() == before


@pytest.mark.parametrize("name, data", [("return.csv", "户编号,户主姓名\n1,张三\n".encode()),
                                        ("garbage.xlsx", b"PK\x03\x04 not really a zip")])
def test_a_file_that_is_not_a_case_workbook_is_refused_whole_with_one_line(ledger, tmp_path, name, data):
    con, settings, _ = ledger
    path = tmp_path / name
    path.write_bytes(data)
    result = import_workbooks(con, settings, [path], TODAY)
    assert list(result.unreadable) == [name] and [p["code"] for p in result.problems] == ["CASE_FILE"]


def test_a_village_return_workbook_is_refused_whole(ledger, tmp_path):
    from tests.support.returns import household, write_xlsx

    con, settings, _ = ledger
    path = write_xlsx(tmp_path / "430521001001_202003.xlsx", [household("430521001001", 1)])
    result = import_workbooks(con, settings, [path], TODAY)
    assert "不是问题台账工作簿" in result.unreadable[path.name]


def test_row_numbers_count_empty_rows_above_the_header_of_a_later_sheet(tmp_path):
    import xlsxwriter

    from tasks.cases.decisions import read_decisions

    path = tmp_path / "moved.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("封面").write(0, 0, "台账")
    sheet = book.add_worksheet("待办")
    sheet.write_row(2, 0, COLUMNS)                                       # header in Excel row 3
    sheet.write_row(4, 0, ["K1"] + [""] * 11 + ["属实", "", "李四", "2020-04-10", ""])  # Excel row 5
    book.close()
    assert [(d.row, d.case_id) for d in read_decisions(path.read_bytes())] == [(5, "K1")]


def test_a_formula_saved_without_its_result_is_refused_not_read_as_an_empty_cell(ledger, tmp_path):
    """A workbook written by a program (openpyxl) holds 核查结论 ="属实" with no saved result: calamine reads an empty
    cell, and the row applied as a decision without a conclusion. It is refused, naming the column."""
    con, settings, ids = ledger
    [path] = export_workbooks(con, settings, TODAY)
    filled = tmp_path / "formula.xlsx"
    fill_workbook(path, filled, {ids[hid(1)]: (None, None, "李四", "2020-04-10", None)})
    book = openpyxl.load_workbook(filled)
    sheet = book["已核查"]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == ids[hid(1)])
    sheet.cell(row, 13).value = '="属实"'  # a formula: openpyxl saves no result
    book.save(filled)
    result = import_workbooks(con, settings, [filled], TODAY)
    assert (result.applied, result.refused) == (0, 1)
    assert [(p["row"], p["code"]) for p in result.problems] == [(row, "CASE_CONCLUSION")]
    assert "公式" in result.problems[0]["detail"]
    assert cases_by_household(con)[hid(1)][0]["status"] == "open"


def test_a_copy_sheet_whose_header_lost_a_decision_column_stops_the_import_with_its_reason(ledger, tmp_path):
    """A clerk's copy of the sheet with 核查日期 renamed: its decisions cannot be read; skipping the sheet because
    another one has the whole header lost them without a word."""
    con, settings, ids = ledger
    [path] = export_workbooks(con, settings, TODAY)
    filled = tmp_path / "copy.xlsx"
    fill_workbook(path, filled, {})
    book = openpyxl.load_workbook(filled)
    copy = book.copy_worksheet(book["已核查"])
    copy.cell(1, COLUMNS.index("核查日期") + 1).value = "核查时间"
    row = next(r for r in range(2, copy.max_row + 1) if copy.cell(r, 1).value == ids[hid(2)])
    for col, value in zip(range(13, 18), ("属实", None, "李四", "2020-04-11", None)):
        copy.cell(row, col).value = value
    book.save(filled)
    result = import_workbooks(con, settings, [filled], TODAY)
    assert "核查日期" in result.unreadable[filled.name] and copy.title in result.unreadable[filled.name]
    assert [p["code"] for p in result.problems] == ["CASE_FILE"]
    assert cases_by_household(con)[hid(2)][0]["status"] == "open"
