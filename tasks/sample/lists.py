"""The check teams' lists: exports/sample/<county_code>.csv and .xlsx of a draw."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from core import db
from tasks.report import workbook as book
from tasks.report.exports import write_csv
from tasks.report.labels import label_codes
from tasks.report.workbook import Column

HEADERS = {  # CSV column -> the workbook's Chinese header (and column width)
    "household_id": ("户编号", 19), "county_code": ("县（区）代码", 11), "township_code": ("乡镇代码", 11),
    "township_name": ("乡镇", 10), "village_code": ("村代码", 14), "village_name": ("村", 10),
    "head_name_masked": ("户主姓名", 8), "household_type": ("户类型", 10), "household_size": ("家庭人口", 8),
    "data_period": ("数据月份", 8), "flags": ("监测标记", 22), "village_signals": ("村级预警", 18),
    "reason": ("抽取原因", 70),
}


def write_county_sample(con: duckdb.DuckDBPyConnection, draw: dict, county_code: str, sample_dir: Path) -> dict:
    """Write one county's list of a draw as CSV and as a workbook; returns their paths."""
    rows = db.frame(con, "sample/county_export", {"draw_id": draw["draw_id"], "county_code": county_code})
    csv_path = write_csv(rows, sample_dir / f"{county_code}.csv")
    xlsx_path = write_workbook(rows, sample_dir / f"{county_code}.xlsx", county_code, draw)
    return {"csv": csv_path, "xlsx": xlsx_path}


def write_workbook(rows: pl.DataFrame, path: Path, county_code: str, draw: dict) -> Path:
    """The list as a workbook for the teams: Chinese headers and labels, a notes sheet saying how it was
    drawn. Fixed document properties, so the same sample gives the same bytes."""
    readable = rows.with_columns(pl.col("flags", "village_signals").map_elements(
        lambda codes: "、".join(label_codes(codes)), return_dtype=pl.Utf8))
    columns = [Column(name, *HEADERS[name], "text" if kind == pl.Utf8 else "number")
               for name, kind in readable.schema.items()]
    period = draw["period"]
    return book.write_workbook(path, f"市级抽查名单 {county_code}", datetime(int(period[:4]), int(period[4:]), 1),
                               [("抽查名单", readable, columns)], draw_notes(county_code, draw, readable), "抽取说明")


def draw_notes(county_code: str, draw: dict, rows: pl.DataFrame) -> list[tuple[str, str]]:
    """How the list was drawn: enough to redraw it (seed, month, settings); no time, so bytes repeat."""
    settings = draw["spot_check"]
    return [
        ("县（区）代码", county_code),
        ("数据月份", draw["period"]),
        ("随机种子", str(draw["seed"])),
        ("抽取户数", str(rows.height)),
        ("抽取村数", str(rows["village_code"].n_unique())),
        ("最低抽查户数/村数", f"{settings['min_households']}户/{settings['min_villages']}村（管理区"
                              f"{settings['management_area_min_households']}户/"
                              f"{settings['management_area_min_villages']}村）"),
        ("村入选权重", f"1 + {settings['signal_weight']:g}×(疑似卡线、疑似雷同填报各计1) + "
                       f"{settings['missing_return_weight']:g}×(本月未按期报送) + "
                       f"{settings['flagged_share_weight']:g}×标记户占比"),
        ("户入选权重", f"1 + {settings['household_flag_weight']:g}×该户监测标记个数"),
        ("复现方法", f"povmon sample --seed {draw['seed']} --period {draw['period']} --county {county_code}"),
    ]
