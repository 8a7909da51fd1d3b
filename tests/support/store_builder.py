"""Hand-built stores for unit tests: returns inserted straight into a real in-memory DuckDB via the schema."""
from __future__ import annotations

from datetime import datetime

import polars as pl

from core import db
from core.settings import load_settings
from core.settings_checks import checked_band_defaults
from tasks.ingest.load import ROW_COLUMNS, refresh_every_current_file

COUNTY = "430521"
VILLAGE = "430521100001"

ROW_SCHEMA = {
    "file_id": pl.Int32, "source_row": pl.Int32, "village_code": pl.Utf8, "period": pl.Utf8,
    "household_id": pl.Utf8, "head_name": pl.Utf8, "head_id_number": pl.Utf8, "household_size": pl.Int32,
    "labor_count": pl.Int32, "household_type": pl.Utf8, "wage_income": pl.Float64, "business_income": pl.Float64,
    "property_income": pl.Float64, "transfer_income": pl.Float64, "business_expense": pl.Float64,
    "last_year_per_capita": pl.Float64, "housing_safe": pl.Boolean, "water_safe": pl.Boolean,
    "dropout_count": pl.Int32, "insured_count": pl.Int32, "risk_causes": pl.Utf8, "report_date": pl.Date,
    "extra_columns": pl.Utf8, "is_quarantined": pl.Boolean,
}


def household_row(household_id: str, period: str, wage: float = 0.0, business: float = 0.0,
                  property_: float = 0.0, transfer: float = 0.0, expense: float = 0.0, size: int = 4,
                  **other) -> dict:
    """One return row with sensible defaults (safe housing and water, everyone insured, one labourer)."""
    row = {"household_id": household_id, "period": period, "village_code": household_id[:12],
           "head_name": "张三", "head_id_number": "430521199001011234", "household_size": size,
           "labor_count": 1, "household_type": "脱贫户", "wage_income": wage, "business_income": business,
           "property_income": property_, "transfer_income": transfer, "business_expense": expense,
           "last_year_per_capita": None, "housing_safe": True, "water_safe": True, "dropout_count": 0,
           "insured_count": size, "risk_causes": None, "report_date": None, "extra_columns": None,
           "is_quarantined": False}
    row.update(other)
    return row


def build_store(rows: list[dict], villages: list[str] | None = None, rejected: list[tuple[str, str]] = ()):
    """An in-memory store holding these rows, one loaded file per village × period, and the reference list."""
    con = db.connect(":memory:")
    villages = sorted(set(villages or []) | {r["village_code"] for r in rows})
    units = [{"code": v[:6], "name": "县", "level": "county", "parent_code": None, "management_area": False}
             for v in sorted({v[:6] for v in villages})]
    units += [{"code": v[:9], "name": "乡", "level": "township", "parent_code": v[:6], "management_area": False}
              for v in sorted({v[:9] for v in villages})]
    units += [{"code": v, "name": "村", "level": "village", "parent_code": v[:9], "management_area": False}
              for v in villages]
    con.register("units", pl.DataFrame(units))
    db.run(con, "load/replace_admin_units")
    con.unregister("units")
    keys = sorted({(r["village_code"], r["period"]) for r in rows})
    file_ids = {key: i + 1 for i, key in enumerate(keys)}
    files = [{"file_id": i, "sha256": f"h{i}", "file_name": f"{v}_{p}.csv", "first_path": f"{v}_{p}.csv",
              "size_bytes": 1, "village_code": v, "period": p, "correction_rank": 1, "ingest_run_id": 1,
              "ingested_at": datetime(2020, 4, 1), "status": "loaded", "rows_read": 0}
             for (v, p), i in file_ids.items()]
    files += [{"file_id": 1000 + i, "sha256": f"r{i}", "file_name": f"{v}_{p}.csv", "first_path": f"x/{v}_{p}.csv",
               "size_bytes": 1, "village_code": v, "period": p, "correction_rank": 1, "ingest_run_id": 1,
               "ingested_at": datetime(2020, 4, 1), "status": "rejected", "rows_read": 0}
              for i, (v, p) in enumerate(rejected)]
    con.register("batch_files", pl.DataFrame(files))
    db.run(con, "load/insert_source_files")
    con.unregister("batch_files")
    refresh_every_current_file(con)  # what load_batch keeps as it writes the files
    if rows:
        counters: dict[int, int] = {}
        full = []
        for r in rows:
            file_id = file_ids[(r["village_code"], r["period"])]
            counters[file_id] = counters.get(file_id, 1) + 1
            full.append({**r, "file_id": file_id, "source_row": counters[file_id]})
        con.register("batch_rows", pl.DataFrame(full, schema=ROW_SCHEMA).select(ROW_COLUMNS))
        db.run(con, "load/insert_return_rows")
        con.unregister("batch_rows")
    return con


def settings_with(**changes):
    """Default settings with some fields replaced (checked as a settings file's are: one history prior is every
    month's)."""
    settings = load_settings(None, environ={})
    return checked_band_defaults(settings.__class__(**{**settings.__dict__, **changes}))


def year_periods(income_year: int, last_month: int = 12) -> list[str]:
    """The YYYYMM periods of an income year from October up to a month of the income year."""
    months = [(income_year - 1, m) for m in (10, 11, 12)] + [(income_year, m) for m in range(1, 10)]
    return [f"{y}{m:02d}" for y, m in months[:last_month]]


def linear_year(household_id: str, income_year: int, last_month: int = 12, size: int = 4, **annual) -> list[dict]:
    """Rows of one household for an income year whose every amount accrues evenly (ytd = annual × month / 12).

    annual takes wage, business, property_, transfer, expense (year totals); other keywords go to every row.
    """
    amounts = {k: annual.pop(k) for k in ("wage", "business", "property_", "transfer", "expense") if k in annual}
    return [household_row(household_id, period, size=size, **{k: v * m / 12 for k, v in amounts.items()}, **annual)
            for m, period in enumerate(year_periods(income_year, last_month), start=1)]


def rebuild_marts(con, settings, as_of: str) -> None:
    """Run the projection, flag and signal steps on a store, as the nightly flow does."""
    from tasks.marts import backtest, flag, project

    project.project_household_income(con, settings)
    backtest.measure_projection(con)
    flag.flag_households(con, settings, as_of)
    flag.signal_villages(con, as_of)


def status_of(con, period: str) -> dict[str, dict]:
    """household_status rows of a period by household_id."""
    found = con.sql("SELECT * FROM household_status WHERE period = ?", params=[period]).pl()
    return {row["household_id"]: row for row in found.iter_rows(named=True)}


def save_store(memory, path) -> None:
    """Copy the built store's tables into the DuckDB file at path (whose schema exists), then close it."""
    # ATTACH takes no bound parameters, and table names cannot be bound: both are ours, not input
    memory.execute(f"ATTACH '{path}' AS target").fetchall()
    for table in ("admin_units", "source_files", "current_file_versions", "return_rows"):
        memory.execute(f"INSERT INTO target.{table} SELECT * FROM {table}").fetchall()
    memory.close()


def add_correction(con, village: str, period: str, factor: float) -> None:
    """A later run brings a correction (_更正) of one village × period whose wages are factor times the original."""
    con.execute("""INSERT INTO source_files (file_id, sha256, file_name, first_path, size_bytes, village_code, period,
                                             correction_rank, ingest_run_id, ingested_at, status, rows_read)
                   SELECT 9000, 'corr', file_name || '_更正', first_path, 1, village_code, period, 2, 2,
                          ingested_at, 'loaded', 0
                   FROM source_files WHERE village_code = ? AND period = ? AND status = 'loaded'""",
                [village, period]).fetchall()
    refresh_every_current_file(con)
    con.execute("""INSERT INTO return_rows SELECT * REPLACE (9000 AS file_id, wage_income * ? AS wage_income)
                   FROM return_rows WHERE file_id = (SELECT file_id FROM source_files
                                                     WHERE village_code = ? AND period = ? AND file_id <> 9000)""",
                [factor, village, period]).fetchall()
