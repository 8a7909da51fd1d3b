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


def write_exports(con: duckdb.DuckDBPyConnection, exports_dir: Path, as_of: str | None) -> dict[str, Path]:
    """Write every export the pipeline has so far (flags and signals of the as-of month), each CSV with its .xlsx
    twin; returns name -> path (the twins as <name>_xlsx)."""
    written = {"problems": write_csv(db.frame(con, "exports/problems"), exports_dir / "problems.csv")}
    if as_of and db.has_table(con, "household_status") and db.has_table(con, "village_signals"):
        for name in ("flags", "village_signals"):
            written[name] = write_csv(db.frame(con, f"exports/{name}", {"period": as_of}), exports_dir / f"{name}.csv")
    return {**written, **write_twins(con, exports_dir, as_of, written)}
