"""The top table of docs/projection-backtest.md ("Where it stands"), by one command: for each synthetic city, `povmon
demo --seed S --calendars MIX --scale SCALE --as-of 202109 --no-run`, one bootstrapping `povmon run --today
2021-10-20`, `povmon backtest --format csv`; then a markdown row per city × backtested year (seasonal error below
naive at every month 1–11, month 3 and 6 errors, month 6 BELOW_LINE precision and recall, coverage and the months
outside 75–85 %), and each run's `project` step seconds.

    python benchmarks/backtest_table.py WORK                       # the five small cities of the table
    python benchmarks/backtest_table.py WORK --city 7:demo --scale city
    python benchmarks/backtest_table.py WORK --reuse               # tabulate stores already built under WORK

Each city is built in WORK/<scale>-<seed>-<mix>/ (a store already there is rebuilt unless --reuse). Seeds 7 and 11
fitted the settings' band defaults; any other seed is held out.
"""
from __future__ import annotations

import argparse
import csv
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POVMON = [str(Path(sys.executable).parent / "povmon")]  # the console script beside this interpreter
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}  # this checkout's code, whichever checkout installed the script
CITIES = ["7:demo", "11:unseen", "13:unseen", "17:demo", "19:unseen"]
FITTED = {7, 11}
COVERAGE_RANGE = (0.75, 0.85)


def build(folder: Path, seed: int, mix: str, scale: str) -> None:
    """Make a synthetic city in folder, bootstrap its store in one run and write its backtest to backtest.csv."""
    shutil.rmtree(folder, ignore_errors=True)
    subprocess.run([*POVMON, "demo", "--seed", str(seed), "--calendars", mix, "--scale", scale, "--as-of", "202109",
                    "--no-run", "--quiet", "--dir", str(folder)], cwd=ROOT, env=ENV, check=True)
    paths = ["--inbox", str(folder / "inbox"), "--reference", str(folder / "reference"),
             "--db", str(folder / "povmon.duckdb"), "--out", str(folder / "out")]
    with open(folder / "run.log", "w") as log:
        subprocess.run([*POVMON, "run", *paths, "--today", "2021-10-20"], cwd=ROOT, env=ENV, check=True,
                       stdout=log, stderr=subprocess.STDOUT)
    with open(folder / "backtest.csv", "w") as out:
        subprocess.run([*POVMON, "backtest", *paths, "--format", "csv"], cwd=ROOT, env=ENV, check=True, stdout=out)


def read_backtest(path: Path) -> dict[tuple[int, int, str], dict[str, float | None]]:
    """`povmon backtest --format csv` keyed by (year, month, method)."""
    with open(path, newline="") as f:
        return {(int(r["income_year"]), int(r["month"]), r["method"]):
                {k: float(v) if v else None for k, v in r.items() if k not in ("income_year", "month", "method")}
                for r in csv.DictReader(f)}


def year_row(label: str, year: int, rows: dict) -> str:
    """One markdown row of the table for a city's backtested year."""
    seasonal = {m: rows[(year, m, "seasonal")] for m in range(1, 12)}
    below_naive = all(seasonal[m]["median_abs_pct_error"] < rows[(year, m, "naive")]["median_abs_pct_error"]
                      for m in range(1, 12))
    cover = {m: seasonal[m]["coverage"] for m in range(1, 12)}
    misses = [f"m{m} {100 * c:.1f}" for m, c in cover.items() if not COVERAGE_RANGE[0] <= c <= COVERAGE_RANGE[1]]
    inside = f"{11 - len(misses)}/11" + (f": {', '.join(misses)}" if misses else "")
    m6 = seasonal[6]
    return (f"| {label} | {year} | {'yes' if below_naive else 'NO'} | "
            f"{100 * seasonal[3]['median_abs_pct_error']:.1f} % | {100 * m6['median_abs_pct_error']:.1f} % | "
            f"{m6['below_line_precision']:.2f} | {m6['below_line_recall']:.2f} | "
            f"{100 * min(cover.values()):.1f}–{100 * max(cover.values()):.1f} % ({inside}) |")


def project_seconds(run_log: Path) -> str:
    """The `project` step's seconds from a run's step lines."""
    found = re.search(r"project: .* in ([0-9.]+) s", run_log.read_text()) if run_log.exists() else None
    return found.group(1) if found else "?"


def main(argv: list[str] | None = None) -> int:
    """Build (or reuse) each city's store and print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("work", type=Path, help="folder for the cities' stores")
    parser.add_argument("--city", action="append", help="SEED:MIX (repeatable; default: the table's five)")
    parser.add_argument("--scale", default="small", choices=["small", "city"])
    parser.add_argument("--reuse", action="store_true", help="tabulate a store already built instead of rebuilding")
    args = parser.parse_args(argv)
    print("| city | year | below naive m1–11 | m3 err | m6 err | m6 prec | m6 recall | coverage (months in 75–85 %) |")
    print("|---|---|---|---:|---:|---:|---:|---|")
    timings = []
    for city in args.city or CITIES:
        seed, mix = city.split(":")
        folder = args.work / f"{args.scale}-{seed}-{mix}"
        if not (args.reuse and (folder / "backtest.csv").exists()):
            build(folder, int(seed), mix, args.scale)
        rows = read_backtest(folder / "backtest.csv")
        role = "fitted" if int(seed) in FITTED and args.scale == "small" else "held out"  # fitted on small cities
        label = f"{'city scale' if args.scale == 'city' else mix + ' mix'} (seed {seed}, {role})"
        for year in sorted({y for y, _, _ in rows}):
            print(year_row(label, year, rows))
        timings.append(f"{label}: project {project_seconds(folder / 'run.log')} s")
    print()
    print("\n".join(timings))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
