"""The benchmark's table and docs/performance.md, from the saved results of benchmarks/run_all.py."""
from __future__ import annotations

import platform
import re
from datetime import datetime
from pathlib import Path

import psutil

from benchmarks.bench_cases_report import format_ledger
from benchmarks.bench_host import WORKLOADS as HOST_WORKLOADS
from benchmarks.bench_measure import STEP_ORDER

TASK_RUN_SUFFIX = re.compile(r"-[0-9a-f]{3}$")
NOTES = Path(__file__).resolve().parent / "performance_notes.md"
PROFILE_GROUPS = {  # the issue's names for the steps of the flow, in the flow's order
    # rows are cleaned and checked where they are read (tasks/row_check.py): read-files holds parse and validate
    "discover": ["open-store", "load-reference", "discover"],
    "parse + validate": ["read-files", "validate", "validate-county"],
    "load": ["load", "check-history"], "project": ["project"], "flag": ["flag", "record-figures"],
    "departments + ledger": ["ingest-departments", "check-departments", "update-cases"],
    "render": ["check-published", "publish-exports", "render-reports", "render-county"],
}


RUNS = ["bootstrap", "increment", "rerun", "night", "dask_increment"]


def targets(results: dict) -> list[tuple[str, str, str, bool | None]]:
    """Each goal of issue 18 (and the city's earlier ones): what it asks, what was measured, whether it is met
    (None: not measured)."""
    rows: list[tuple[str, str, str, bool | None]] = []
    city, province = results.get("city"), results.get("province")

    def add(label: str, limit: str, value: float | None, bound: float, unit: str = "s") -> None:
        shown = "not run" if value is None else f"{value:.1f} {unit}" if unit else f"{value:.1f}×"
        rows.append((label, limit, shown, None if value is None else value <= bound))

    def run(result: dict | None, name: str) -> dict | None:
        """A measured run, None when it was not run or was stopped before it ended."""
        found = (result or {}).get(name)
        return None if not found or found.get("stopped") else found

    for scale, result in (("city", city), ("province", province)):
        for name in ("bootstrap", "increment"):
            found = (result or {}).get(name)
            stopped = bool(found and found.get("stopped"))  # its peak is only where it was stopped: not met
            add(f"{scale} {name}, peak memory (process tree)" + (", stopped over the cap" if stopped else ""),
                "≤ 4096 MB", found and found["peak_tree_mb"], -1 if stopped else 4096, "MB")
    bootstrap = (province or {}).get("bootstrap")
    bootstrap = bootstrap or {}
    staged = f" in {len(bootstrap['runs'])} runs of {bootstrap['staged_months']} months" if bootstrap.get("runs") else ""
    add("province 30-month bootstrap" + staged + (" (stopped at the memory cap)" if bootstrap.get("stopped") else ""),
        "≤ 900 s", run(province, "bootstrap") and province["bootstrap"]["seconds"], 900)
    add("province increment on the 30-month store", "≤ 30 s",
        run(province, "increment") and province["increment"]["seconds"], 30)
    add("province increment ÷ floor (same run)", "≤ 8×", run(province, "increment") and ratio(province), 8, "")
    add("city increment, end to end (Prefect start included)", "≤ 10 s",
        run(city, "increment") and city["increment"]["seconds"], 10)
    city_serve = run(city, "serve_night")
    if city_serve:  # a flow run that did not complete measured no night
        completed = city_serve["state"] == "COMPLETED"
        add(f"typical night in serve mode ({city_serve['files']} late returns on the city's store)"
            + ("" if completed else f", flow run {city_serve['state']}"), "≤ 5 s",
            city_serve["seconds"] if completed else None, 5)
    serve = results.get("serve")
    add("typical night in serve mode (≤ 20 new files, on a small city's store: benchmarks/bench_startup.py)", "≤ 5 s",
        serve and serve["seconds"], 5)
    startup = results.get("startup")  # issue 18, item 3: a plain `povmon run` with nothing new
    add("plain `povmon run` with nothing new, starting its own Prefect server (empty store: benchmarks/"
        "bench_startup.py)", "≤ 4 s", startup and startup["seconds"], 4)
    beside = (city_serve or {}).get("empty_run_beside_serve")
    add("plain `povmon run` with nothing new beside `povmon serve` (its server reused), on the city's store",
        "≤ 4 s", beside and beside["wall"], 4)
    add("city bootstrap (all history)", "< 180 s", run(city, "bootstrap") and city["bootstrap"]["seconds"], 180)
    add("city rerun of one village", "< 10 s", run(city, "rerun") and city["rerun"]["seconds"], 10)
    add("province rerun of one village", "< 10 s", run(province, "rerun") and province["rerun"]["seconds"], 10)
    added = (city or {}).get("departments") and city["departments"]["added_seconds"]
    add("city: 12 department files (200,000 records) added to an increment", "< 3 s", added, 3)
    return rows


def format_departments(results: dict) -> str:
    """The city increment without and with a month's 12 department files (benchmarks/bench_dept_increment.py):
    every run's wall and CPU seconds, the department steps and the load average around it."""
    measured = (results.get("city") or {}).get("departments")
    if not measured:
        return "Not measured (`make bench` measures it with the city)."
    lines = [f"The city increment ({measured['as_of']}) on two copies of the bootstrapped store, without and with "
             f"{measured['files']} department files of {measured['records']:,} records "
             "(benchmarks/department_month.py), alternately. CPU is the povmon process's and the children it waited "
             "for (user + system).", "",
             "| run | wall s | CPU s | in flow s | ingest-departments s | check-departments s | load before → after |",
             "|---|---:|---:|---:|---:|---:|---|"]
    for r in measured["runs"]:
        steps = r["department_steps"]
        lines.append(f"| {'with' if r['with_files'] else 'without'} the files | {r['seconds']:.1f} | "
                     f"{r['cpu_seconds']:.1f} | {r['flow_seconds']:.1f} | {steps['ingest-departments']:.2f} | "
                     f"{steps['check-departments']:.2f} | {r['load_before']:.1f} → {r['load_after']:.1f} |")
    steps = measured["department_steps"]
    lines += ["", f"Added (median with − median without): **{measured['added_seconds']:.1f} s wall, "
              f"{measured['added_cpu_seconds']:.1f} s CPU**; the department steps with the files: "
              f"ingest-departments {steps['ingest-departments']:.2f} s, check-departments "
              f"{steps['check-departments']:.2f} s (medians)."]
    return "\n".join(lines)


def ratio(result: dict) -> float:
    """The increment's wall time over the floor measured in the same run."""
    return result["increment"]["seconds"] / result["floor"]["floor_seconds"]


def run_label(name: str, r: dict) -> str:
    """How a run is named in the table."""
    if name == "rerun":
        return f"rerun (village {r['village']})"
    if name == "night":
        return f"typical night: {r['counts'].get('files_new', '?')} late returns on the full store"
    if name == "dask_increment":
        return (f"the month again (increment + night) on the store before it, per-county work on a local Dask "
                f"cluster of {r.get('workers', 2)} workers")
    if r.get("staged_months"):
        return f"{name} in {len(r['runs'])} runs of {r['staged_months']} months (as-of {r['counts'].get('as_of')})"
    return f"{name} (as-of {r['counts'].get('as_of')})"


def format_table(results: dict) -> str:
    """The targets and every measured run as a Markdown table."""
    lines = ["| target | limit | measured | met |", "|---|---|---|---|"]
    for label, limit, shown, met in targets(results):
        lines.append(f"| {label} | {limit} | {shown} | {'—' if met is None else 'yes' if met else 'NO'} |")
    lines += ["", "| scale | run | files | rows | wall s | in flow s | peak memory MB |",
              "|---|---|---:|---:|---:|---:|---:|"]
    for scale in ("city", "province"):
        result = results.get(scale)
        if not result:
            continue
        for name in RUNS:
            r = result.get(name)
            if not r:
                continue
            if r.get("stopped"):
                lines.append(f"| {scale} | {name}: **stopped** over the memory cap | | | {r['seconds']:.1f} | — | "
                             f"{r['peak_tree_mb']:.0f} |")
                continue
            lines.append(f"| {scale} | {run_label(name, r)} | {r['counts'].get('files_new', '')} | "
                         f"{r['counts'].get('rows', '')} | {r['seconds']:.1f} | {r['flow_seconds']:.1f} | "
                         f"{r['peak_tree_mb']:.0f} |")
        f = result.get("floor")
        if f:
            lines.append(f"| {scale} | floor: scan_csv of the increment's {f['files']} CSV files + 1 DuckDB group-by | "
                         f"{f['files']} | {f['rows']} | {f['floor_seconds']:.1f} | — | — |")
    startup = results.get("startup")
    if startup:
        lines.append(f"| — | empty run (Prefect start, empty inbox) | 0 | 0 | {startup['seconds']:.1f} | "
                     f"{startup['flow_seconds']:.1f} | {startup['peak_tree_mb']:.0f} |")
    city_serve = (results.get("city") or {}).get("serve_night")
    if city_serve:
        lines.append(f"| city | typical night in serve mode: the same {city_serve['files']} late returns, flow run + "
                     f"the worker's process start ({city_serve['process_start']:.1f} s) | {city_serve['files']} | | "
                     f"{city_serve['seconds']:.1f} | {city_serve['flow']:.1f} | |")
    serve = results.get("serve")
    lines.append(f"| — | typical night in serve mode, small city | {serve.get('files', '') if serve else ''} | | "
                 f"{serve['seconds']:.1f} | | |" if serve else
                 "| — | typical night in serve mode (measured by the start-up work: benchmarks/data/results-serve.json) "
                 "| | | not run | | |")
    return "\n".join(lines)


def format_profile(results: dict) -> str:
    """Seconds per step of every measured run: start-up is the process's wall time outside the flow run."""
    names = ["start-up"] + list(PROFILE_GROUPS) + ["flow overhead"]
    runs = [(f"{scale} {run.replace('_', ' ')}", results[scale][run]) for scale in ("city", "province")
            if scale in results for run in RUNS
            if results[scale].get(run) and not results[scale][run].get("stopped")]
    lines = ["| step | " + " | ".join(label for label, _ in runs) + " |", "|---|" + "---:|" * len(runs)]
    grouped = [step for group in PROFILE_GROUPS.values() for step in group]
    for name in names:
        cells = []
        for _label, r in runs:
            if name == "start-up":
                value = r["seconds"] - r["flow_seconds"]
            elif name == "flow overhead":  # between the steps, and steps of no group
                value = r["flow_seconds"] - step_time(r, grouped)
            else:
                value = step_time(r, PROFILE_GROUPS[name], counted=earlier_steps(name))
            cells.append(f"{value:.1f}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append("| **wall** | " + " | ".join(f"**{r['seconds']:.1f}**" for _l, r in runs) + " |")
    detail = ", ".join(f"{g}: {' + '.join(s)}" for g, s in PROFILE_GROUPS.items() if len(s) > 1)
    return "\n".join(lines) + (f"\n\nSteps are Prefect task runs ({detail}; all of {', '.join(STEP_ORDER)}). "
                               "Steps run side by side (the exports beside the pages) count once, "
                               "in the first row that holds one of them, so the rows add up to the wall time.")


def earlier_steps(group: str) -> list[str]:
    """The steps of the groups before this one in the profile."""
    names = list(PROFILE_GROUPS)
    return [step for before in names[:names.index(group)] for step in PROFILE_GROUPS[before]]


def step_time(run: dict, names: list[str], counted: list[str] = ()) -> float:
    """Seconds the run spent in these steps and not in those already counted: the union of their intervals (steps
    side by side counted once), or, for a run measured before intervals were kept, the sum of their durations."""
    if "intervals" not in run:
        return sum(seconds for step, seconds in run["steps"].items() if step_name(step) in names)
    return covered(run, [*counted, *names]) - covered(run, list(counted))


def covered(run: dict, names: list[str]) -> float:
    """Seconds covered by the intervals of these steps, each moment once."""
    wanted = set(names)
    spans = sorted(span for step, found in run["intervals"].items() if step_name(step) in wanted for span in found)
    total, reach = 0.0, float("-inf")
    for start, end in spans:
        total += max(0.0, end - max(start, reach))
        reach = max(reach, end)
    return total


def step_name(task_run: str) -> str:
    """A step's name from its task run's (Prefect adds a suffix of three hex digits: update-cases-5c8)."""
    return TASK_RUN_SUFFIX.sub("", task_run)


def setup_line(result: dict) -> str:
    """What a scale measured: its history, its increment, how its data was generated."""
    made = result.get("generated", {})
    size = f", {made['bytes'] / 2**30:.1f} GB" if made.get("bytes") else ""
    how = (f"generated by benchmarks/bench_generate.py (clean, plain UTF-8 CSV) from {made['first']} in "
           f"{made.get('seconds', 0):.0f} s: {made.get('files', 0):,} files{size}" if made.get("first") else
           f"generated by `povmon demo --no-run` in {made.get('seconds', 0):.0f} s: {made.get('files', 0):,} files{size}")
    increment = result.get("increment") or {}
    floor = result.get("floor") or {}
    return (f"- **{result['scale']}** (seed {result.get('seed', 7)}): history {result['history']}; increment = the "
            f"returns for {result['increment_as_of']} ({floor.get('files', '?')} CSV files of "
            f"{increment.get('counts', {}).get('files_new', '?')} new files; ten held back for the typical night); {how}.")


def host_line(result: dict) -> str:
    """The host's speed as a scale's runs started and ended (benchmarks/bench_host.py), or that it was not probed."""
    probes = result.get("host") or {}

    def shown(probe: dict | None) -> str:
        if not probe:
            return "not probed"
        return (" / ".join(f"{probe[name]:.2f}" if name in probe else "—" for name in HOST_WORKLOADS)
                + f" s ({probe['taken']} UTC)")
    cpu = [f"{run} {result[run]['cpu_seconds']:.1f} ({result[run]['cpu_seconds'] / result[run]['seconds']:.2f} cores)"
           for run in RUNS if (result.get(run) or {}).get("cpu_seconds") and result[run].get("seconds")]
    work = f"; CPU seconds of the runs' process trees: {', '.join(cpu)}" if cpu else ""
    return (f"- host speed for the {result['scale']} runs (benchmarks/bench_host.py: Python loop / DuckDB / Polars / "
            f"memory, fastest of 3, lower is faster): before {shown(probes.get('before'))}, after "
            f"{shown(probes.get('after'))}{work}.")


def write_performance_doc(results: dict, path: Path) -> None:
    """docs/performance.md: setup, the table, the profile, then the hand-written notes."""
    setups = "\n".join(line for s in ("city", "province") if s in results
                       for line in (setup_line(results[s]), host_line(results[s])))
    machine = f"{psutil.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GB, {platform.platform()}"
    notes = NOTES.read_text(encoding="utf-8") if NOTES.exists() else ""
    saved = [f.stat().st_mtime for f in (NOTES.parent / "data").glob("results-*.json")]
    measured = f" from results saved up to {datetime.fromtimestamp(max(saved)):%Y-%m-%d %H:%M}" if saved else ""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"""# Performance

Written by `make bench` (`python benchmarks/run_all.py`) on {datetime.now():%Y-%m-%d %H:%M}{measured}; machine: {machine}.
Every figure is a whole `povmon` process (Python start, imports and Prefect's ephemeral API included),
timed from the parent once the writes before it are on disk (`sync`); peak memory is the summed resident memory
of the process and its children (the Prefect server, the file-reading workers), sampled every 50 ms. "In flow" is
the flow run's own duration as Prefect recorded it; the rest of the wall time is start-up and shut-down.

{setups}

## Targets and measurements

{format_table(results)}

## Where the time goes (seconds)

{format_profile(results)}

{format_ledger(results)}

## Department files in an increment (issue 14)

{format_departments(results)}

{notes}""", encoding="utf-8")
