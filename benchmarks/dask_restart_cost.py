"""What stopping the run's own Dask workers after each batch (flows/scale_out.shed_worker_memory) costs in time:
check_by_county on the same small batch N times on a local cluster of 2 workers, stopped after each batch as a run
does, then kept up; prints each batch's seconds. A fresh worker imports Polars and Great Expectations again on its
first check, which a kept one does not.

Usage: python benchmarks/dask_restart_cost.py [--batches 4] [--rounds 2]"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def batch_seconds(folder: Path, stop_after_each: bool, batches: int) -> list[float]:
    """Each batch's check_by_county seconds on one cluster, its workers stopped after each batch or kept up."""
    import pytest

    import flows.scale_out as scale_out
    from core.settings import load_settings
    from tasks.ingest.reference import read_admin_units
    from tests.test_speed_paths import read_inbox

    settings = replace(load_settings(environ={}), dask_local_workers=2)
    units = read_admin_units(folder / "reference")
    shed = scale_out.shed_worker_memory
    if not stop_after_each:
        scale_out.shed_worker_memory = lambda runner, settings: None
    seconds = []
    try:
        with scale_out.county_runner(settings) as runner, pytest.MonkeyPatch.context() as patch:
            for _ in range(batches):
                batch = read_inbox(folder, patch, parallel=False)
                started = time.monotonic()
                scale_out.check_by_county(runner, batch, units, settings)
                seconds.append(round(time.monotonic() - started, 2))
    finally:
        scale_out.shed_worker_memory = shed
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    from prefect.testing.utilities import prefect_test_harness

    from tests.test_speed_paths import write_returns

    with tempfile.TemporaryDirectory() as folder, prefect_test_harness():
        write_returns(Path(folder))
        for _ in range(args.rounds):
            for stop_after_each in (True, False):
                seconds = batch_seconds(Path(folder), stop_after_each, args.batches)
                print(f"{'stopped after each batch' if stop_after_each else 'kept up':25} per batch: {seconds} s",
                      flush=True)


if __name__ == "__main__":
    main()
