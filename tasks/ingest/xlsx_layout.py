"""A workbook looked at before it is read: its first visible sheet, where its used range starts, and whether
its size is within the read limits (an 11 KB file can claim a 16384 × 1048576 sheet, or unpack to gigabytes)."""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from tasks.ingest.limits import Deadline, LimitExceeded, ReadLimits

SHEET = re.compile(r'<(?:\w+:)?sheet\b[^>]*>')
ATTRIBUTE = r'\b{}="([^"]*)"'
TARGET = r'<Relationship\b[^>]*\bId="{}"[^>]*\bTarget="([^"]+)"'
FIRST_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*\br="(\d+)"[^>]*>\s*<(?:\w+:)?c\b')
ROW_NUMBER = re.compile(rb' r="([0-9]+)"')  # a row's r (a cell's starts with letters): half the cost of the tag
# a cell reference of two or more letters (r="AB12"; a row's r is digits only): a sheet without one is at most
# 26 columns wide, which is all the bound needs; matching each cell's tag in full costs several times more
WIDE_COLUMN = re.compile(rb' r="([A-Z]{2,})[0-9]')
NARROW_COLUMNS = 26
BLOCK = 1 << 20


class BadWorkbook(Exception):
    """The workbook's structure cannot be read (the message says what is wrong)."""


@dataclass(frozen=True)
class SheetLayout:
    """The sheet to read: its position among the sheets, its name, and its first used row (1-based)."""

    index: int
    name: str
    first_row: int


def column_number(letters: bytes) -> int:
    """An Excel column's letters as its 1-based number (A = 1, XFD = 16384)."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def inspect_workbook(data: bytes, limits: ReadLimits, deadline: Deadline) -> SheetLayout:
    """The first visible sheet of a workbook, after checking its unpacked size and its used range against the
    limits (LimitExceeded names the limit; BadWorkbook says what is broken)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            unpacked = sum(info.file_size for info in book.infolist())
            if unpacked > limits.max_unzipped_bytes:
                raise LimitExceeded(f"Excel文件解压后{unpacked}字节，超过上限{limits.max_unzipped_bytes}字节"
                                    "(设置 ingest.max_unzipped_bytes)")
            index, name, part = _first_visible_sheet(book)
            first_row, rows, columns = _used_range(book, part, deadline)
    except (KeyError, zipfile.BadZipFile, ValueError, OSError, EOFError) as err:
        raise BadWorkbook(f"{type(err).__name__}") from err
    if rows * columns > limits.max_sheet_cells:
        raise LimitExceeded(f"工作表“{name[:40]}”的使用范围达{rows}行×{columns}列，超过{limits.max_sheet_cells}个单元格"
                            "(设置 ingest.max_sheet_cells)，不读取")
    return SheetLayout(index, name, first_row)


def _first_visible_sheet(book: zipfile.ZipFile) -> tuple[int, str, str]:
    """(position, name, part path) of the first sheet not hidden; a workbook whose every sheet is hidden has none."""
    for index, (name, state, part) in enumerate(_sheets(book)):
        if state not in ("hidden", "veryHidden"):
            return index, name, part
    raise ValueError("no visible sheet")


def _sheets(book: zipfile.ZipFile) -> list[tuple[str, str, str]]:
    """(name, state, part path) of every sheet of a workbook, in the workbook's order."""
    workbook = book.read("xl/workbook.xml").decode("utf-8", "replace")
    rels = book.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    sheets = []
    for tag in SHEET.findall(workbook):
        state = re.search(ATTRIBUTE.format("state"), tag)
        relation = re.search(r'\br:id="([^"]+)"', tag) or re.search(ATTRIBUTE.format(r"\w+:id"), tag)
        target = re.search(TARGET.format(re.escape(relation.group(1))), rels).group(1)
        name = re.search(ATTRIBUTE.format("name"), tag).group(1)
        part = target.lstrip("/") if target.startswith("/") else "xl/" + target
        sheets.append((_unescape(name), state.group(1) if state else "visible", part))
    return sheets


def first_used_row(data: bytes, sheet_position: int = 0) -> int:
    """The 1-based Excel row of the first (or the given position's) sheet's first row holding a cell (1 when it
    cannot be told): calamine starts its rows at the first used row, so a sheet whose table sits below empty
    rows would otherwise report row numbers too small by that many."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            with book.open(_sheets(book)[sheet_position][2]) as sheet:
                head = sheet.read(BLOCK)  # the first row is near the top of the sheet XML
        found = FIRST_ROW.search(head)
        return int(found.group(1)) if found else 1
    except (KeyError, AttributeError, IndexError, zipfile.BadZipFile, ValueError):
        return 1


def _unescape(text: str) -> str:
    """XML attribute text as the sheet's name."""
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'")
            .replace("&amp;", "&"))


def _used_range(book: zipfile.ZipFile, part: str, deadline: Deadline) -> tuple[int, int, int]:
    """(first used row, last row, last column) of a sheet, by streaming its XML (never building the grid)."""
    first_row, last_row, last_column, tail = 0, 0, NARROW_COLUMNS, b""
    with book.open(part) as sheet:
        while block := sheet.read(BLOCK):
            text = tail + block
            if not first_row and (found := FIRST_ROW.search(text)):
                first_row = int(found.group(1))
            last_row = max([last_row, *(int(r) for r in ROW_NUMBER.findall(text))])
            last_column = max([last_column, *(column_number(c) for c in set(WIDE_COLUMN.findall(text)))])
            tail = text[-256:]  # a tag cut by the block boundary is seen whole in the next round
            deadline.check("检查Excel工作表")
    return first_row or 1, max(last_row, 1), last_column
