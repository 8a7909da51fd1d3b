"""Independent jobs run in forked processes, so that the machine's cores share pure-Python work (workbooks)."""
from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

_inherited: list[tuple] = []  # the jobs, set before the fork: a child finds them here instead of unpickling them


def run_forked(function: Callable, jobs: list[tuple]) -> list:
    """function(*job) for every job, results in the jobs' order: in forked processes (one per core, at most one per
    job) where the system forks and there are two jobs and two cores, else one after the other here. A job must
    hold plain values and the function run pure Python: DuckDB's and Polars' threads do not survive a fork."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    workers = min(len(jobs), cores)
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [function(*job) for job in jobs]
    _inherited[:] = jobs
    gc.freeze()  # the children's collector leaves the inherited objects alone (no copy of every page)
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            return list(pool.map(_run_inherited, [function] * len(jobs), range(len(jobs))))
    finally:
        gc.unfreeze()
        _inherited.clear()


def _run_inherited(function: Callable, index: int):
    """The index-th inherited job (in a child)."""
    return function(*_inherited[index])
