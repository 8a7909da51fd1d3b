"""Run a generated province (or any inbox laid out <county>/<YYYYMM>/) month by month, as nights would, with one or
more checkouts of povmon in turns, each on a store of its own; print each run's wall time and its step lines.

A store bootstrapped from many months holds its marts as a bootstrap writes them (a few counties at a time); a store
fed night by night holds what nights write (each month for every county at once). Old code against new:

    python benchmarks/bench_generate.py /tmp/pv --first 201804 --last 201810
    python benchmarks/month_by_month.py /tmp/pv /tmp/months 201804 201805 ... 201810 --tree old=/path/to/old/checkout

Each tree's store and out are under WORK/<name>/; the inbox files are hard-linked. --today is the 15th of the month
after each as-of month. Prefect's home: POVMON_PREFECT_HOME (default benchmarks/data/prefect_home).
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STEP_LINES = ("read:", "load:", "project:", "flag:", "cases:", "exports:", "pages:")


def next_month_15th(period: str) -> str:
    """The 15th of the month after a YYYYMM month, as YYYY-MM-DD."""
    year, month = int(period[:4]), int(period[4:])
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return f"{year:04d}-{month:02d}-15"


def deliver(source: Path, inbox: Path, period: str) -> int:
    """Hard-link every county's folder of the month into the inbox; returns the files delivered."""
    count = 0
    for county in sorted(p for p in (source / "inbox").iterdir() if p.is_dir()):
        month = county / period
        if month.is_dir():
            shutil.copytree(month, inbox / county.name / period, copy_function=os.link)
            count += sum(1 for _ in month.iterdir())
    return count


def run_month(tree: Path, work: Path, period: str) -> tuple[float, list[str]]:
    """One `povmon run` of the month from a checkout on its store; its wall time and step lines."""
    env = {**os.environ, "PYTHONPATH": str(tree), "POVMON_SETTLE_SECONDS": "0"}
    env.setdefault("POVMON_PREFECT_HOME", str(ROOT / "benchmarks" / "data" / "prefect_home"))
    subprocess.run(["sync"], check=False)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "povmon.cli", "run", "--inbox", str(work / "inbox"), "--reference",
                           str(work / "reference"), "--db", str(work / "povmon.duckdb"), "--out", str(work / "out"),
                           "--as-of", period, "--today", next_month_15th(period)],
                          cwd=tree, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    (work / f"run_{period}.log").write_text(done.stdout + done.stderr, encoding="utf-8")
    if done.returncode != 0:
        raise SystemExit(f"{tree}: the run of {period} failed ({done.returncode}); see {work}/run_{period}.log")
    return wall, [line for line in (done.stdout + done.stderr).splitlines()
                  if line[:2].isdigit() and any(step in line for step in STEP_LINES)]  # "HH:MM:SS step: ..."


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="a generated folder with inbox/ and reference/")
    parser.add_argument("work", type=Path)
    parser.add_argument("months", nargs="+")
    parser.add_argument("--tree", action="append", default=[], metavar="NAME=PATH",
                        help="another checkout to run in turns (this one is 'new')")
    args = parser.parse_args()
    trees = {"new": ROOT, **{name: Path(path).resolve() for name, path in (t.split("=", 1) for t in args.tree)}}
    for name in trees:
        work = args.work / name
        if work.exists():
            shutil.rmtree(work)
        (work / "inbox").mkdir(parents=True)
        shutil.copytree(args.source / "reference", work / "reference")
    for period in args.months:
        for name, tree in trees.items():
            files = deliver(args.source, args.work / name / "inbox", period)
            wall, steps = run_month(tree, args.work / name, period)
            print(f"{period} {name}: {files} files, {wall:.1f} s", flush=True)
            for line in steps:
                print(f"    {line}", flush=True)


if __name__ == "__main__":
    main()
