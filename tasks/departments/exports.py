"""exports/department_checks.csv and its workbook twin (Chinese headers and labels, codes and IDs as text)."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl
import xlsxwriter

from core import db
from core.files import atomic_path
from tasks.departments.events import DEPARTMENTS, EVENTS, FINDINGS
from tasks.report.exports import defuse_text, write_csv

FIXED_CREATED = datetime(2020, 1, 1)
HEADERS = {  # CSV column -> the workbook's Chinese header and column width
    "county_code": ("县（区）代码", 11), "township_code": ("乡镇代码", 11), "village_code": ("村代码", 14),
    "household_id": ("户编号", 19), "person_id_masked": ("身份证号", 20), "department": ("部门", 10),
    "event": ("事项", 16), "event_date": ("发生日期", 11), "period": ("数据月份", 8), "finding": ("比对结果", 10),
    "detail": ("说明", 70),
}


def write_department_checks(con: duckdb.DuckDBPyConnection, exports_dir: Path) -> dict[str, Path]:
    """Write department_checks.csv and .xlsx from the stored findings; returns their paths."""
    rows = db.frame(con, "exports/department_checks")
    return {"department_checks": write_csv(rows, exports_dir / "department_checks.csv"),
            "department_checks_xlsx": write_workbook(rows, exports_dir / "department_checks.xlsx")}


def write_workbook(rows: pl.DataFrame, path: Path) -> Path:
    """The findings as a workbook: Chinese headers and labels, every cell text (codes and IDs keep their digits),
    frozen header, filters."""
    readable = rows.with_columns(
        pl.col("department").replace_strict(DEPARTMENTS, default=pl.col("department")),
        pl.col("event").replace_strict({c: s["label"] for c, s in EVENTS.items()}, default=pl.col("event")),
        pl.col("finding").replace_strict(FINDINGS, default=pl.col("finding")))
    readable = readable.with_columns([defuse_text(c) for c in readable.columns])
    with atomic_path(path) as partial:
        _write_book(readable, partial)
    return path


def _write_book(readable: pl.DataFrame, partial: Path) -> None:
    """The workbook's one sheet."""
    book = xlsxwriter.Workbook(str(partial), {"strings_to_formulas": False, "strings_to_urls": False,
                                              "strings_to_numbers": False})
    book.set_properties({"title": "部门数据比对", "author": "povmon", "created": FIXED_CREATED})  # same data, same bytes
    header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    text = book.add_format({"num_format": "@"})
    sheet = book.add_worksheet("部门数据比对")
    for col, name in enumerate(readable.columns):
        title, width = HEADERS[name]
        sheet.write_string(0, col, title, header)
        sheet.set_column(col, col, width, text)
    for row_index, row in enumerate(readable.iter_rows(), start=1):
        for col, value in enumerate(row):
            if value is not None:
                sheet.write_string(row_index, col, str(value), text)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(readable.height, 1), readable.width - 1)
    book.close()
