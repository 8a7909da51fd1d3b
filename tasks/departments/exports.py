"""exports/department_checks.csv and its workbook twin (Chinese headers and labels, codes and IDs as text)."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from core import db
from tasks.departments.events import DEPARTMENTS, EVENTS, FINDINGS
from tasks.report import workbook as book
from tasks.report.exports import write_csv
from tasks.report.workbook import Column

FIXED_CREATED = datetime(2020, 1, 1)
HEADERS = {  # the workbook's columns: the CSV's, each place's name beside its code -> Chinese header, column width
    "county_code": ("县（区）代码", 11), "county_name": ("县（区）", 10), "township_code": ("乡镇代码", 11),
    "township_name": ("乡镇", 12), "village_code": ("村代码", 14), "village_name": ("村", 12),
    "household_id": ("户编号", 19), "person_id_masked": ("身份证号", 20), "department": ("部门", 10),
    "event": ("事项", 16), "event_date": ("发生日期", 11), "period": ("数据月份", 8), "finding": ("比对结果", 10),
    "detail": ("说明", 70),
}


def write_department_checks(con: duckdb.DuckDBPyConnection, exports_dir: Path) -> dict[str, Path]:
    """Write department_checks.csv and .xlsx from the stored findings; returns their paths."""
    rows = db.frame(con, "exports/department_checks")
    return {"department_checks": write_csv(rows, exports_dir / "department_checks.csv"),
            "department_checks_xlsx": write_workbook(with_place_names(con, rows), exports_dir / "department_checks.xlsx")}


def with_place_names(con: duckdb.DuckDBPyConnection, rows: pl.DataFrame) -> pl.DataFrame:
    """The rows with the county's, township's and village's name beside each code (empty where the code is), in the
    same order (interface.md: a workbook twin names the places beside their codes)."""
    names = dict(con.execute("SELECT code, name FROM admin_units").fetchall())
    columns: list[str | pl.Expr] = []
    for place in ("county", "township", "village"):
        code = pl.col(f"{place}_code")
        columns += [code, code.replace_strict(names, default=None, return_dtype=pl.Utf8).alias(f"{place}_name")]
    return rows.select(*columns, pl.exclude("county_code", "township_code", "village_code"))


def write_workbook(rows: pl.DataFrame, path: Path) -> Path:
    """The findings as a workbook: Chinese headers and labels, every cell text (codes and IDs keep their digits),
    frozen header, filters; the rows' XML built in Polars (tasks/report/workbook.py), not cell by cell."""
    readable = rows.with_columns(
        pl.col("department").replace_strict(DEPARTMENTS, default=pl.col("department")),
        pl.col("event").replace_strict({c: s["label"] for c, s in EVENTS.items()}, default=pl.col("event")),
        pl.col("finding").replace_strict(FINDINGS, default=pl.col("finding")))
    columns = [Column(name, *HEADERS[name]) for name in readable.columns]
    return book.write_workbook(path, "部门数据比对", FIXED_CREATED, [("部门数据比对", readable, columns)])
