"""Measurements: a whole process (wall time, peak memory of its process tree), the floor, Prefect step times."""
from __future__ import annotations

import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import psutil

from benchmarks.bench_data import ROOT, python_env

SAMPLE_SECONDS = 0.05
STEP_ORDER = ["open-store", "load-reference", "discover", "read-files", "validate", "validate-county", "load",
              "check-history", "project", "flag", "record-figures", "ingest-departments", "check-departments",
              "update-cases", "check-published", "publish-exports", "render-reports", "render-county"]


@dataclass
class Measured:
    """One whole process: wall seconds, peak summed RSS of its tree, the largest single RSS, its output."""

    seconds: float
    peak_tree_mb: float
    peak_process_mb: float
    output: str
    steps: dict[str, float] = field(default_factory=dict)
    flow_seconds: float = 0.0
    cpu_seconds: float = 0.0  # user + system time of the process and the children it waited for (server, workers)


class OverMemory(RuntimeError):
    """A measured process tree went over the memory cap and was stopped (the machine is shared)."""

    def __init__(self, args: list[str], seconds: float, peak_mb: float):
        """Say which command, after how long, at what peak."""
        super().__init__(f"{' '.join(args[:4])} ... stopped after {seconds:.0f} s at {peak_mb:.0f} MB (the cap)")
        self.seconds, self.peak_mb = seconds, peak_mb


def run_process(args: list[str], env: dict[str, str] | None = None, cap_mb: float = 0) -> Measured:
    """Run a command to the end, sampling its process tree's memory; raise if it fails, or stop it (OverMemory)
    when the tree's memory goes over cap_mb (0 = no cap)."""
    # the writes before it (files generated or copied, an earlier run's store) reach the disk first, not during it:
    # the province bootstrap's discover took 634.6 s right after the generator wrote 5.2 GB, 112.7 s read cold idle
    os.sync()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:  # a file, not a pipe: a full pipe would block
        process = psutil.Popen(args, env=env or python_env(), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        peak = 0
        while process.poll() is None:
            peak = max(peak, _tree_rss(process))
            if cap_mb and peak / 2**20 > cap_mb:
                _stop_tree(process)
                raise OverMemory(args, time.perf_counter() - started, peak / 2**20)
            time.sleep(SAMPLE_SECONDS)
        seconds = time.perf_counter() - started
        log.seek(0)
        output = log.read()
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} exited {process.returncode}:\n{output[-3000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # of the children waited for: the run and its own
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    # maxrss: kB on Linux; the max over children so far
    return Measured(seconds, peak / 2**20, max(after.ru_maxrss, before.ru_maxrss) / 1024, output, cpu_seconds=cpu)


def _stop_tree(process: psutil.Process) -> None:
    """Kill a process and its descendants (by their ids), and reap it."""
    try:
        members = process.children(recursive=True) + [process]
    except psutil.Error:
        members = [process]
    for member in members:
        try:
            member.kill()
        except psutil.Error:
            pass
    process.wait()


def _tree_rss(process: psutil.Process) -> int:
    """Summed resident memory of a process and all its descendants (the Prefect server included)."""
    total = 0
    try:
        members = [process] + process.children(recursive=True)
    except psutil.Error:
        return 0
    for member in members:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            pass
    return total


def povmon(command: str, work: Path, *extra: str) -> list[str]:
    """The povmon command line of a benchmark run on a work folder."""
    return [sys.executable, "-m", "povmon.cli", command, "--inbox", str(work / "inbox"),
            "--reference", str(work / "reference"), "--db", str(work / "povmon.duckdb"), "--out", str(work / "out"),
            *extra]


def latest_flow_run(prefect_home: Path) -> tuple[float, float, list[tuple[str, float, float]]]:
    """The latest flow run's start and end, and its finished tasks as (step name, start, end), in epoch seconds."""
    with sqlite3.connect(prefect_home / "prefect.db") as con:
        flow_run_id, flow_start, flow_end = con.execute(
            "SELECT id, start_time, end_time FROM flow_run WHERE start_time IS NOT NULL ORDER BY start_time DESC LIMIT 1"
        ).fetchone()
        tasks = con.execute("SELECT name, start_time, end_time FROM task_run WHERE flow_run_id = ?",
                            [flow_run_id]).fetchall()
    steps = sorted(STEP_ORDER, key=len, reverse=True)
    return _when(flow_start), _when(flow_end), [
        (next((s for s in steps if name.startswith(s + "-")), name), _when(start), _when(end))
        for name, start, end in tasks if start and end]


def step_seconds(prefect_home: Path) -> tuple[dict[str, float], float]:
    """Durations of the latest flow run's tasks (by step name, summed over retries) and of the flow run itself."""
    flow_start, flow_end, tasks = latest_flow_run(prefect_home)
    steps: dict[str, float] = {}
    for step, start, end in tasks:
        steps[step] = steps.get(step, 0.0) + (end - start)
    return steps, flow_end - flow_start


def step_intervals(prefect_home: Path) -> dict[str, list[list[float]]]:
    """When each of the latest flow run's tasks ran (by step name): [start, end] seconds after the flow run's start.
    Steps that run side by side (the exports beside the pages) are counted once in the page's profile."""
    flow_start, _, tasks = latest_flow_run(prefect_home)
    intervals: dict[str, list[list[float]]] = {}
    for step, start, end in tasks:
        intervals.setdefault(step, []).append([start - flow_start, end - flow_start])
    return intervals


def _when(text: str) -> float:
    """A Prefect timestamp as seconds since the epoch."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def measure_floor(inbox: Path, paths: list[str]) -> dict[str, float]:
    """The engines' floor for an increment (benchmarks/bench_floor.py on its CSV files), in a fresh process."""
    listing = inbox.parent / "increment_files.txt"
    listing.write_text("\n".join(str(inbox / p) for p in paths if p.lower().endswith(".csv")), encoding="utf-8")
    measured = run_process([sys.executable, str(ROOT / "benchmarks" / "bench_floor.py"), str(listing)])
    result = json.loads(measured.output.strip().splitlines()[-1])
    result["floor_seconds"] = result["scan_seconds"] + result["group_by_seconds"]
    return result
