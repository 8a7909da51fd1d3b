"""The import never loses a decision: notes with masked ID numbers, clerks' untouched copies of older workbooks,
decisions in a copied sheet, formatted rows above the header, oversized sheets; case ids are never masked."""
from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from core import db
from tasks.cases.importer import import_workbooks
from tasks.cases.rules import case_id
from tasks.cases.workbook import COLUMNS, export_workbooks
from tasks.validate.id_number import ID_SHAPED, mask_id_shaped
from tests.support.cases_store import cases_by_household, fill_workbook, hid, opened_cases

TODAY = date(2020, 4, 20)
NOTE = "户主身份证430521199001011234，已入户核实"


@pytest.fixture()
def ledger(tmp_path):
    """A store whose run on 2020-04-05 opened BELOW_LINE cases for households 1–4; household 5 is fine."""
    return opened_cases(tmp_path / "out", 4)


def copied_todo(book):
    """A copy of the workbook's 待办 sheet, named as Excel names a copy."""
    copy = book.copy_worksheet(book["待办"])
    copy.title = "待办 (2)"
    return copy


def decide(sheet, row: int, cells: tuple) -> None:
    """Write the five decision cells (核查结论 … 备注) of a sheet's row."""
    for col, value in enumerate(cells, start=COLUMNS.index("核查结论") + 1):
        sheet.cell(row, col).value = value


def counts(result) -> tuple[int, int, int]:
    """(applied, unchanged, refused) of an import."""
    return result.applied, result.unchanged, result.refused


def test_a_note_holding_an_id_number_comes_back_masked_and_stays_as_written(ledger, tmp_path):
    con, settings, ids = ledger
    [blank] = export_workbooks(con, settings, TODAY)
    fill_workbook(blank, tmp_path / "first.xlsx", {ids[hid(1)]: ("属实", None, "李四", "2020-04-10", NOTE)})
    assert counts(import_workbooks(con, settings, [tmp_path / "first.xlsx"], TODAY)) == (1, 0, 0)
    [shown] = export_workbooks(con, settings, TODAY)  # its 备注 shows 430521********1234
    assert NOTE not in str(openpyxl.load_workbook(shown)["待办"]["Q2"].value)
    assert counts(import_workbooks(con, settings, [shown], TODAY)) == (0, 1, 0)
    # a measure added on the same row: the masked note written back is the note on record
    fill_workbook(shown, tmp_path / "measure.xlsx", {ids[hid(1)]: ("属实", "医疗救助", "李四", "2020-04-12",
                                                                   mask_id_shaped(NOTE))})
    assert counts(import_workbooks(con, settings, [tmp_path / "measure.xlsx"], TODAY)) == (1, 0, 0)
    case = cases_by_household(con)[hid(1)][0]
    assert (case["status"], case["measures"], case["note"]) == ("assisting", "医疗救助", NOTE)


def test_an_untouched_copy_of_an_older_workbook_changes_nothing_and_refuses_nothing(ledger, tmp_path):
    """Two clerks work from copies of one export that already shows decisions; the one who changed nothing
    imports last."""
    con, settings, ids = ledger
    [blank] = export_workbooks(con, settings, TODAY)
    fill_workbook(blank, tmp_path / "first.xlsx", {ids[hid(n)]: ("属实", None, "李四", "2020-04-10", None)
                                                  for n in (1, 2)})
    import_workbooks(con, settings, [tmp_path / "first.xlsx"], TODAY)
    [older] = export_workbooks(con, settings, TODAY)
    fill_workbook(older, tmp_path / "clerk_a.xlsx", {
        ids[hid(1)]: ("属实", "医疗救助", "李四", "2020-04-10", "已申请大病医疗救助"),  # the same date
        ids[hid(2)]: ("不属实", None, "王五", "2020-04-15", "外出务工收入未申报")})
    assert counts(import_workbooks(con, settings, [tmp_path / "clerk_a.xlsx"], TODAY)) == (2, 0, 0)
    fill_workbook(older, tmp_path / "clerk_b.xlsx", {})  # as exported, opened and saved by another program
    assert counts(import_workbooks(con, settings, [tmp_path / "clerk_b.xlsx"], TODAY)) == (0, 2, 0)
    state = {n: cases_by_household(con)[hid(n)][0] for n in (1, 2)}
    assert (state[1]["measures"], state[1]["note"]) == ("医疗救助", "已申请大病医疗救助")
    assert state[2]["status"] == "dismissed"


def test_decisions_in_a_copied_sheet_are_read_and_its_rows_named_with_the_sheet(ledger, tmp_path):
    con, settings, ids = ledger
    [blank] = export_workbooks(con, settings, TODAY)
    book = openpyxl.load_workbook(blank)
    copy = copied_todo(book)
    copy.insert_rows(1)  # a row above the header, formatted as Excel does: no value in it
    copy.cell(1, 1).number_format = "@"
    rows = {copy.cell(r, 1).value: r for r in range(3, copy.max_row + 1)}
    decide(copy, rows[ids[hid(1)]], ("属实", None, "李四", "2020-04-10", None))
    decide(copy, rows[ids[hid(2)]], ("不属实", None, "李四", "2020-04-10", None))  # no 备注: refused
    book.save(tmp_path / "copied.xlsx")
    result = import_workbooks(con, settings, [tmp_path / "copied.xlsx"], TODAY)
    assert counts(result) == (1, 0, 1)
    assert cases_by_household(con)[hid(1)][0]["status"] == "confirmed"
    [problem] = result.problems
    assert problem["row"] == rows[ids[hid(2)]] and "待办 (2)" in problem["detail"]
    assert counts(import_workbooks(con, settings, [tmp_path / "copied.xlsx"], TODAY)) == (0, 1, 1)


def test_a_workbook_claiming_a_huge_sheet_is_refused_whole_before_it_is_read(ledger, tmp_path):
    con, settings, _ = ledger
    path = tmp_path / "far.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("待办")
    sheet.write_row(0, 0, COLUMNS)
    sheet.write(1048575, 16383, " ")  # one space in the last cell: a 17-billion-cell used range
    book.close()
    result = import_workbooks(con, settings, [path], TODAY)
    assert "ingest.max_sheet_cells" in result.unreadable["far.xlsx"]
    assert [p["code"] for p in result.problems] == ["CASE_FILE"]


def test_case_ids_are_never_masked_and_an_id_number_after_a_letter_still_is():
    ids = [case_id("BELOW_LINE", f"43052100100{n:05d}", "202003", 0) for n in range(3000)]
    shaped = [i for i in ids if ID_SHAPED.search(i)]
    assert len(shaped) > 10  # about 1.5 % hold an ID-shaped run of digits
    assert [mask_id_shaped(i) for i in shaped] == shaped
    assert mask_id_shaped(f"见{shaped[0]}，K430521199001011234") == f"见{shaped[0]}，K430521********1234"


def test_a_workbook_named_through_a_link_on_the_command_line_is_read(ledger, tmp_path):
    """The inbox never follows a link; a path the officer types may be one."""
    con, settings, ids = ledger
    [blank] = export_workbooks(con, settings, TODAY)
    fill_workbook(blank, tmp_path / "filled.xlsx", {ids[hid(1)]: ("属实", None, "李四", "2020-04-10", None)})
    (tmp_path / "link.xlsx").symlink_to(tmp_path / "filled.xlsx")
    assert counts(import_workbooks(con, settings, [tmp_path / "link.xlsx"], TODAY)) == (1, 0, 0)


def test_a_case_at_the_same_row_of_two_sheets_keeps_each_sheets_decision_apart(ledger, tmp_path):
    """A copied sheet holds every case at the row it had: the copy's refused row is not the original's applied one
    (a row was known by its Excel row and case id alone, so the next import of the same bytes counted the refused
    row as applied, and the county page no longer listed it)."""
    con, settings, ids = ledger
    [blank] = export_workbooks(con, settings, TODAY)
    book = openpyxl.load_workbook(blank)
    copy = copied_todo(book)
    original = book["待办"]
    rows = {original.cell(r, 1).value: r for r in range(2, original.max_row + 1)}
    decide(original, rows[ids[hid(1)]], ("属实", None, "李四", "2020-04-10", None))
    decide(copy, rows[ids[hid(1)]], ("不属实", None, "王五", "2020-04-11", None))  # no 备注: refused
    book.save(tmp_path / "two_sheets.xlsx")
    first = import_workbooks(con, settings, [tmp_path / "two_sheets.xlsx"], TODAY)
    assert counts(first) == (1, 0, 1)
    [problem] = first.problems
    assert problem["row"] == rows[ids[hid(1)]] and "待办 (2)" in problem["detail"]
    again = import_workbooks(con, settings, [tmp_path / "two_sheets.xlsx"], TODAY)
    assert counts(again) == (0, 1, 1)
    assert [p["detail"] for p in again.problems] == [problem["detail"]]
    listed = db.rows(con, "reports/cases_refused", {"period": "202004", "county_codes": [hid(1)[:6]]})
    assert [(row[2], row[3]) for row in listed] == [(rows[ids[hid(1)]], ids[hid(1)])], "the county page lists it"
    assert cases_by_household(con)[hid(1)][0]["status"] == "confirmed"


def test_a_workbook_naming_no_known_case_has_its_refusals_on_the_county_page_of_its_households(ledger, tmp_path):
    """Every 台账编号 mistyped (or the township's old ids): no case gives the workbook a county, so its refusals were
    kept with none and listed on no county page; the 户编号 written beside them names it."""
    con, settings, ids = ledger
    [blank] = export_workbooks(con, settings, TODAY)
    book = openpyxl.load_workbook(blank)
    sheet = book["待办"]
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, 1).value:
            sheet.cell(row, 1).value = "X" + str(sheet.cell(row, 1).value)  # every id mistyped
    household = COLUMNS.index("户编号") + 1
    target = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, household).value == hid(1))
    decide(sheet, target, ("属实", None, "李四", "2020-04-10", None))
    book.save(tmp_path / "mistyped.xlsx")
    result = import_workbooks(con, settings, [tmp_path / "mistyped.xlsx"], TODAY)
    assert (result.applied, result.refused) == (0, 1) and result.problems[0]["code"] == "CASE_UNKNOWN"
    listed = db.rows(con, "reports/cases_refused", {"period": "202004", "county_codes": [hid(1)[:6]]})
    assert [(row[2], row[4]) for row in listed] == [(target, "CASE_UNKNOWN")]


def zip_flagged(data: bytes, part: str, flags: int = 0, method: int | None = None) -> bytes:
    """A zip with one part's entries (local and central) marked with more flag bits, or another compression method."""
    out = bytearray(data)
    local = zipfile.ZipFile(io.BytesIO(data)).getinfo(part).header_offset
    central = out.find(b"PK\x01\x02")
    while central != -1:
        if bytes(out[central + 46:central + 46 + int.from_bytes(out[central + 28:central + 30], "little")]) == part.encode():
            break
        central = out.find(b"PK\x01\x02", central + 1)
    for at in (local + 6, central + 8):  # general purpose flags, then the compression method
        out[at:at + 2] = (int.from_bytes(out[at:at + 2], "little") | flags).to_bytes(2, "little")
        if method is not None:
            out[at + 2:at + 4] = method.to_bytes(2, "little")
    return bytes(out)


def test_a_workbook_with_an_encrypted_or_deflate64_part_is_refused_and_the_other_files_are_applied(ledger, tmp_path):
    """A sheet zipped with a password, or by Deflate64 (7-Zip's, Windows' for big files), which Python's zipfile
    cannot unpack: its RuntimeError or NotImplementedError ended the whole import with a traceback, the files after
    it unread and no case_import_problems.csv written."""
    con, settings, ids = ledger
    [blank] = export_workbooks(con, settings, TODAY)
    fill_workbook(blank, tmp_path / "filled.xlsx", {ids[hid(1)]: ("属实", None, "李四", "2020-04-10", None)})
    data = (tmp_path / "filled.xlsx").read_bytes()
    (tmp_path / "locked.xlsx").write_bytes(zip_flagged(data, "xl/worksheets/sheet2.xml", flags=1))
    (tmp_path / "deflate64.xlsx").write_bytes(zip_flagged(data, "xl/worksheets/sheet2.xml", method=9))
    result = import_workbooks(con, settings, [tmp_path / "locked.xlsx", tmp_path / "deflate64.xlsx",
                                              tmp_path / "filled.xlsx"], TODAY)
    assert sorted(result.unreadable) == ["deflate64.xlsx", "locked.xlsx"]
    assert counts(result) == (1, 0, 0)
    assert [p["code"] for p in result.problems] == ["CASE_FILE", "CASE_FILE"]
    assert (Path(settings.out) / "exports" / "case_import_problems.csv").exists()
