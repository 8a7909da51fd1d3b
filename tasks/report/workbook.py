"""Workbooks for people (Excel/WPS): Chinese headers, IDs and codes as text cells, frozen header, filters."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import polars as pl
import xlsxwriter

from core.files import atomic_path
from tasks.report.cells import defuse_text


@dataclass(frozen=True)
class Column:
    """One workbook column: the frame's column, its Chinese header, width in characters, and kind
    ('text': a text cell whatever it holds, 'int', 'money' with 2 decimals, 'number')."""

    name: str
    title: str
    width: float
    kind: str = "text"


def write_sheet(book: xlsxwriter.Workbook, sheet_name: str, rows: pl.DataFrame, columns: list[Column]):
    """One sheet of rows: a bold wrapped header row, frozen, with filters; text columns written as text cells
    (so a 16-digit ID stays 16 digits), numbers as numbers. Returns the worksheet."""
    header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                              "valign": "top"})
    formats = {"text": book.add_format({"num_format": "@"}), "int": book.add_format({"num_format": "#,##0"}),
               "money": book.add_format({"num_format": "#,##0.00"}), "number": None}
    texts = [c.name for c in columns if c.kind == "text" and rows.schema[c.name] == pl.Utf8]
    safe = rows.with_columns([defuse_text(c) for c in texts]) if rows.height else rows
    sheet = book.add_worksheet(sheet_name)
    for col, column in enumerate(columns):
        sheet.write_string(0, col, column.title, header)
        sheet.set_column(col, col, column.width, formats[column.kind] if column.kind == "text" else None)
    sheet.set_row(0, 32)
    for col, column in enumerate(columns):
        cell_format = formats[column.kind]
        for row_index, value in enumerate(safe[column.name].to_list(), start=1):
            if value is None or value == "":
                continue
            if column.kind == "text":
                sheet.write_string(row_index, col, str(value), cell_format)
            else:
                sheet.write_number(row_index, col, float(value), cell_format)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(safe.height, 1), len(columns) - 1)
    return sheet


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
        for sheet_name, rows, columns in sheets:
            write_sheet(book, sheet_name, rows, columns)
        if notes:
            sheet = book.add_worksheet(notes_sheet)
            for row_index, (key, value) in enumerate(notes):
                sheet.write_string(row_index, 0, key)
                sheet.write_string(row_index, 1, value)
            sheet.set_column(0, 0, 22)
            sheet.set_column(1, 1, 80)
        book.close()
    return path
