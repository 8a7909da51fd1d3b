"""A small hand-made store for report tests: two counties, a few households, every report table filled."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

from core import db
from tasks.ingest.load import refresh_every_current_file
from tasks.report.history import store_status_figures

EVIL_VILLAGE = "<img src=x onerror=alert(1)>"
PERIOD = "202003"
PERIODS = ["201910", "201911", "201912", "202001", "202002", "202003"]
UNITS = [  # code, name, level, parent, management area
    ("430521", "邵东县", "county", None, False),
    ("430522", "新邵县", "county", None, True),
    ("430521100", "两市镇", "township", "430521", False),
    ("430521101", "宋家塘街道", "township", "430521", False),
    ("430522100", "酿溪镇", "township", "430522", False),
    ("430521100001", "白石村", "village", "430521100", False),
    ("430521100002", EVIL_VILLAGE, "village", "430521100", False),
    ("430521101001", "金龙村", "village", "430521101", False),
    ("430522100001", "大坪村", "village", "430522100", False),
]
# household_id, head name, ID number, type, size, labour, projected per capita, flags, reasons, measure
HOUSEHOLDS = [
    ("4305211000010001", "张三丰", "430521198001011234", "脱贫户", 4, 0, 3100.0, "BELOW_LINE;UNSTABLE_LIFTED",
     "预计人均纯收入3100元，低于监测线4000元", "兜底保障"),
    ("4305211000010002", "李四光", "43052119750202567X", "监测户", 3, 2, 5200.0, "NEAR_LINE",
     "预计人均纯收入5200元，低于监测线的1.5倍", None),
    ("4305211000020001", "王五<b>", "430521196503034321", "边缘户", 2, 1, 3900.0, "BELOW_LINE;SUDDEN_DROP",
     "年累计纯收入较上年同期下降42% <script>alert(2)</script>", "公益岗位"),
    ("4305211000020002", "赵六", "430521199004045678", "脱贫户", 5, 3, 9000.0, "", "", None),
    ("4305211010010001", "钱七", "430521198806067777", "低保户", 1, 0, 7000.0, "GUARANTEE_GAP",
     "住房不安全", None),
    ("4305221000010001", "孙八郎", "430522197007078888", "脱贫户", 3, 1, 2500.0, "BELOW_LINE",
     "预计人均纯收入2500元，低于监测线4000元", "稳岗就业"),
]
EXTRA_TABLES = {
    "household_status": """CREATE TABLE household_status (county_code TEXT, township_code TEXT, village_code TEXT,
        household_id TEXT, head_name TEXT, head_id_number TEXT, household_type TEXT, household_size INTEGER,
        labor_count INTEGER, period TEXT, income_year INTEGER, income_month INTEGER, ytd_net_income DOUBLE,
        projected_per_capita DOUBLE, projected_low DOUBLE, projected_high DOUBLE, last_year_per_capita DOUBLE,
        line DOUBLE, is_below_line BOOLEAN, is_near_line BOOLEAN, is_sudden_drop BOOLEAN, is_unstable_lifted BOOLEAN,
        has_guarantee_gap BOOLEAN, flags TEXT, reasons TEXT, page_reasons TEXT, suggested_measure TEXT,
        risk_causes TEXT, guarantee_gaps TEXT)""",
    "village_signals": """CREATE TABLE village_signals (county_code TEXT, township_code TEXT, village_code TEXT,
        period TEXT, code TEXT, detail TEXT)""",
    "projection_accuracy": """CREATE TABLE projection_accuracy (income_year INTEGER, month INTEGER, method TEXT,
        median_abs_pct_error DOUBLE, below_line_precision DOUBLE, below_line_recall DOUBLE, coverage DOUBLE)""",
    "households_data_missing": """CREATE TABLE households_data_missing (county_code TEXT, village_code TEXT,
        household_id TEXT, period TEXT, file_id INTEGER, file_name TEXT, source_rows INTEGER[], reason_codes TEXT)""",
}


def create_missing_tables(con: duckdb.DuckDBPyConnection, names: list[str]) -> None:
    """Create the not-yet-merged tables the reports read (those the schema does not already have)."""
    have = {n for (n,) in con.execute("SELECT table_name FROM duckdb_tables() UNION "
                                      "SELECT view_name FROM duckdb_views()").fetchall()}
    for name in names:
        if name not in have:
            con.execute(EXTRA_TABLES[name])


def status_row(household: tuple, period: str, step: int) -> tuple:
    """One household_status row of a household in a period (flags only from the third period on)."""
    hid, name, id_number, kind, size, labour, per_capita, flags, reasons, measure = household
    flags_now = flags if step >= 2 else ""
    codes = set(flags_now.split(";")) - {""}
    return (hid[:6], hid[:9], hid[:12], hid, name, id_number, kind, size, labour, period, 2020, step + 1,
            per_capita * size * (step + 1) / 12, per_capita, per_capita * 0.9, per_capita * 1.1, per_capita,
            4000.0, "BELOW_LINE" in codes, "NEAR_LINE" in codes, "SUDDEN_DROP" in codes,
            "UNSTABLE_LIFTED" in codes, "GUARANTEE_GAP" in codes, flags_now, reasons if codes else "",
            reasons if codes else "",  # the page's reasons: the fixture's are already as a page shows them
            measure if codes else None, "因病" if codes else "", "住房" if "GUARANTEE_GAP" in codes else None)


def fill_files(con: duckdb.DuckDBPyConnection) -> None:
    """Source files of the as-of month (one village without a return, one rejected) and their problems."""
    received = datetime(2020, 4, 8, 21, 30)
    files = [  # file_id, name, village, status, used, quarantined, run
        (1, "430521100001_202003.csv", "430521100001", "loaded", 2, 0, 1),
        (2, "430521100002_202003.xlsx", "430521100002", "loaded", 2, 1, 2),
        (3, "430522100001_202003.csv", "430522100001", "rejected", 0, 0, 2),
    ]
    for file_id, name, village, status, used, quarantined, run in files:
        con.execute("""INSERT INTO source_files (file_id, sha256, file_name, first_path, size_bytes, village_code,
                       period, correction_rank, ingest_run_id, ingested_at, status, rows_read, rows_used,
                       rows_quarantined) VALUES (?, ?, ?, ?, 100, ?, ?, 1, ?, ?, ?, ?, ?, ?)""",
                    [file_id, f"hash{file_id}", name, name, village, PERIOD, run, received, status,
                     used + quarantined, used, quarantined])
    refresh_every_current_file(con)
    problems = [  # file, row, household, code, level, detail
        (2, 5, "4305211000020003", "ROW_NOT_NUMBER", "error", "工资性收入“一千二”不是数字"),
        (2, 4, "4305211000020002", "ROW_ID_NUMBER", "warning", "身份证号430521199004045679校验位不符"),
        (2, 3, "4305211000020001", "ROW_YTD_DECREASE", "warning", "<i>累计</i>工资性收入低于上月"),
        (3, None, None, "FILE_MISSING_COLUMNS", "error", "缺少必填列：户主身份证号"),
    ]
    con.executemany("INSERT INTO problems VALUES (?, ?, ?, ?, ?, ?, 2)", problems)
    con.execute("INSERT INTO runs (run_id, kind, started_at, finished_at, status, as_of_period) "
                "VALUES (2, 'run', ?, ?, 'completed', ?)", [received, received, PERIOD])


def build_report_db(path: Path | str = ":memory:", with_projection: bool = True) -> duckdb.DuckDBPyConnection:
    """A store holding the fixture; with_projection=False leaves out the projection helper's tables."""
    con = db.connect(path)
    con.executemany("INSERT INTO admin_units VALUES (?, ?, ?, ?, ?)", UNITS)
    fill_files(con)
    con.execute("INSERT INTO return_rows (file_id, source_row, village_code, period, household_id, head_name, "
                "head_id_number, is_quarantined) VALUES (2, 5, '430521100002', ?, '4305211000020003', '周九', "
                "'430521197709099999', TRUE)", [PERIOD])
    for facts in ("file_missing_households", "file_report_dates"):  # as the load notes them of the rows it writes
        db.run(con, f"schema/backfill/{facts}")
    if "households_data_missing" not in {n for (n,) in con.execute("SELECT view_name FROM duckdb_views()").fetchall()}:
        create_missing_tables(con, ["households_data_missing"])  # until the validation branch's view is merged
        con.execute("INSERT INTO households_data_missing VALUES ('430521', '430521100002', '4305211000020003', ?, "
                    "2, '430521100002_202003.xlsx', [5], 'ROW_NOT_NUMBER')", [PERIOD])
    if not with_projection:
        return con
    create_missing_tables(con, ["household_status", "village_signals", "projection_accuracy"])
    rows = [status_row(h, p, step) for h in HOUSEHOLDS for step, p in enumerate(PERIODS)]
    con.executemany(f"INSERT INTO household_status VALUES ({', '.join(['?'] * 29)})", rows)
    store_status_figures(con, {(h[0][:6], p): "fixture" for h in HOUSEHOLDS for p in PERIODS})  # as a run records them
    con.executemany("INSERT INTO village_signals VALUES (?, ?, ?, ?, ?, ?)", [
        ("430521", "430521101", "430521101001", PERIOD, "MISSING_RETURN", "本月未收到报表"),
        ("430521", "430521100", "430521100002", PERIOD, "THRESHOLD_BUNCHING", "线上10%内12户，线下10%内1户 <b>"),
        ("430522", "430522100", "430522100001", PERIOD, "MISSING_RETURN", "本月报表被拒收"),
    ])
    con.executemany("INSERT INTO projection_accuracy VALUES (?, ?, ?, ?, ?, ?, ?)", [
        (year, month, method, err * (1 + (year - 2018) / 10), 0.8, 0.7, 0.8 if method == "seasonal" else None)
        for year in (2018, 2019) for month in range(1, 13)
        for method, err in (("seasonal", 0.3 / month), ("county_shares", 0.45 / month), ("naive", 0.6 / month))])
    return con
