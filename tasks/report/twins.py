"""The .xlsx twin of each CSV export (interface.md): the same rows for Excel/WPS readers, in Chinese."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from core import db
from tasks.report.labels import label_code, label_codes
from tasks.report.workbook import Column, write_workbook

PLACE = [Column("county_code", "县（区）代码", 9), Column("county_name", "县（区）", 10),
         Column("township_code", "乡镇代码", 11), Column("township_name", "乡镇", 12),
         Column("village_code", "村代码", 14), Column("village_name", "村", 12)]
FLAGS = PLACE + [
    Column("household_id", "户编号", 19), Column("head_name_masked", "户主姓名", 8),
    Column("head_id_masked", "户主身份证号", 21), Column("household_type", "户类型", 9),
    Column("household_size", "家庭人口", 7, "int"), Column("period", "数据月份", 8),
    Column("projected_per_capita", "预计全年人均纯收入（元）", 13, "money"),
    Column("projected_low", "预计区间下限（元）", 11, "int"), Column("projected_high", "预计区间上限（元）", 11, "int"),
    Column("band_note", "区间跨监测线", 9), Column("flags_label", "监测标记", 24), Column("flags", "标记代码", 22),
    Column("reasons", "原因", 70), Column("suggested_measure", "建议措施", 22)]
PROBLEMS = [Column("file", "文件名", 28), *PLACE[:2], Column("township_name", "乡镇", 12),
            *PLACE[4:], Column("period", "数据月份", 8), Column("row", "行号（Excel中）", 8, "int"),
            Column("household_id", "户编号", 19), Column("code_label", "问题", 16), Column("code", "问题代码", 20),
            Column("level_label", "级别", 12), Column("detail", "说明", 70)]
SIGNALS = PLACE + [Column("period", "数据月份", 8), Column("code_label", "信号", 14), Column("code", "信号代码", 20),
                   Column("detail", "说明", 70)]
NOTE = ("本表与同名 CSV 文件行相同，供 Excel/WPS 阅读：户编号、代码均为文本单元格（不会变成科学计数法）。"
        "程序对接请用 CSV 文件（英文列名、代码）。")


def labelled(rows: pl.DataFrame, column: str, alias: str, many: bool = False) -> pl.DataFrame:
    """rows with the Chinese label(s) of a code column beside it."""
    def to_label(codes: str) -> str:
        return "、".join(label_codes(codes)) if many else label_code(codes)
    values = rows[column].fill_null("").unique().to_list()
    mapping = {value: to_label(value) for value in values}
    return rows.with_columns(pl.col(column).fill_null("").replace_strict(mapping, return_dtype=pl.Utf8).alias(alias))


def as_of_date(as_of: str | None) -> datetime:
    """The workbooks' creation date: the first day of the as-of month (fixed, so bytes repeat)."""
    return datetime(int(as_of[:4]), int(as_of[4:]), 1) if as_of else datetime(2000, 1, 1)


def write_twin(path: Path, title: str, as_of: str | None, sheet: str, rows: pl.DataFrame,
               columns: list[Column]) -> Path:
    """One export's workbook with its notes sheet."""
    notes = [("内容", title), ("数据月份", as_of or "—"), ("行数", str(rows.height)), ("说明", NOTE)]
    return write_workbook(path, title, as_of_date(as_of), [(sheet, rows, columns)], notes)


def write_twins(con: duckdb.DuckDBPyConnection, exports_dir: Path, as_of: str | None,
                rows: dict[str, pl.DataFrame]) -> dict[str, Path]:
    """The .xlsx twin of each CSV written: problems and flags from their workbook rows already read (rows, by
    name), the village signals (flags' companion) read here; returns name_xlsx -> path."""
    twins: dict[str, Path] = {}
    if "problems" in rows:
        problems = labelled(labelled(rows["problems"], "code", "code_label"), "level", "level_label")
        twins["problems_xlsx"] = write_twin(exports_dir / "problems.xlsx", "数据问题清单", as_of, "数据问题",
                                            problems, PROBLEMS)
    if "flags" in rows:
        flags = labelled(rows["flags"], "flags", "flags_label", many=True)
        twins["flags_xlsx"] = write_twin(exports_dir / "flags.xlsx", "标记户清单", as_of, "标记户", flags, FLAGS)
        signals = labelled(db.frame(con, "exports/village_signals_workbook", {"period": as_of}), "code", "code_label")
        twins["village_signals_xlsx"] = write_twin(exports_dir / "village_signals.xlsx", "村级预警信号", as_of,
                                                   "村级预警信号", signals, SIGNALS)
    return twins
