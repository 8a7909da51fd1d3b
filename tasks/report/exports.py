"""Exports: the CSV files users rely on (UTF-8 with BOM, header row, one record per line)."""
from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from core import db
from core.files import atomic_path
from tasks.report.cells import columns_to_defuse, defuse_text, safe_text  # noqa: F401 (re-exported)
from tasks.report.twins import write_twins


def write_csv(frame: pl.DataFrame, path: Path) -> Path:
    """Write a frame as the exports' CSV format, atomically (readers never see half a file)."""
    safe = safe_text(frame)
    with atomic_path(path) as partial:
        safe.write_csv(partial, include_bom=True, line_terminator="\n", null_value="")
    return path


# the CSVs' columns (interface.md), taken from their workbooks' rows: one query of the store serves both files
# (a province's flags and problems were read twice, ~1 s)
PROBLEMS_CSV = ["file", "village_code", "period", "row", "household_id", "code", "level", "detail"]
FLAGS_CSV = ["county_code", "township_code", "village_code", "household_id", "head_name_masked", "head_id_masked",
             "household_type", "household_size", "period", pl.col("projected_per_capita_text").alias(
                 "projected_per_capita"), "flags", "reasons", "suggested_measure"]


def write_exports(con: duckdb.DuckDBPyConnection, exports_dir: Path, as_of: str | None,
                  near_line_factor: float | None = None) -> dict[str, Path]:
    """Write every export the pipeline has so far (flags and signals of the as-of month), each CSV with its .xlsx
    twin; returns name -> path (the twins as <name>_xlsx). near_line_factor: the as-of income year's, so that a
    NEAR_LINE household's projection never reads as its limit (without it, it is rounded)."""
    rows = {"problems": db.frame(con, "exports/problems_workbook")}
    written = {"problems": write_csv(rows["problems"].select(PROBLEMS_CSV), exports_dir / "problems.csv")}
    # without an as-of month (no return received yet) the flags and signals are written too, with no row: the
    # files users and their scripts rely on are there from the first run
    if db.has_table(con, "household_status") and db.has_table(con, "village_signals"):
        rows["flags"] = db.frame(con, "exports/flags_workbook",
                                 {"period": as_of, "near_line_factor": near_line_factor})
        written["flags"] = write_csv(rows["flags"].select(FLAGS_CSV), exports_dir / "flags.csv")
        written["village_signals"] = write_csv(db.frame(con, "exports/village_signals", {"period": as_of}),
                                               exports_dir / "village_signals.csv")
    return {**written, **write_twins(con, exports_dir, as_of, rows)}
