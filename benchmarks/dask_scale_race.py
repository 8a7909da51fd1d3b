"""Stop and restart a local Dask cluster's workers many times under CPU load, waiting for them either through
the cluster (`client.wait_for_workers`, as flows/scale_out.py did before) or by asking the scheduler through the
client (flows/scale_out.await_running_workers); print whether the cluster closed cleanly.

The cluster's wait replaces its copy of the scheduler's workers with a snapshot that can arrive after a worker's
'add', erasing it; that worker's later 'remove' then raises KeyError in the cluster's watcher, re-raised when the
cluster closes. Usage: python benchmarks/dask_scale_race.py --wait cluster|scheduler [--cycles 40] [--busy 3]"""
from __future__ import annotations

import argparse
import logging
import multiprocessing
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def spin(seconds: float) -> None:
    """Keep one core busy for a while (the load under which the race shows)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def running(client) -> int:
    """How many workers the scheduler lists as running."""
    return sum(1 for w in client.scheduler_info(n_workers=-1)["workers"].values() if w.get("status") == "running")


def cycle_workers(wait: str, cycles: int) -> str:
    """The cycles of stop and restart on one local cluster of 2 workers; what closing it gave."""
    from distributed import Client, LocalCluster

    try:
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
                Client(cluster) as client:
            for _ in range(cycles):
                client.submit(sum, [1, 2]).result()
                cluster.scale(0)
                while wait == "scheduler" and running(client):
                    time.sleep(0.05)
                cluster.scale(2)
                if wait == "cluster":
                    client.wait_for_workers(2)
                while wait == "scheduler" and running(client) < 2:
                    time.sleep(0.05)
        return "closed cleanly"
    except KeyError as err:
        return f"failed on close: KeyError {err}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wait", choices=("cluster", "scheduler"), required=True)
    parser.add_argument("--cycles", type=int, default=40)
    parser.add_argument("--busy", type=int, default=3, help="busy processes beside the cluster")
    args = parser.parse_args()
    logging.getLogger("distributed").setLevel(logging.CRITICAL)
    load = [multiprocessing.Process(target=spin, args=(600,), daemon=True) for _ in range(args.busy)]
    for process in load:
        process.start()
    started = time.monotonic()
    outcome = cycle_workers(args.wait, args.cycles)
    for process in load:
        process.terminate()
    print(f"wait through the {args.wait}: {args.cycles} cycles in {time.monotonic() - started:.0f} s, {outcome}")


if __name__ == "__main__":
    main()
