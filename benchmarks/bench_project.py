"""Benchmark: projection + flags + village signals for 150,000 households with two years of history.

Builds a synthetic store directly (no files): 3,000 villages of 50 households in 3 counties, returns for
every month from October 2017 to February 2020 (4.35 million rows), times the project and flag steps built
from scratch, then adds March 2020 and times them again (the marts are kept: only the new month is computed),
and once more with nothing new.
Usage: python benchmarks/bench_project.py [--households 150000] [--db path]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import db  # noqa: E402
from core.settings import load_settings  # noqa: E402
from tasks.marts import backtest, flag, project  # noqa: E402
from tasks.ingest.load import ROW_COLUMNS  # noqa: E402

PERIODS = [f"{y}{m:02d}" for y in (2017, 2018, 2019, 2020) for m in range(1, 13)
           if "201710" <= f"{y}{m:02d}" <= "202003"]
AS_OF = "202003"
PER_VILLAGE = 50


def build_store(con, households: int, periods: list[str], seed: int = 1) -> None:
    """Insert the reference list, one loaded file per village × period of periods, and their household rows."""
    rng = np.random.default_rng(seed)
    villages = [f"4305{21 + c:02d}{t:03d}{v:03d}" for c in range(3) for t in range(1, 21) for v in range(1, 51)]
    villages = villages[: max(1, households // PER_VILLAGE)]
    units = [{"code": v, "name": "村", "level": "village", "parent_code": v[:9], "management_area": False}
             for v in villages]
    con.register("units", pl.DataFrame(units))
    db.run(con, "load/replace_admin_units")
    n = len(villages) * PER_VILLAGE
    household_ids = np.array([f"{v}{i:04d}" for v in villages for i in range(1, PER_VILLAGE + 1)])
    size = rng.integers(1, 7, n)
    annual = rng.lognormal(np.log(9000), 0.4, (n, 1)) * size[:, None] * np.array([[0.55, 0.3, 0.02, 0.2, 0.07]])
    profile = np.cumsum(rng.dirichlet(np.ones(12) * 3, 5), axis=1)  # (5, 12) cumulative shares
    files, frames = [], []
    for period in periods:
        p_index = PERIODS.index(period)
        month = (int(period[4:]) + 2) % 12
        for v_index, village in enumerate(villages):
            files.append({"file_id": p_index * len(villages) + v_index + 1, "sha256": f"{village}{period}",
                          "file_name": f"{village}_{period}.csv", "first_path": f"{village}_{period}.csv",
                          "size_bytes": 1, "village_code": village, "period": period, "correction_rank": 1,
                          "ingest_run_id": 1, "ingested_at": datetime(2020, 4, 1), "status": "loaded"})
        amounts = np.round(annual * profile[:, month][None, :] * rng.lognormal(0, 0.05, (n, 5)), 2)
        frames.append(pl.DataFrame({
            "file_id": (p_index * len(villages) + np.arange(n) // PER_VILLAGE + 1).astype(np.int32),
            "source_row": (np.arange(n) % PER_VILLAGE + 2).astype(np.int32),
            "village_code": np.repeat(villages, PER_VILLAGE), "period": period, "household_id": household_ids,
            "head_name": "张三", "head_id_number": "430521199001011234", "household_size": size.astype(np.int32),
            "labor_count": np.minimum(size, 2).astype(np.int32), "household_type": "脱贫户",
            "wage_income": amounts[:, 0], "business_income": amounts[:, 1], "property_income": amounts[:, 2],
            "transfer_income": amounts[:, 3], "business_expense": amounts[:, 4],
            "housing_safe": rng.random(n) > 0.02, "water_safe": True, "dropout_count": 0,
            "insured_count": size.astype(np.int32), "is_quarantined": False,
        }))
    con.register("batch_files", pl.DataFrame(files))
    db.run(con, "load/insert_source_files")
    rows = pl.concat(frames)
    missing = [c for c in ROW_COLUMNS if c not in rows.columns]
    con.register("batch_rows", rows.with_columns([pl.lit(None).alias(c) for c in missing]).select(ROW_COLUMNS))
    con.execute("INSERT INTO return_rows BY NAME SELECT * FROM batch_rows").fetchall()


def time_steps(con, settings, as_of: str, label: str) -> None:
    """Run and time the project and flag steps as the nightly flow does; print the figures."""
    timings = {}
    started = time.perf_counter()
    project.project_household_income(con, settings)
    timings["project"] = time.perf_counter() - started
    mark = time.perf_counter()
    backtest.measure_projection(con)
    timings["backtest table"] = time.perf_counter() - mark
    mark = time.perf_counter()
    flag.flag_households(con, settings, as_of)
    timings["flag households"] = time.perf_counter() - mark
    mark = time.perf_counter()
    flag.signal_villages(con, as_of)
    timings["village signals"] = time.perf_counter() - mark
    total = time.perf_counter() - started
    households = db.scalar(con, "SELECT count(DISTINCT household_id) FROM household_status")
    flagged = db.scalar(con, "SELECT count(*) FROM household_status WHERE period = ? AND flags <> ''", [as_of])
    print(f"{label}:")
    for name, seconds in timings.items():
        print(f"{name:>16}: {seconds:6.2f} s")
    print(f"project + flag for {households:,} households ({flagged:,} flagged at {as_of}): {total:.2f} s")


def main() -> None:
    """Build the store without its last month, time the steps from scratch, add the month, time them again."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=150_000)
    parser.add_argument("--db", help="DuckDB file to use (default: a temporary file)")
    args = parser.parse_args()
    path = Path(args.db) if args.db else Path(tempfile.mkdtemp(prefix="povmon-bench-")) / "bench.duckdb"
    con = db.connect(path)
    settings = load_settings(None, environ={})
    if not db.scalar(con, "SELECT count(*) FROM return_rows"):
        started = time.perf_counter()
        build_store(con, args.households, PERIODS[:-1])
        print(f"built store: {db.scalar(con, 'SELECT count(*) FROM return_rows'):,} rows "
              f"in {time.perf_counter() - started:.1f} s ({path})")
        time_steps(con, settings, PERIODS[-2], "from scratch (marts built for every month)")
        build_store(con, args.households, PERIODS[-1:], seed=2)
    time_steps(con, settings, AS_OF, f"increment ({AS_OF} added)")
    time_steps(con, settings, AS_OF, "nothing new")
    con.close()


if __name__ == "__main__":
    main()
