"""`make bench`: time povmon at city and province scale as whole processes, beside the engines' floor.

For each scale: generate the data (the city with `povmon demo --no-run`, the clean 30-month province with
benchmarks/bench_generate.py; reused when already under benchmarks/data/), bootstrap a store from all its
history, deliver one new month of files for every village (but ten) and run the nightly increment, time the
floor (Polars scan_csv of the increment's CSV files into one frame, one DuckDB group-by), rerun one village,
run the same increment on a copy of the store with its per-county work on a local Dask cluster of 2 workers,
then deliver the ten held-back returns: the typical night (at city scale also under `povmon serve`, on a copy of
the store as it was before it: benchmarks/bench_serve_night.py). A run whose process tree goes over --memory-cap-gb
is stopped and shown as such (the machine is shared). Prints the table and writes docs/performance.md.
At city scale also the increment without and with a month's 12 department files
(benchmarks/bench_dept_increment.py).
Then, with the city, the case ledger's own benchmark (bench_cases.py: increment, export, import).
Usage: python benchmarks/run_all.py [--scale city|province|all] [--skip-province] [--seed N] [--report-only]
       [--memory-cap-gb 16] [--no-dask] [--ledger-only]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_data import (  # noqa: E402
    DATA, DEFAULT_SEED, ROOT, SETUPS, Setup, add_files, fresh_work, prepare, python_env,
    snapshot_store,
)
from benchmarks.bench_measure import Measured, OverMemory, measure_floor, povmon, run_process, step_intervals, \
    step_seconds  # noqa: E402
from benchmarks.bench_cases_report import format_ledger  # noqa: E402
from benchmarks.bench_host import host_probe  # noqa: E402
from benchmarks.bench_report import format_table, write_performance_doc  # noqa: E402
from benchmarks.bench_dept_increment import measure_department_increment, snapshot  # noqa: E402
from benchmarks.bench_serve_night import copy_before_night, measure_serve_night  # noqa: E402

SUMMARY = re.compile(r"completed in [\d.]+ s: as-of (\d+), (\d+) new files \((\d+) loaded, (\d+) rejected\), (\d+) rows")


DASK_WORKERS = 2
MONTH = re.compile(r"(?:19|20)\d\d(?:0[1-9]|1[0-2])")  # a YYYYMM (county codes are 11xxxx-65xxxx)


def timed_run(args: list[str], prefect_home: Path, cap_mb: float = 0, **env: str) -> dict:
    """A whole povmon process, its summary line's counts and its Prefect step times (or, stopped over the memory
    cap, its time and peak marked stopped)."""
    try:
        measured: Measured = run_process(args, {**python_env(), **env} if env else None, cap_mb)
    except OverMemory as over:
        return {"seconds": over.seconds, "peak_tree_mb": over.peak_mb, "peak_process_mb": 0.0, "flow_seconds": 0.0,
                "steps": {}, "counts": {}, "output": str(over), "stopped": True}
    print(f"    {measured.seconds:.1f} s, {measured.cpu_seconds:.1f} CPU-s, peak {measured.peak_tree_mb:.0f} MB "
          "(process tree)", flush=True)
    steps, flow_seconds = step_seconds(prefect_home)
    intervals = step_intervals(prefect_home)
    found = SUMMARY.search(measured.output)
    counts = dict(zip(["as_of", "files_new", "files_loaded", "files_rejected", "rows"], found.groups())) if found else {}
    return {"seconds": measured.seconds, "cpu_seconds": measured.cpu_seconds, "peak_tree_mb": measured.peak_tree_mb,
            "peak_process_mb": measured.peak_process_mb, "flow_seconds": flow_seconds, "steps": steps,
            "intervals": intervals,
            "counts": {k: (v if k == "as_of" else int(v)) for k, v in counts.items()}, "output": measured.output[-2000:]}


# the empty run's reference list: one village (a list naming none is refused, tasks/ingest/reference.py)
EMPTY_RUN_UNITS = ("code,name,level,parent_code,management_area\n430502,松湖区,county,,0\n"
                   "430502001,一乡,township,430502,0\n430502001001,一村,village,430502001,0\n")


def warm_prefect() -> dict:
    """Run once on an empty inbox so Prefect's home exists (its first start migrates a database)."""
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "inbox").mkdir()
        (work / "reference").mkdir()
        (work / "reference" / "admin_units.csv").write_text(EMPTY_RUN_UNITS, encoding="utf-8")
        run_process(povmon("run", work))  # first start: migrations, not measured
        return timed_run(povmon("run", work), prefect_home())


def prefect_home() -> Path:
    """The Prefect home the benchmark's processes use."""
    return Path(python_env()["POVMON_PREFECT_HOME"])


def bench_scale(setup: Setup, seed: int, cap_mb: float, dask: bool, staged: int = 0) -> dict:
    """Every measurement of one scale (those after a run stopped over the memory cap are left out)."""
    print(f"[{setup.scale}] generating (or reusing) {setup.history} + {setup.increment_as_of}, seed {seed} ...",
          flush=True)
    data = prepare(setup, seed)
    work = fresh_work(data["dir"], [] if staged else data["history"])
    result = {"scale": setup.scale, "history": setup.history, "bootstrap_as_of": setup.bootstrap_as_of,
              "increment_as_of": setup.increment_as_of, "generated": data["generated"], "seed": seed}
    home = prefect_home()
    result["host"] = {"before": host_probe()}  # the host's speed as the scale's runs start (and end: below)
    if staged:
        result["bootstrap"] = staged_bootstrap(data, work, staged, cap_mb)
    else:
        print(f"[{setup.scale}] bootstrap ...", flush=True)
        result["bootstrap"] = timed_run(povmon("run", work, "--as-of", setup.bootstrap_as_of), home, cap_mb)
    save(result)
    if result["bootstrap"].get("stopped"):
        return result
    if dask:  # the store before the increment, for the same increment on the Dask cluster
        snapshot_store(work, work / "dask")
    bootstrapped = snapshot(work) if setup.scale == "city" else None  # for the department files' increment
    add_files(data["dir"] / "full" / "inbox", work / "inbox", data["increment"])
    print(f"[{setup.scale}] increment ({len(data['increment'])} files) ...", flush=True)
    result["increment"] = timed_run(povmon("run", work, "--as-of", setup.increment_as_of), home, cap_mb)
    save(result)
    print(f"[{setup.scale}] floor ...", flush=True)
    result["floor"] = measure_floor(work / "inbox", data["increment"])
    village = next(Path(p).name[:12] for p in data["increment"] if re.match(r"\d{12}_\d{6}\.csv$", Path(p).name))
    print(f"[{setup.scale}] rerun of village {village} ...", flush=True)
    result["rerun"] = timed_run(povmon("rerun", work, "--village", village, "--as-of", setup.increment_as_of), home)
    result["rerun"]["village"] = village
    save(result)
    serve_copy = copy_before_night(work) if setup.scale == "city" else None
    add_files(data["dir"] / "full" / "inbox", work / "inbox", data["night"])
    print(f"[{setup.scale}] typical night ({len(data['night'])} late returns) ...", flush=True)
    result["night"] = timed_run(povmon("run", work, "--as-of", setup.increment_as_of), home, cap_mb)
    save(result)
    if serve_copy:
        print(f"[{setup.scale}] the same night under povmon serve ...", flush=True)
        try:  # the scale's own figures are kept whatever happens here
            result["serve_night"] = measure_serve_night(serve_copy, data["dir"] / "full" / "inbox", data["night"])
        except (OSError, RuntimeError, TimeoutError) as err:
            print(f"[{setup.scale}] the serve-mode night failed: {err}", flush=True)
        save(result)
    if dask:  # on the store as it was before the increment: the month's returns, the night's ten included
        print(f"[{setup.scale}] the month again, on a local Dask cluster of {DASK_WORKERS} workers ...", flush=True)
        dask_work = povmon("run", work, "--as-of", setup.increment_as_of)
        dask_work[dask_work.index("--db") + 1] = str(work / "dask" / "povmon.duckdb")
        dask_work[dask_work.index("--out") + 1] = str(work / "dask" / "out")
        result["dask_increment"] = timed_run(dask_work, home, cap_mb, POVMON_DASK_LOCAL_WORKERS=str(DASK_WORKERS))
        result["dask_increment"]["workers"] = DASK_WORKERS
    result["host"]["after"] = host_probe()  # before the department files' increment, which saves its own runs' CPU
    save(result)
    if bootstrapped:
        print(f"[{setup.scale}] increment without and with 12 department files (200,000 records) ...", flush=True)
        try:  # the scale's own figures are kept whatever happens here
            result["departments"] = measure_department_increment(
                bootstrapped, data["dir"] / "full" / "inbox", data["increment"], setup.increment_as_of, prefect_home())
        except (OSError, RuntimeError) as err:
            print(f"[{setup.scale}] department files' increment failed: {err}", flush=True)
    return result


def save(result: dict) -> None:
    """Keep what a scale measured so far (a long run stopped midway still leaves its figures)."""
    (DATA / f"results-{result['scale']}.json").write_text(json.dumps(result, indent=1))


def staged_bootstrap(data: dict, work: Path, months: int, cap_mb: float) -> dict:
    """The history loaded as a province would without a bounded bootstrap: its months delivered `months` at a time,
    one run each; the summed time, the highest peak, every run's figures."""
    by_period: dict[str, list[str]] = {}
    for path in data["history"]:  # a <county>/<YYYYMM>/ folder, else the month in the name (resends), else first
        folder = next((part for part in path.split("/")[:-1] if MONTH.fullmatch(part)), None)
        named = re.search(f"_({MONTH.pattern})", path.rsplit("/", 1)[-1])
        by_period.setdefault(folder or (named.group(1) if named else ""), []).append(path)
    periods = sorted(p for p in by_period if p)
    stages = [periods[i:i + months] for i in range(0, len(periods), months)]
    runs = []
    for number, stage in enumerate(stages):
        paths = [p for period in stage for p in by_period[period]] + (by_period.get("", []) if number == 0 else [])
        add_files(data["dir"] / "full" / "inbox", work / "inbox", paths)
        print(f"[bootstrap] months {stage[0]}-{stage[-1]} ({len(paths)} files) ...", flush=True)
        runs.append(timed_run(povmon("run", work, "--as-of", stage[-1]), prefect_home(), cap_mb))
        if runs[-1].get("stopped"):
            break
    steps: dict[str, float] = {}
    for r in runs:
        for name, seconds in r["steps"].items():
            steps[name] = steps.get(name, 0.0) + seconds
    counts = {"as_of": runs[-1]["counts"].get("as_of"), **{k: sum(r["counts"].get(k, 0) for r in runs)
                                                              for k in ("files_new", "files_loaded", "rows")}}
    return {"seconds": sum(r["seconds"] for r in runs), "peak_tree_mb": max(r["peak_tree_mb"] for r in runs),
            "peak_process_mb": max(r["peak_process_mb"] for r in runs), "flow_seconds": sum(r["flow_seconds"] for r in runs),
            "steps": steps, "counts": counts, "staged_months": months, "stopped": any(r.get("stopped") for r in runs),
            "runs": [{k: r[k] for k in ("seconds", "peak_tree_mb", "flow_seconds", "counts")} for r in runs]}


def bench_ledger() -> None:
    """The case ledger at city scale (benchmarks/bench_cases.py in its own process): results-ledger.json."""
    print("[ledger] benchmarks/bench_cases.py ...", flush=True)
    run_process([sys.executable, str(ROOT / "benchmarks" / "bench_cases.py"), "--json", str(DATA / "results-ledger.json")])


def main(argv: list[str] | None = None) -> int:
    """Run the chosen scales, save their results, print the table and write docs/performance.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["city", "province", "all"], default="all")
    parser.add_argument("--skip-province", action="store_true", help="same as --scale city")
    parser.add_argument("--report-only", action="store_true", help="only rewrite the table from saved results")
    parser.add_argument("--ledger-only", action="store_true", help="only the case ledger's figures (bench_cases.py)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help=f"seed of the synthetic city (default {DEFAULT_SEED}; another seed = an unseen city)")
    parser.add_argument("--doc", default=str(ROOT / "docs" / "performance.md"))
    parser.add_argument("--memory-cap-gb", type=float, default=16.0,
                        help="stop a run whose process tree goes over this (default 16; 0 = no cap)")
    parser.add_argument("--no-dask", action="store_true", help="leave out the increment on a local Dask cluster")
    parser.add_argument("--staged-bootstrap", type=int, default=0, metavar="MONTHS",
                        help="load the history MONTHS at a time, one run each, instead of in one run")
    args = parser.parse_args(argv)
    scales = ["city"] if args.skip_province or args.scale == "city" else (
        ["province"] if args.scale == "province" else ["city", "province"])
    DATA.mkdir(parents=True, exist_ok=True)
    if args.ledger_only:
        bench_ledger()
    elif not args.report_only:
        empty = warm_prefect()
        (DATA / "results-startup.json").write_text(json.dumps(empty, indent=1))
        for scale in scales:
            save(bench_scale(SETUPS[scale], args.seed, args.memory_cap_gb * 1024, not args.no_dask,
                             args.staged_bootstrap))
        if "city" in scales:
            bench_ledger()
    results = {p.stem.removeprefix("results-"): json.loads(p.read_text()) for p in sorted(DATA.glob("results-*.json"))}
    if args.ledger_only and "city" not in results:  # the page needs the city's figures too: keep it as it is
        print(format_ledger(results) + "\nno city results in benchmarks/data: docs/performance.md left as it is")
        return 0
    print(format_table(results))
    write_performance_doc(results, Path(args.doc))
    print(f"wrote {args.doc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
