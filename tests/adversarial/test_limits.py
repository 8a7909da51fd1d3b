"""Class 2: files that would stop the night (a huge cell, a quote left open in a big file, a sheet claiming a
billion cells, a zip bomb, a file over the size limit, a pipe, a link to an endless device). Each is
FILE_UNREADABLE with the limit named, in bounded memory and time, while the rest of the batch loads."""
from __future__ import annotations

import io
import os
import time
import zipfile

import xlsxwriter

from tasks.ingest.limits import ReadLimits
from tests.support.returns import HEADER, csv_bytes, household, write_xlsx
from tests.support.hostile import V2, assert_night_survives, tiny_city


def far_corner_workbook() -> bytes:
    """An .xlsx of a few KB whose only cell is at XFD1048576 (reading its range allocates 549 GB)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.add_worksheet().write_string(1048575, 16383, "x")
    book.close()
    return buffer.getvalue()


def zip_bomb(tmp_path) -> bytes:
    """A good return whose workbook also carries a part unpacking to more than the limit."""
    good = write_xlsx(tmp_path / "good.xlsx", [household(V2, 1)]).read_bytes()
    buffer = io.BytesIO(good)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as book:
        book.writestr("xl/media/padding.bin", b"\0" * (ReadLimits().max_unzipped_bytes + 1))
    return buffer.getvalue()


def test_files_beyond_the_limits_are_refused_and_the_night_goes_on(prefect_harness, tmp_path):
    inbox = tiny_city(tmp_path)
    huge_cell = csv_bytes([household(V2, 1) + ["x" * 140_000]], header=HEADER + ["备注"])
    open_quote = (csv_bytes([household(V2, 1)]) + b'4305210010020002,"unclosed,\r\n'
                  + csv_bytes([household(V2, n) for n in range(3, 3000)], header=[]))
    (inbox / f"{V2}_202001.csv").write_bytes(huge_cell)
    (inbox / f"{V2}_201912.csv").write_bytes(open_quote)
    (inbox / f"{V2}_201911.xlsx").write_bytes(far_corner_workbook())
    (inbox / f"{V2}_201910.xlsx").write_bytes(zip_bomb(tmp_path))
    with open(inbox / f"{V2}_201909.csv", "wb") as big:  # sparse: over the limit without writing it
        big.truncate(ReadLimits().max_file_bytes + 1)
    os.mkfifo(inbox / f"{V2}_201908.csv")
    os.symlink("/dev/zero", inbox / f"{V2}_201907.csv")
    started = time.monotonic()
    assert_night_survives(tmp_path, {
        f"{V2}_202001.csv": ("FILE_UNREADABLE", "ingest.max_cell_chars"),
        f"{V2}_201912.csv": ("FILE_UNREADABLE", "引号未闭合"),
        f"{V2}_201911.xlsx": ("FILE_UNREADABLE", "ingest.max_sheet_cells"),
        f"{V2}_201910.xlsx": ("FILE_UNREADABLE", "ingest.max_unzipped_bytes"),
        f"{V2}_201909.csv": ("FILE_UNREADABLE", "ingest.max_file_bytes"),
        f"{V2}_201908.csv": ("FILE_UNREADABLE", "命名管道"),
        f"{V2}_201907.csv": ("FILE_UNREADABLE", "符号链接"),
    })
    assert time.monotonic() - started < 60


def test_reading_past_the_time_limit_is_a_reason_not_a_hang(tmp_path):
    from tasks.ingest.parse import parse_return
    from tasks.ingest.read import read_settled_bytes
    from tasks.ingest.listing import list_inbox

    data = csv_bytes([household(V2, n % 9999 + 1) for n in range(5000)])
    no_time = ReadLimits(read_timeout_seconds=0)
    parsed = parse_return(data, "csv", no_time)
    assert (parsed.problem_code, "ingest.read_timeout_seconds" in parsed.problem_detail) == ("FILE_UNREADABLE", True)
    (tmp_path / f"{V2}_202003.csv").write_bytes(data)
    [delivery], _ = list_inbox(tmp_path, {}, 0, limits=no_time)
    assert "ingest.read_timeout_seconds" in delivery.refused  # hashing it ran out of time: refused, not hung
    assert read_settled_bytes(delivery, no_time)[1].startswith("LIMIT:")


def rewritten_sheet(data: bytes, edit, part: str = "xl/worksheets/sheet1.xml") -> bytes:
    """A workbook with one part's XML (its first sheet's unless named) passed through edit."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            target.writestr(info.filename, edit(content) if info.filename == part else content)
    return out.getvalue()


def households_book(*sheet_names: str, first_row: int = 0) -> bytes:
    """A workbook whose sheets (one unnamed when none is named) each hold the header at first_row and three
    households under it."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    for name in sheet_names or (None,):
        sheet = book.add_worksheet(name)
        sheet.write_row(first_row, 0, HEADER)
        for n in range(first_row + 1, first_row + 4):
            sheet.write_row(n, 0, household(V2, n))
    book.close()
    return buffer.getvalue()


def assert_read_in_time(data: bytes, **period: str) -> None:
    """The workbook parsed within 20 s under a 5 s read limit, refused or read whole (three households)."""
    from tasks.ingest.parse import parse_return

    started = time.monotonic()
    parsed = parse_return(data, "xlsx", ReadLimits(read_timeout_seconds=5), **period)
    assert time.monotonic() - started < 20
    assert parsed.problem_code == "FILE_UNREADABLE" or parsed.frame.height == 3


def test_a_cell_claiming_a_far_row_inside_a_near_one_is_counted_by_its_own_reference():
    """calamine places a cell by its own r, whatever its row's r says (and a leading zero hides nothing): a 6 KB
    workbook claiming row 1,048,576 of column Z is refused before it is read, as is one of rows without r under
    a cell in the last column."""
    from tasks.ingest.limits import DEFAULT_LIMITS
    from tasks.ingest.parse import parse_return

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, HEADER)
    for n in range(1, 4):
        sheet.write_row(n, 0, household(V2, n))
    sheet.write(3, 11, "备注")
    book.close()
    far = rewritten_sheet(buffer.getvalue(), lambda xml: xml.replace(b'<c r="L4"', b'<c r="A0001"/><c r="Z1048576"'))
    parsed = parse_return(far, "xlsx", DEFAULT_LIMITS)
    assert parsed.problem_code == "FILE_UNREADABLE" and "ingest.max_sheet_cells" in parsed.problem_detail
    rows = b"".join(b"<row><c><v>1</v></c></row>" for _ in range(200))
    wide = rewritten_sheet(buffer.getvalue(), lambda xml: xml.replace(
        b'<c r="L4"', b'<c r="XFD4"><v>1</v></c><c r="M4"').replace(b"</sheetData>", rows + b"</sheetData>"))
    parsed = parse_return(wide, "xlsx", ReadLimits(max_sheet_cells=16384 * 100))
    assert parsed.problem_code == "FILE_UNREADABLE" and "ingest.max_sheet_cells" in parsed.problem_detail


def test_a_workbook_of_rows_left_open_is_read_within_the_time_limit():
    """A 6 KB workbook whose sheet opens 20,000 rows it never closes above its table (its rows closed as `</row >`,
    valid XML, which the scan did not take for a closing either): looking for the first row holding a value scanned
    the rest of the sheet's first MiB from each of them, in one regex call no time limit could stop (three minutes
    here; with 100,000 of them, 7 KB, an hour or more): the night hung on it."""
    opened = rewritten_sheet(households_book(), lambda xml: xml.replace(b"</row>", b"</row >").replace(
        b"<sheetData>", b"<sheetData>" + b'<row r="1">' * 20_000))
    assert_read_in_time(opened)


def test_a_workbook_of_sheets_whose_rows_are_left_open_is_read_within_the_time_limit():
    """The same rows left open in the first of two sheets: choosing the sheet to read looks for each sheet's header
    among its first rows, and that scan went over the rest of its first blocks from each open row (30,000 of them,
    6 KB zipped: a minute or more in one regex call)."""
    opened = rewritten_sheet(households_book("说明", "3月"), lambda xml: xml.replace(b"</row>", b"</row >").replace(
        b"<sheetData>", b"<sheetData>" + b'<row r="1">' * 30_000))
    assert_read_in_time(opened, period="202003")


def test_a_workbook_of_sheets_whose_shared_strings_are_left_open_is_read_within_the_time_limit():
    """Choosing the sheet reads the header's shared strings: 20,000 strings opened and never closed (their closings
    written `</si >`), or one string of 60 million characters never closed (60 KB zipped), were scanned again from
    each opening for every 4 KB read, in calls no time limit could stop (minutes; the second, hours)."""
    book, strings = households_book("说明", "3月"), "xl/sharedStrings.xml"
    opened = rewritten_sheet(book, lambda xml: xml.replace(b"</si>", b"</si >").replace(
        b'">', b'">' + b"<si>" * 20_000, 1), strings)
    endless = rewritten_sheet(book, lambda xml: xml.replace(b'">', b'"><si><t>' + b"a" * 60_000_000, 1), strings)
    for data in (opened, endless):
        assert_read_in_time(data, period="202003")


def test_a_workbook_of_cells_left_open_is_read_within_the_time_limit():
    """A first row of 30,000 empty text cells never closed (`<c t="str"><v/>`, which may count as a value): telling
    whether the row holds a value scanned the rest of the row from each of them (minutes in one regex call)."""
    opened = rewritten_sheet(households_book(first_row=1), lambda xml: xml.replace(
        b"<sheetData>", b'<sheetData><row r="1">' + b'<c t="str"><v/>' * 30_000 + b"</row>"))
    assert_read_in_time(opened)
