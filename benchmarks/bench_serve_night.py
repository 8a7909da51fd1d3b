"""`make bench`, city: the typical night under `povmon serve` on the city's own store (issue 18: "typical night in
serve mode ≤ 5 s"), where benchmarks/bench_startup.py measures it on a small city.

A copy of the work folder as it stood before the night (the increment and the rerun done) gets `povmon serve` on a
Prefect home of its own (its first start migrates, not timed); the night's late returns are dropped in its inbox
and the nightly deployment triggered (bench_startup.serve_night): flow run start to Completed as Prefect recorded
it, plus the worker's start of the flow run's process."""
from __future__ import annotations

import shutil
from pathlib import Path

from benchmarks.bench_data import ROOT
from benchmarks.bench_dept_increment import snapshot
from benchmarks.bench_startup import Bench, serve_night


def copy_before_night(work: Path) -> Path:
    """A copy of the work folder to run the serve-mode night on (made before the plain night adds its files)."""
    return snapshot(work, "work-serve")


def measure_serve_night(copy: Path, source_inbox: Path, night: list[str]) -> dict:
    """The night's files delivered to the copy under `povmon serve`; its figures, the copy removed after."""
    try:
        measured = serve_night(Bench(ROOT, copy), [source_inbox / rel for rel in night])
    finally:
        shutil.rmtree(copy, ignore_errors=True)
    beside = measured.pop("empty_run_beside_serve")
    return {**measured, "seconds": measured["flow"] + measured["process_start"],
            "empty_run_beside_serve": {k: beside[k] for k in ("wall", "before_flow", "flow", "after_flow")}}
