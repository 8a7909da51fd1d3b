"""`make bench`: time povmon at city and province scale as whole processes, beside the engines' floor.

For each scale: generate the city with `povmon demo --no-run` (reused when already under benchmarks/data/),
bootstrap a store from all its history, deliver one new month of files for every village and run the
nightly increment, rerun one village (city: also the increment without and with a month's 12 department files,
benchmarks/bench_dept_increment.py); time the floor (Polars scan_csv of the increment's CSV files into
one frame, one DuckDB group-by). Prints the table and writes docs/performance.md.
Usage: python benchmarks/run_all.py [--scale city|province|all] [--skip-province] [--seed N] [--report-only]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_data import DATA, DEFAULT_SEED, ROOT, SETUPS, Setup, add_files, fresh_work, prepare, python_env  # noqa: E402
from benchmarks.bench_measure import Measured, measure_floor, povmon, run_process, step_seconds  # noqa: E402
from benchmarks.bench_report import format_table, write_performance_doc  # noqa: E402
from benchmarks.bench_dept_increment import measure_department_increment, snapshot  # noqa: E402

SUMMARY = re.compile(r"completed in [\d.]+ s: as-of (\d+), (\d+) new files \((\d+) loaded, (\d+) rejected\), (\d+) rows")


def timed_run(args: list[str], prefect_home: Path) -> dict:
    """A whole povmon process, its summary line's counts and its Prefect step times."""
    measured: Measured = run_process(args)
    steps, flow_seconds = step_seconds(prefect_home)
    found = SUMMARY.search(measured.output)
    counts = dict(zip(["as_of", "files_new", "files_loaded", "files_rejected", "rows"], found.groups())) if found else {}
    return {"seconds": measured.seconds, "peak_tree_mb": measured.peak_tree_mb,
            "peak_process_mb": measured.peak_process_mb, "flow_seconds": flow_seconds, "steps": steps,
            "counts": {k: (v if k == "as_of" else int(v)) for k, v in counts.items()}, "output": measured.output[-2000:]}


def warm_prefect() -> dict:
    """Run once on an empty inbox so Prefect's home exists (its first start migrates a database)."""
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "inbox").mkdir()
        (work / "reference").mkdir()
        (work / "reference" / "admin_units.csv").write_text("code,name,level,parent_code,management_area\n")
        run_process(povmon("run", work))  # first start: migrations, not measured
        return timed_run(povmon("run", work), prefect_home())


def prefect_home() -> Path:
    """The Prefect home the benchmark's processes use."""
    return Path(python_env()["POVMON_PREFECT_HOME"])


def bench_scale(setup: Setup, seed: int) -> dict:
    """Every measurement of one scale."""
    print(f"[{setup.scale}] generating (or reusing) {setup.history} + {setup.increment_as_of}, seed {seed} ...",
          flush=True)
    data = prepare(setup, seed)
    work = fresh_work(data["dir"], data["history"])
    result = {"scale": setup.scale, "history": setup.history, "bootstrap_as_of": setup.bootstrap_as_of,
              "increment_as_of": setup.increment_as_of, "generated": data["generated"], "seed": seed}
    print(f"[{setup.scale}] bootstrap ...", flush=True)
    result["bootstrap"] = timed_run(povmon("run", work, "--as-of", setup.bootstrap_as_of), prefect_home())
    bootstrapped = snapshot(work) if setup.scale == "city" else None  # for the department files' increment
    add_files(data["dir"] / "full" / "inbox", work / "inbox", data["increment"])
    print(f"[{setup.scale}] increment ({len(data['increment'])} files) ...", flush=True)
    result["increment"] = timed_run(povmon("run", work, "--as-of", setup.increment_as_of), prefect_home())
    print(f"[{setup.scale}] floor ...", flush=True)
    result["floor"] = measure_floor(work / "inbox", data["increment"])
    village = next(Path(p).name[:12] for p in data["increment"] if re.match(r"\d{12}_\d{6}\.csv$", Path(p).name))
    print(f"[{setup.scale}] rerun of village {village} ...", flush=True)
    result["rerun"] = timed_run(povmon("rerun", work, "--village", village, "--as-of", setup.increment_as_of),
                                prefect_home())
    result["rerun"]["village"] = village
    if bootstrapped:
        print(f"[{setup.scale}] increment without and with 12 department files (200,000 records) ...", flush=True)
        try:  # the scale's own figures are kept whatever happens here
            result["departments"] = measure_department_increment(
                bootstrapped, data["dir"] / "full" / "inbox", data["increment"], setup.increment_as_of, prefect_home())
        except (OSError, RuntimeError) as err:
            print(f"[{setup.scale}] department files' increment failed: {err}", flush=True)
    return result


def main(argv: list[str] | None = None) -> int:
    """Run the chosen scales, save their results, print the table and write docs/performance.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["city", "province", "all"], default="all")
    parser.add_argument("--skip-province", action="store_true", help="same as --scale city")
    parser.add_argument("--report-only", action="store_true", help="only rewrite the table from saved results")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help=f"seed of the synthetic city (default {DEFAULT_SEED}; another seed = an unseen city)")
    parser.add_argument("--doc", default=str(ROOT / "docs" / "performance.md"))
    args = parser.parse_args(argv)
    scales = ["city"] if args.skip_province or args.scale == "city" else (
        ["province"] if args.scale == "province" else ["city", "province"])
    DATA.mkdir(parents=True, exist_ok=True)
    if not args.report_only:
        empty = warm_prefect()
        (DATA / "results-startup.json").write_text(json.dumps(empty, indent=1))
        for scale in scales:
            result = bench_scale(SETUPS[scale], args.seed)
            (DATA / f"results-{scale}.json").write_text(json.dumps(result, indent=1))
    results = {p.stem.removeprefix("results-"): json.loads(p.read_text()) for p in sorted(DATA.glob("results-*.json"))}
    print(format_table(results))
    write_performance_doc(results, Path(args.doc))
    print(f"wrote {args.doc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
