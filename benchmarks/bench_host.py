"""How fast this host is right now: four fixed workloads, timed, so that figures measured hours or days apart can be
read against the speed the host had when each was taken (this machine's speed has moved by up to ~1.9x between
sessions, and by ~1.4x within one: benchmarks/performance_notes.md, forty-third round).

The workloads stand for what a run spends its time in: pure Python (a loop of integer additions, one core),
DuckDB (hashing and summing a range, both cores), Polars (a group-by over a generated frame, both cores) and memory
(a join on shuffled keys: a hash table far larger than the caches, read in random order). A host slowed by its
neighbours can keep the loop's speed and lose the others' (this session: a city increment's CPU seconds up by a
third while the loop held). Each is timed three times and its fastest kept; lower is faster. run_all.py probes
before each scale's runs and after its bench runs (before the department files' and the ledger's own benchmarks).

Usage: python benchmarks/bench_host.py   (prints one JSON line)
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable

import duckdb
import polars as pl

LOOP_STEPS = 15_000_000
DUCKDB_ROWS = 100_000_000
POLARS_ROWS = 10_000_000
JOIN_ROWS = 4_000_000
REPEATS = 3


def python_loop() -> None:
    """A loop of integer additions in the interpreter."""
    total = 0
    for step in range(LOOP_STEPS):
        total += step


def duckdb_hash_sum() -> None:
    """Hash and sum a range of integers in DuckDB (an in-memory database: no file)."""
    con = duckdb.connect()
    try:
        con.execute("SELECT sum(hash(range)) FROM range(?)", [DUCKDB_ROWS]).fetchall()
    finally:
        con.close()


def polars_group_by() -> None:
    """Group a generated frame of integers by key and sum it in Polars."""
    frame = pl.DataFrame({"key": pl.int_range(0, POLARS_ROWS, eager=True) % 10_007,
                          "value": pl.int_range(0, POLARS_ROWS, eager=True)})
    frame.group_by("key").agg(pl.col("value").sum().alias("total"), pl.col("value").n_unique().alias("distinct"))


def memory_join() -> int:
    """Join two generated frames on shuffled keys in Polars: random reads of a hash table beyond the caches; returns
    the rows joined."""
    keys = pl.int_range(0, JOIN_ROWS, eager=True)
    left = pl.DataFrame({"key": keys.shuffle(seed=1), "value": keys})
    right = pl.DataFrame({"key": keys.shuffle(seed=2), "other": keys})
    return left.join(right, on="key", how="inner").height


WORKLOADS: dict[str, Callable[[], object]] = {"python_loop_s": python_loop, "duckdb_s": duckdb_hash_sum,
                                            "polars_s": polars_group_by, "memory_s": memory_join}


def fastest(workload: Callable[[], object], repeats: int = REPEATS) -> float:
    """The fastest of a few timed runs of a workload, in seconds."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        workload()
        times.append(time.perf_counter() - started)
    return min(times)


def host_probe() -> dict[str, float | str]:
    """Each workload's fastest time (seconds) and when it was taken (UTC)."""
    probe: dict[str, float | str] = {name: round(fastest(workload), 3) for name, workload in WORKLOADS.items()}
    probe["taken"] = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    return probe


if __name__ == "__main__":
    print(json.dumps(host_probe()))
