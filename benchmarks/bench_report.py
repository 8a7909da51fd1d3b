"""The benchmark's table and docs/performance.md, from the saved results of benchmarks/run_all.py."""
from __future__ import annotations

import platform
from datetime import datetime
from pathlib import Path

import psutil

from benchmarks.bench_measure import STEP_ORDER

NOTES = Path(__file__).resolve().parent / "performance_notes.md"
PROFILE_GROUPS = {  # the issue's names for the steps of the flow
    # rows are cleaned and checked where they are read (tasks/row_check.py): read-files holds parse and validate
    "discover": ["open-store", "load-reference", "discover"], "parse + validate": ["read-files", "validate"],
    "load": ["load", "check-history"], "project": ["project"], "flag": ["flag", "record-figures"],
    "render": ["publish-exports", "render-reports"],
}


def targets(results: dict) -> list[tuple[str, str, str, bool | None]]:
    """Each target of issue 7: what it asks, what was measured, whether it is met (None: not measured)."""
    rows: list[tuple[str, str, str, bool | None]] = []
    city, province = results.get("city"), results.get("province")

    def add(label: str, limit: str, value: float | None, bound: float, unit: str = "s") -> None:
        shown = "not run" if value is None else f"{value:.1f} {unit}" if unit else f"{value:.1f}×"
        rows.append((label, limit, shown, None if value is None else value < bound))

    add("city increment, end to end (Prefect start included)", "< 20 s", city and city["increment"]["seconds"], 20)
    add("city bootstrap (all history)", "< 180 s", city and city["bootstrap"]["seconds"], 180)
    add("city rerun of one village", "< 10 s", city and city["rerun"]["seconds"], 10)
    add("province increment, end to end", "< 60 s", province and province["increment"]["seconds"], 60)
    add("province increment, peak memory (process tree)", "< 4096 MB",
        province and province["increment"]["peak_tree_mb"], 4096, "MB")
    add("province increment ÷ floor (same run)", "< 20×", province and ratio(province), 20, "")
    add("province rerun of one village", "< 10 s", province and province["rerun"]["seconds"], 10)
    return rows


def ratio(result: dict) -> float:
    """The increment's wall time over the floor measured in the same run."""
    return result["increment"]["seconds"] / result["floor"]["floor_seconds"]


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
        for run in ("bootstrap", "increment", "rerun"):
            r = result[run]
            label = f"{run} (village {r['village']})" if run == "rerun" else f"{run} (as-of {r['counts'].get('as_of')})"
            lines.append(f"| {scale} | {label} | {r['counts'].get('files_new', '')} | {r['counts'].get('rows', '')} | "
                         f"{r['seconds']:.1f} | {r['flow_seconds']:.1f} | {r['peak_tree_mb']:.0f} |")
        f = result["floor"]
        lines.append(f"| {scale} | floor: scan_csv of the increment's {f['files']} CSV files + 1 DuckDB group-by | "
                     f"{f['files']} | {f['rows']} | {f['floor_seconds']:.1f} | — | — |")
    startup = results.get("startup")
    if startup:
        lines.append(f"| — | empty run (Prefect start, empty inbox) | 0 | 0 | {startup['seconds']:.1f} | "
                     f"{startup['flow_seconds']:.1f} | {startup['peak_tree_mb']:.0f} |")
    return "\n".join(lines)


def format_profile(results: dict) -> str:
    """Seconds per step of every measured run: start-up is the process's wall time outside the flow run."""
    names = ["start-up"] + list(PROFILE_GROUPS) + ["flow overhead"]
    runs = [(f"{scale} {run}", results[scale][run]) for scale in ("city", "province") if scale in results
            for run in ("bootstrap", "increment", "rerun")]
    lines = ["| step | " + " | ".join(label for label, _ in runs) + " |", "|---|" + "---:|" * len(runs)]
    for name in names:
        cells = []
        for _label, r in runs:
            steps = r["steps"]
            if name == "start-up":
                value = r["seconds"] - r["flow_seconds"]
            elif name == "flow overhead":
                value = r["flow_seconds"] - sum(steps.values())
            else:
                value = sum(steps.get(s, 0.0) for s in PROFILE_GROUPS[name])
            cells.append(f"{value:.1f}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append("| **wall** | " + " | ".join(f"**{r['seconds']:.1f}**" for _l, r in runs) + " |")
    detail = ", ".join(f"{g}: {' + '.join(s)}" for g, s in PROFILE_GROUPS.items() if len(s) > 1)
    return "\n".join(lines) + f"\n\nSteps are Prefect task runs ({detail}; all of {', '.join(STEP_ORDER)})."


def write_performance_doc(results: dict, path: Path) -> None:
    """docs/performance.md: setup, the table, the profile, then the hand-written notes."""
    setups = "\n".join(f"- **{s}** (seed {results[s].get('seed', 7)}): history {results[s]['history']}; "
                       f"increment = every village's returns for "
                       f"{results[s]['increment_as_of']} ({results[s]['floor']['files']} CSV files of "
                       f"{results[s]['increment']['counts'].get('files_new')} new files)."
                       for s in ("city", "province") if s in results)
    machine = f"{psutil.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GB, {platform.platform()}"
    notes = NOTES.read_text(encoding="utf-8") if NOTES.exists() else ""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"""# Performance

Written by `make bench` (`python benchmarks/run_all.py`) on {datetime.now():%Y-%m-%d %H:%M}; machine: {machine}.
Every figure is a whole `povmon` process (Python start, imports and Prefect's ephemeral API included),
timed from the parent; peak memory is the summed resident memory of the process and its children
(the Prefect server, the file-reading workers), sampled every 50 ms. "In flow" is the flow run's own
duration as Prefect recorded it; the rest of the wall time is start-up and shut-down.

{setups}

## Targets and measurements

{format_table(results)}

## Where the time goes (seconds)

{format_profile(results)}

{notes}""", encoding="utf-8")
