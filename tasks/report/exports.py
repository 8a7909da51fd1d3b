"""Exports: the CSV files users rely on (UTF-8 with BOM, header row, one record per line)."""
from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from core import db
from core.files import atomic_path


def defuse_text(name: str) -> pl.Expr:
    """A text column on one line, each cell safe from Excel running it as a formula."""
    one_line = pl.col(name).str.replace_all(r"[\r\n]+", " ")
    return pl.when(one_line.str.contains(r"^[=+@\t]")).then(pl.lit("'") + one_line).otherwise(one_line).alias(name)


def columns_to_defuse(frame: pl.DataFrame) -> list[str]:
    """The text columns with a cell that defuse_text would change (a line break, or a formula's first character):
    one pass over each column, where defusing every column costs two regex passes and a rewrite."""
    text_columns = [c for c, t in frame.schema.items() if t == pl.Utf8]
    if not text_columns or frame.height == 0:
        return []
    found = frame.select([pl.col(c).str.contains(r"[\r\n]|^[=+@\t]").any() for c in text_columns]).row(0)
    return [c for c, is_risky in zip(text_columns, found) if is_risky]


def write_csv(frame: pl.DataFrame, path: Path) -> Path:
    """Write a frame as the exports' CSV format, atomically (readers never see half a file)."""
    safe = frame.with_columns([defuse_text(c) for c in columns_to_defuse(frame)])
    with atomic_path(path) as partial:
        safe.write_csv(partial, include_bom=True, line_terminator="\n", null_value="")
    return path


def write_exports(con: duckdb.DuckDBPyConnection, exports_dir: Path, as_of: str | None) -> dict[str, Path]:
    """Write every export the pipeline has so far (flags and signals of the as-of month); returns name -> path."""
    written = {"problems": write_csv(db.frame(con, "exports/problems"), exports_dir / "problems.csv")}
    if as_of and db.has_table(con, "household_status") and db.has_table(con, "village_signals"):
        for name in ("flags", "village_signals"):
            written[name] = write_csv(db.frame(con, f"exports/{name}", {"period": as_of}), exports_dir / f"{name}.csv")
    return written
