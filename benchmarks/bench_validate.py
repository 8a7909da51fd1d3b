"""Benchmark: validation of one month of a synthetic city (row suite with GX + Polars, history suite).

    PYTHONPATH=. python benchmarks/bench_validate.py --city /tmp/city --period 202003
(--city: a root made by povmon.synth.generate_city, e.g. scale="city" for ~150,000 rows a month; without it
the small city is generated in a temporary folder). Prints times and the outlier rate on clean rows."""
from __future__ import annotations

import argparse
import csv
import tempfile
import time
from datetime import datetime
from pathlib import Path

import polars as pl

from core import db
from core.settings import load_settings
from tasks.validate.clean import clean_batch
from tasks.ingest.discover import parse_return_name
from tasks.validate.history import check_history
from tasks.ingest.batch import FILE_SCHEMA
from tasks.ingest.load import load_batch, mark_quarantine
from tasks.ingest.parse import parse_return
from tasks.validate.checks import validate_batch


def previous_period(period: str) -> str:
    """The month before a YYYYMM period."""
    year, month = int(period[:4]), int(period[4:])
    return f"{year - 1}12" if month == 1 else f"{year}{month - 1:02d}"


def read_month(inbox: Path, period: str, first_file_id: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The readable files of a month (the latest version per village) as a file frame and a raw row frame."""
    chosen: dict[str, tuple] = {}
    for path in sorted(inbox.rglob(f"*_{period}*")):
        name = parse_return_name(path.name)
        if name.invalid_reason or name.period != period:
            continue
        if name.village_code not in chosen or chosen[name.village_code][0].correction_rank < name.correction_rank:
            chosen[name.village_code] = (name, path)
    files, frames = [], []
    for offset, (name, path) in enumerate(sorted(chosen.values(), key=lambda c: c[1].name)):
        parsed = parse_return(path.read_bytes(), name.extension)
        if parsed.problem_code:
            continue
        file_id = first_file_id + offset
        files.append({"file_id": file_id, "sha256": f"bench{file_id}", "file_name": path.name, "first_path": path.name,
                      "size_bytes": path.stat().st_size, "village_code": name.village_code, "period": period,
                      "correction_rank": name.correction_rank, "ingest_run_id": 1, "ingested_at": datetime.now(),
                      "status": "loaded", "file_format": name.extension, "encoding": parsed.encoding,
                      "header_row": parsed.header_row, "rows_read": parsed.rows_read, "rows_skipped": parsed.rows_skipped})
        frames.append(parsed.frame.with_columns(pl.lit(file_id, pl.Int32).alias("file_id"),
                                                pl.lit(name.village_code).alias("village_code"), pl.lit(period).alias("period")))
    return pl.DataFrame(files, schema=FILE_SCHEMA), pl.concat(frames)


def timed(label: str, action):
    """Run action, print how long it took, return its result."""
    start = time.perf_counter()
    result = action()
    print(f"{label:<46} {time.perf_counter() - start:7.2f} s")
    return result


def main() -> None:
    """Parse a month and its previous month, then time cleaning, the row suite and the history suite."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--city", type=Path)
    parser.add_argument("--period", default="202003")
    args = parser.parse_args()
    city = args.city
    if city is None:
        from povmon.synth import generate_city
        city = Path(tempfile.mkdtemp(prefix="bench-city-"))
        generate_city(city, seed=7, scale="small", as_of=args.period)
    settings = load_settings()
    con = db.connect(":memory:")
    timed("import great_expectations (once per process)", lambda: __import__("great_expectations"))
    for run_id, period in enumerate([previous_period(args.period), args.period], start=1):
        files, raw = timed(f"parse {period}", lambda: read_month(city / "inbox", period, 1 + 10_000 * (run_id - 1)))
        files = files.with_columns(pl.lit(run_id, pl.Int32).alias("ingest_run_id"))
        print(f"{'rows of ' + period:<46} {raw.height:7d}")
        cleaned = timed(f"clean {period}", lambda: clean_batch(raw))
        if period == args.period:
            timed("row suite, Polars only (every failing row)", lambda: validate_batch(cleaned, with_gx=False))
        checked = timed(f"row suite, GX counts + Polars rows {period}", lambda: validate_batch(cleaned))
        load_batch(con, run_id, files, mark_quarantine(cleaned, checked.problems), checked.problems,
                   pl.DataFrame(schema={"path": pl.Utf8}), results=checked.results)
        history = timed(f"history suite {period} (SQL + GX + Polars)",
                        lambda: check_history(con, settings, run_id, files["file_id"].to_list()))
    flagged = history.problems.filter(pl.col("code") == "ROW_OUTLIER")
    current = set(files["file_name"])
    planted = {(r["file"], int(r["row"])) for r in csv.DictReader((city / "truth" / "planted.csv").open(encoding="utf-8"))
               if r["code"] == "ROW_OUTLIER" and r["file"] in current}
    names = dict(zip(files["file_id"], files["file_name"]))
    false_alarms = sum((names[f], r) not in planted for f, r in zip(flagged["file_id"], flagged["source_row"]))
    used = db.scalar(con, "SELECT count(*) FROM households_current WHERE period = ?", [args.period])
    print(f"{'outliers flagged / planted in this month':<46} {flagged.height:7d} / {len(planted)}")
    print(f"{'clean rows flagged as outliers':<46} {false_alarms:7d} of {used} used rows "
          f"({100 * false_alarms / max(used, 1):.3f} %)")


if __name__ == "__main__":
    main()
