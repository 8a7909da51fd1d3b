"""Workbooks for people (Excel/WPS): Chinese headers, IDs and codes as text cells, frozen header, filters."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import polars as pl
import xlsxwriter

from core.files import atomic_path
from tasks.report.cells import safe_text
from tasks.report.sheet_rows import INVALID_XML, insert_rows


@dataclass(frozen=True)
class Column:
    """One workbook column: the frame's column, its Chinese header, width in characters, and kind
    ('text': a text cell whatever it holds, 'int', 'money' with 2 decimals, 'number')."""

    name: str
    title: str
    width: float
    kind: str = "text"


SheetRows = tuple[pl.DataFrame, list[tuple[str, bool, int]]]  # a sheet's rows before its last, with their styles


def write_sheet(book: xlsxwriter.Workbook, sheet_name: str, rows: pl.DataFrame, columns: list[Column]) -> SheetRows:
    """One sheet of rows: a bold wrapped header row, frozen, with filters; text columns as text cells (so a 16-digit
    ID stays 16 digits), numbers as numbers. xlsxwriter writes the header and the last row (so that the sheet's
    dimension and filter cover every row); returns the rows before the last and their styles, for insert_rows once
    the book is closed."""
    header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                              "valign": "top"})
    formats = {"text": book.add_format({"num_format": "@"}), "int": book.add_format({"num_format": "#,##0"}),
               "money": book.add_format({"num_format": "#,##0.00"}), "number": book.add_format({})}
    safe = safe_text(rows)  # as the CSVs: ID-shaped text masked, formulas defused, one line a cell
    sheet = book.add_worksheet(sheet_name)
    for col, column in enumerate(columns):
        sheet.write_string(0, col, column.title, header)
        sheet.set_column(col, col, column.width, formats[column.kind] if column.kind == "text" else None)
    sheet.set_row(0, 32)
    if safe.height:
        for col, (column, value) in enumerate(zip(columns, safe.select(c.name for c in columns).row(-1))):
            cell_format = formats[column.kind]
            if value is None or value == "":
                sheet.write_blank(safe.height, col, None, cell_format)
            elif column.kind == "text":  # as the other rows: characters XML does not allow dropped
                sheet.write_string(safe.height, col, re.sub(INVALID_XML, "", str(value)), cell_format)
            else:
                sheet.write_number(safe.height, col, float(value), cell_format)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(safe.height, 1), len(columns) - 1)
    styles = [(c.name, c.kind == "text", formats[c.kind]._get_xf_index()) for c in columns]
    return safe.head(max(safe.height - 1, 0)), styles


def open_book(partial: Path, title: str, created: datetime) -> xlsxwriter.Workbook:
    """A workbook with fixed document properties (same rows give the same bytes); formulas and URLs never
    made from text."""
    book = xlsxwriter.Workbook(str(partial), {"strings_to_formulas": False, "strings_to_urls": False,
                                              "strings_to_numbers": False})
    book.set_properties({"title": title, "author": "povmon", "company": "", "created": created})
    return book


def write_workbook(path: Path, title: str, created: datetime,
                   sheets: list[tuple[str, pl.DataFrame, list[Column]]],
                   notes: list[tuple[str, str]] | None = None, notes_sheet: str = "说明") -> Path:
    """Write sheets (name, rows, columns) and an optional two-column notes sheet, atomically."""
    with atomic_path(path) as partial:
        book = open_book(partial, title, created)
        data_rows = [write_sheet(book, sheet_name, rows, columns) for sheet_name, rows, columns in sheets]
        if notes:
            sheet = book.add_worksheet(notes_sheet)
            for row_index, (key, value) in enumerate(notes):
                sheet.write_string(row_index, 0, key)
                sheet.write_string(row_index, 1, value)
            sheet.set_column(0, 0, 22)
            sheet.set_column(1, 1, 80)
        book.close()
        for number, (rows, styles) in enumerate(data_rows, start=1):
            insert_rows(partial, number, 1, rows, styles)
    return path
