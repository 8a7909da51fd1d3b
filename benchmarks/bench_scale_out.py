"""Benchmark: the nightly flow on a synthetic city in the flow process, then with its per-county tasks on a
local Dask cluster; prints the wall time of each run and whether their exports and pages are the same.

Run: PYTHONPATH=. python benchmarks/bench_scale_out.py [--scale small|city] [--workers 2] [--dir FOLDER]
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from povmon.prefect_env import configure_prefect  # noqa: E402

GENERATED_AT = re.compile(rb"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")


def published_files(out: Path) -> dict[str, bytes]:
    """Every export and page of a run, the minute it was generated blanked out."""
    return {str(p.relative_to(out)): GENERATED_AT.sub(b"<time>", p.read_bytes())
            for p in sorted(out.rglob("*")) if p.is_file() and p.parent.name in ("exports", "reports")}


def run_nightly(city: Path, work: Path, **env: str) -> float:
    """One nightly run of the city into work/; returns its wall time in seconds."""
    from flows.nightly import nightly

    os.environ.update(env)
    try:
        started = time.perf_counter()
        nightly(inbox=str(city / "inbox"), reference=str(city / "reference"),
                db_path=str(work / "db.duckdb"), out=str(work / "out"))
        return time.perf_counter() - started
    finally:
        for key in env:
            os.environ.pop(key, None)


def main() -> None:
    """Generate the city, run it both ways, print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="small", choices=["small", "city"])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--dir", help="work folder (default: a temporary one)")
    args = parser.parse_args()
    root = Path(args.dir or tempfile.mkdtemp(prefix="povmon-scale-out-"))
    configure_prefect(root / "prefect")
    os.environ["POVMON_SETTLE_SECONDS"] = "0"
    from distributed import LocalCluster
    from prefect.testing.utilities import prefect_test_harness
    from povmon.synth import generate_city

    city = root / "city"
    if not (city / "inbox").exists():
        generate_city(city, seed=7, scale=args.scale, as_of="202003")
    with prefect_test_harness(server_startup_timeout=180):
        run_nightly(city, root / "warm-up")  # Prefect's first flow run and the imports, not measured
        in_process = run_nightly(city, root / "in-process")
        started = time.perf_counter()
        with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster:
            cluster_start = time.perf_counter() - started
            on_dask = run_nightly(city, root / "dask", POVMON_DASK_ADDRESS=cluster.scheduler_address)
            on_warm_dask = run_nightly(city, root / "dask-warm", POVMON_DASK_ADDRESS=cluster.scheduler_address)
        local = run_nightly(city, root / "dask-local", POVMON_DASK_LOCAL_WORKERS=str(args.workers))
    same = published_files(root / "in-process" / "out") == published_files(root / "dask" / "out")
    print(f"scale={args.scale} workers={args.workers}")
    print(f"in process:                      {in_process:6.1f} s")
    print(f"Dask cluster (started in {cluster_start:.1f} s): {on_dask:6.1f} s first run, {on_warm_dask:6.1f} s second")
    print(f"dask_local_workers={args.workers} (cluster per run): {local:6.1f} s")
    print(f"exports and pages identical: {same}")


if __name__ == "__main__":
    main()
