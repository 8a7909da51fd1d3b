"""Cells of a workbook's sheet that calamine does not show as Excel does: formulas saved without a result, and
merged ranges (calamine gives their first cell only)."""
from __future__ import annotations

import io
import re
import zipfile

from tasks.ingest.xlsx_layout import CELL, EMPTY_VALUE_COUNTS, MERGE_CELL, column_number, holds_value, sheet_parts, \
    unescape_xml

# a formula saved without its result (openpyxl writes <f>…</f><v/>; a shared one <f t="shared" si="0"/>)
RESULTLESS_HINT = re.compile(rb'(?:</(?:\w+:)?f>|<(?:\w+:)?f\b[^>]*/>)\s*(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v></(?:\w+:)?v>)?'
                             rb'\s*</(?:\w+:)?c>')
CELL_REFERENCE = re.compile(rb'\br="([A-Z]{1,3})([0-9]+)"')
FORMULA = re.compile(rb'<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)', re.S)


# a value element (as most programs write it: <v>…</v>) storing a number that may be 2**53 or more (where a double's
# whole numbers stop being exact): 17 digits or more, 16 starting with 9, or any number with an exponent (a shared
# string's index or a formula's text result that long too). Possessive, so that a 16-digit 户编号 fails at once
# rather than backtracking through its digits in search of an exponent (0.70 ms a sheet, 0.31 with it)
LONG_VALUE = re.compile(rb'<v>\s*([-+]?(?:(?:[0-9]{17,}|9[0-9]{15})(?:\.[0-9]*+)?(?:[eE][-+]?[0-9]++)?|'
                        rb'(?:[0-9]++(?:\.[0-9]*+)?|\.[0-9]++)[eE][-+]?[0-9]++))\s*</v>')
# what a value could be written in that the pattern would not see: a prefix, attributes or spaces in its tags,
# character references, CDATA
UNUSUAL_VALUES = (b":v", b"&#", b"<![CDATA[")
EXACT_LIMIT = 2 ** 53


def read_sheet_xml(data: bytes, sheet_position: int) -> bytes:
    """The XML of a workbook's sheet (its position among the workbook's sheets, as calamine counts them)."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return book.read(sheet_parts(book)[sheet_position][2])


def holds_large_values(xml: bytes) -> bool:
    """Whether a sheet's XML stores a value of 2**53 or more: without one, no number cell lost digits (a 16-digit
    户编号 typed as a number is below it, and exact). True, to be looked at cell by cell, for a sheet whose value
    elements may be written otherwise than <v>…</v> (UNUSUAL_VALUES)."""
    if any(mark in xml for mark in UNUSUAL_VALUES) or xml.count(b"<v") != xml.count(b"<v>") \
            or xml.count(b"</v") != xml.count(b"</v>"):
        return True
    return any(abs(float(value)) >= EXACT_LIMIT for value in LONG_VALUE.findall(xml))


def formulas_without_result(sheet_xml: bytes) -> tuple[int, list[tuple[int, int, str]]]:
    """A sheet's formula cells saved without a result, which calamine reads as empty: (the sheet's first used
    column, 1-based, as calamine starts its columns there; [(row, column, formula)], 1-based). (1, []) when there
    are none, or when a cell has no reference to place it by. sheet_xml: the sheet's XML (read_sheet_xml)."""
    if not RESULTLESS_HINT.search(sheet_xml):
        return 1, []
    first_column, found = None, []
    for cell in CELL.finditer(sheet_xml):
        reference = CELL_REFERENCE.search(cell.group(1))
        if reference is None:
            return 1, []
        column, content = column_number(reference.group(1)), cell.group(2) or b""
        if holds_value(cell.group(0)):
            first_column = column if first_column is None else min(first_column, column)
        elif (formula := FORMULA.search(content)) and not EMPTY_VALUE_COUNTS.search(cell.group(1)):
            text = unescape_xml((formula.group(1) or b"").decode("utf-8", "replace"))
            found.append((int(reference.group(2)), column, text))
    return first_column or 1, found


def merged_cells(data: bytes, sheet_position: int) -> tuple[int, list[tuple[int, int, int, int]]]:
    """A sheet's first used column and merged ranges (top, left, bottom, right; 1-based); (1, []) when unplaceable."""
    sheet_xml = read_sheet_xml(data, sheet_position)
    ranges = [(int(top), column_number(left), int(bottom), column_number(right))
              for left, top, right, bottom in MERGE_CELL.findall(sheet_xml)]
    columns = []
    for cell in CELL.finditer(sheet_xml) if ranges else ():
        reference = CELL_REFERENCE.search(cell.group(1))
        if reference is None:
            return 1, []
        if holds_value(cell.group(0)):
            columns.append(column_number(reference.group(1)))
    return min(columns, default=1), ranges
