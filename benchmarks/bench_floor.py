"""The engines' floor for an increment: Polars scan_csv of its CSV files into one frame, then one DuckDB group-by.

Usage: python benchmarks/bench_floor.py FILE_LIST   (one CSV path a line); prints one JSON line.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb
import polars as pl


def scan(path: str | list[str]) -> pl.LazyFrame:
    """The files' cells as text (header rows included: they are data to a plain scan)."""
    return pl.scan_csv(path, has_header=False, infer_schema=False, encoding="utf8-lossy", truncate_ragged_lines=True)


def scannable(path: str) -> bool:
    """Whether Polars can scan the file at all (the planted empty and truncated files cannot)."""
    try:
        scan(path).collect()
    except (pl.exceptions.PolarsError, OSError):
        return False
    return True


def measure(paths: list[str]) -> dict:
    """Seconds to scan every file into one frame (text cells, header row included) and to group it in DuckDB."""
    by_width: dict[int, list[str]] = {}  # not timed; the files are in the page cache as for the run
    for path in paths:
        if scannable(path):
            by_width.setdefault(len(scan(path).collect_schema()), []).append(path)
    started = time.perf_counter()
    # one scan_csv per width (a multi-file scan needs one schema), into one frame
    frame = pl.concat([scan(group) for group in by_width.values()], how="diagonal").collect()
    scanned = time.perf_counter()
    con = duckdb.connect()
    con.register("increment", frame)
    groups = con.execute("SELECT column_1, count(*), max(column_2) FROM increment GROUP BY column_1").fetchall()
    grouped = time.perf_counter()
    return {"files": sum(len(g) for g in by_width.values()), "rows": frame.height, "scan_seconds": scanned - started,
            "group_by_seconds": grouped - scanned, "groups": len(groups)}


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]).read_text(encoding="utf-8").splitlines())))
