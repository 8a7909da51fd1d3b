"""A workbook looked at before it is read: its first visible sheet, where its used range starts, and whether
its size is within the read limits (an 11 KB file can claim a 16384 × 1048576 sheet, or unpack to gigabytes)."""
from __future__ import annotations

import html
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from tasks.ingest.limits import Deadline, LimitExceeded, ReadLimits
from tasks.validate.id_number import mask_id_shaped

SHEET = re.compile(r'<(?:\w+:)?sheet\b[^>]*>')
ATTRIBUTE = r'\b{}="([^"]*)"'
RELATIONSHIP = re.compile(r'<(?:\w+:)?Relationship\b[^>]*>')  # its attributes in any order (openpyxl: Target first)
# a row element with content (not self-closed) and a cell value in it: calamine starts a sheet at the first row
# holding a value, and leaves out rows of formatted empty cells above it (Excel copies a header's style upward).
# Its content never runs into the next row's tag (possessive: no going back): a row left open would make each of
# them scan the rest of the sheet, and 20,000 of them, 6 KB zipped, took minutes in one regex call, past every limit
ROW_CONTENT = re.compile(rb'<(?:\w+:)?row\b[^<>]*?\br="(\d+)"[^<>]*?(?<!/)>((?:[^<]++|<(?!/?(?:\w+:)?row\b))*+)'
                         rb'</(?:\w+:)?row>')
CELL_VALUE = re.compile(rb'<(?:\w+:)?(?:v|is)\b')
# a cell calamine counts: an inline string, or a value with content; an empty value (<v/>, <v></v>: a formula saved
# without its result, as openpyxl writes one) only in a text or date cell (t="str" is a formula's empty text)
FILLED_VALUE = re.compile(rb'<(?:\w+:)?is\b|<(?:\w+:)?v>[^<]')
CELL = re.compile(rb'<(?:\w+:)?c\b([^<>]*?)(?:/>|>((?:[^<]++|<(?!/?(?:\w+:)?c\b))*+)</(?:\w+:)?c>)')  # ROW_CONTENT's way
EMPTY_VALUE_COUNTS = re.compile(rb'\bt="(?:str|d)"')
# the row number of a row's r and of a cell's (r="AB12"): calamine places a cell by its own reference, whatever
# its row's r says; a row without r follows the one before it, so the number of row elements bounds the rows too
# (counted with bytes.count, which may count a rowBreaks or a closing tag too: a bound, and a regex per '<' costs
# more than the rest of the inspection)
ROW_NUMBER = re.compile(rb' r="[A-Z]{0,3}0*([0-9]+)"')  # leading zeros apart: compared by length
# a cell reference of two or more letters (r="AB12"; a row's r is digits only): a sheet without one is at most
# 26 columns wide, which is all the bound needs; matching each cell's tag in full costs several times more
WIDE_COLUMN = re.compile(rb' r="([A-Z]{2,})[0-9]')
NARROW_COLUMNS = 26
# a merged range (a one-column one down a return, 户类型 over the households of a type: Excel shows it on each row)
MERGE_CELL = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]{1,3})([0-9]+):([A-Z]{1,3})([0-9]+)"')
BLOCK = 1 << 20
# what zipfile raises on a broken or unreadable workbook: a part zipped with a password is a RuntimeError, one packed
# by a method it cannot unpack (Deflate64, as 7-Zip and Windows may write) a NotImplementedError
UNPACKING_ERRORS = (KeyError, zipfile.BadZipFile, ValueError, OSError, EOFError, RuntimeError, NotImplementedError)
# (workbook, its visible worksheets' (position, name, part), deadline) -> (the one to read or None, a warning or None)
Chooser = Callable[[zipfile.ZipFile, list[tuple[int, str, str]], Deadline], tuple[tuple[int, str, str] | None, str | None]]


class BadWorkbook(Exception):
    """The workbook's structure cannot be read (the message says what is wrong)."""


@dataclass(frozen=True)
class SheetLayout:
    """The sheet to read: its position among the sheets, its name, and its first used row (1-based)."""

    index: int
    name: str
    first_row: int
    merged_down: tuple[tuple[int, int, int], ...] = ()  # (column, first row, last row), 1-based, of one-column merges
    note: str | None = None  # why the reader should look at the sheets not read (sheet_choice.SheetChooser)


def column_number(letters: bytes) -> int:
    """An Excel column's letters as its 1-based number (A = 1, XFD = 16384)."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def inspect_workbook(data: bytes, limits: ReadLimits, deadline: Deadline, choose: Chooser | None = None) -> SheetLayout:
    """The sheet of a workbook to read (of several visible, the one `choose` picks; else the first visible one), after
    checking its unpacked size and its used range against the limits (LimitExceeded names the limit; BadWorkbook
    says what is broken)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            _check_unpacked(book, limits)
            index, name, first_row, rows, columns, merged, note = _first_visible_sheet(book, deadline, choose)
    except UNPACKING_ERRORS as err:
        raise BadWorkbook(f"{type(err).__name__}") from err
    _check_range(name, rows, columns, limits)
    return SheetLayout(index, name, first_row, merged, note)


def check_every_sheet(data: bytes, limits: ReadLimits, deadline: Deadline) -> None:
    """Check a workbook's unpacked size and every sheet's used range against the limits before any sheet is read
    (for a reader of every sheet, as `cases import` is); LimitExceeded names the limit, BadWorkbook says what is
    broken."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            _check_unpacked(book, limits)
            ranges = [(name, _used_range(book, part, deadline)[:3]) for name, _, part, _ in sheet_parts(book)]
    except UNPACKING_ERRORS as err:
        raise BadWorkbook(f"{type(err).__name__}") from err
    for name, (_, rows, columns) in ranges:
        _check_range(name, rows, columns, limits)


def _check_unpacked(book: zipfile.ZipFile, limits: ReadLimits) -> None:
    """Refuse a workbook whose parts unpack to more than the limit (a zip bomb)."""
    unpacked = sum(info.file_size for info in book.infolist())
    if unpacked > limits.max_unzipped_bytes:
        raise LimitExceeded(f"Excel文件解压后{unpacked}字节，超过上限{limits.max_unzipped_bytes}字节"
                            "(设置 ingest.max_unzipped_bytes)")


def _check_range(name: str, rows: int, columns: int, limits: ReadLimits) -> None:
    """Refuse a sheet whose used range holds more cells than the limit (an 11 KB file can claim 16384 × 1048576)."""
    if rows * columns > limits.max_sheet_cells:
        shown = mask_id_shaped(name)[:40]  # masked, then cut: cut first, an ID would no longer look like one
        raise LimitExceeded(f"工作表“{shown}”的使用范围达{rows}行×{columns}列，超过{limits.max_sheet_cells}个单元格"
                            "(设置 ingest.max_sheet_cells)，不读取")


def _first_visible_sheet(book: zipfile.ZipFile, deadline: Deadline, choose: Chooser | None = None) -> tuple:
    """(position, name, first used row, last row, last column, one-column merges, choose's warning) of the sheet
    `choose` picks among several visible worksheets, else of the first not hidden holding a value, else of the first
    not hidden (a chart sheet holds no table, nor does the empty Sheet1 of a table pasted into Sheet2)."""
    visible = [(index, name, part) for index, (name, state, part, kind) in enumerate(sheet_parts(book))
               if state not in ("hidden", "veryHidden") and kind == "worksheet"]
    if not visible:
        raise ValueError("no visible sheet")
    picked, note = choose(book, visible, deadline) if choose is not None and len(visible) > 1 else (None, None)
    for index, name, part in [picked] if picked else visible:
        first_row, rows, columns, merged = _used_range(book, part, deadline)
        if first_row:
            return index, name, first_row, rows, columns, merged, note
    index, name, part = visible[0]
    return index, name, 1, *_used_range(book, part, deadline)[1:], note


def sheet_parts(book: zipfile.ZipFile) -> list[tuple[str, str, str, str]]:
    """(name, state, part path, kind) of every sheet of a workbook, in the workbook's order (calamine's too); kind
    is the relationship type's last word: worksheet, chartsheet, dialogsheet…"""
    workbook = book.read("xl/workbook.xml").decode("utf-8", "replace")
    rels = book.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    targets = {}
    for tag in RELATIONSHIP.findall(rels):
        key, target = re.search(ATTRIBUTE.format("Id"), tag), re.search(ATTRIBUTE.format("Target"), tag)
        kind = re.search(ATTRIBUTE.format("Type"), tag)
        if key and target:
            targets[key.group(1)] = (target.group(1), kind.group(1).rsplit("/", 1)[-1] if kind else "worksheet")
    sheets = []
    for tag in SHEET.findall(workbook):
        state = re.search(ATTRIBUTE.format("state"), tag)
        relation = re.search(r'\br:id="([^"]+)"', tag) or re.search(ATTRIBUTE.format(r"\w+:id"), tag)
        target, kind = targets[relation.group(1)]
        name = re.search(ATTRIBUTE.format("name"), tag).group(1)
        part = target.lstrip("/") if target.startswith("/") else "xl/" + target
        sheets.append((unescape_xml(name), state.group(1) if state else "visible", part, kind))
    return sheets


def first_used_row(data: bytes, sheet_position: int = 0) -> int:
    """The 1-based Excel row of the first (or the given position's) sheet's first row holding a value (1 when it
    cannot be told): calamine starts its rows at the first used row, so a sheet whose table sits below empty
    rows would otherwise report row numbers too small by that many."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            with book.open(sheet_parts(book)[sheet_position][2]) as sheet:
                head = sheet.read(BLOCK)  # the first row is near the top of the sheet XML
        return first_valued_row(head) or 1
    except (KeyError, AttributeError, IndexError, zipfile.BadZipFile, ValueError):
        return 1


def first_valued_row(sheet_xml: bytes) -> int | None:
    """The number of the first row of a piece of sheet XML with a cell holding a value (a row of formatted empty
    cells holds none), or None."""
    for row in ROW_CONTENT.finditer(sheet_xml):
        if holds_value(row.group(2)):
            return int(row.group(1))
    return None


def holds_value(row_xml: bytes) -> bool:
    """Whether a row's cells hold a value as calamine counts one (FILLED_VALUE, EMPTY_VALUE_COUNTS)."""
    if not CELL_VALUE.search(row_xml):
        return False
    if FILLED_VALUE.search(row_xml):
        return True
    return any(EMPTY_VALUE_COUNTS.search(attributes) and CELL_VALUE.search(content)
               for attributes, content in CELL.findall(row_xml))


def unescape_xml(text: str) -> str:
    """XML text (a sheet's name, a formula) as written: its entities and character references (审&#26680;) read."""
    return html.unescape(text)  # XML escapes a bare &, so no HTML-only entity can be met unescaped


def largest_number(digits: list[bytes]) -> int:
    """The largest of numbers written in ASCII digits (0 for none): among the longest, the greatest as bytes
    (int() on every cell reference of a sheet costs more than finding them)."""
    if not digits:
        return 0
    longest = len(max(digits, key=len))
    return int(max(d for d in digits if len(d) == longest))


def _used_range(book: zipfile.ZipFile, part: str, deadline: Deadline) -> tuple[int, int, int, tuple]:
    """(first used row, 0 when no cell holds a value; last row; last column; its one-column merges) of a sheet,
    by streaming its XML (never building the grid)."""
    first_row, last_row, last_column, row_tags, tail, merged = 0, 0, NARROW_COLUMNS, 0, b"", set()
    with book.open(part) as sheet:
        while block := sheet.read(BLOCK):
            text = tail + block
            if not first_row:
                first_row = first_valued_row(text) or 0
            last_row = max(last_row, largest_number(ROW_NUMBER.findall(text)))
            row_tags += block.count(b"<row") + block.count(b":row")
            last_column = max([last_column, *(column_number(c) for c in set(WIDE_COLUMN.findall(text)))])
            if b"mergeCell" in text:  # a scan for the tag alone: the regex over every block cost as much as the row scan
                merged.update((column_number(a), int(top), int(bottom)) for a, top, b, bottom in MERGE_CELL.findall(text)
                              if a == b and int(bottom) > int(top))
            tail = text[-256:]  # a tag cut by the block boundary is seen whole in the next round
            deadline.check("检查Excel工作表")
    return first_row, max(last_row, row_tags, 1), last_column, tuple(sorted(merged))
