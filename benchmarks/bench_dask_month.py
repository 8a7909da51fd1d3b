"""The province's increment month on a local Dask cluster of 2 workers, on a fresh bootstrap of its 30-month
history, as `make bench` runs it but alone: seconds and peak memory of the process tree of both runs.

Usage: python benchmarks/bench_dask_month.py [--work DIR]   (default benchmarks/data/province/dask-month; the
province's data is generated first if missing; writes benchmarks/data/results-dask-month.json)
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.bench_data import DATA, SETUPS, add_files, prepare  # noqa: E402
from benchmarks.bench_measure import povmon  # noqa: E402
from benchmarks.run_all import DASK_WORKERS, prefect_home, timed_run  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Bootstrap the history into a fresh work folder, deliver the month, run it on the cluster; print both."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=DATA / "province" / "dask-month")
    args = parser.parse_args(argv)
    setup = SETUPS["province"]
    data = prepare(setup)
    work = args.work
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    shutil.copytree(data["dir"] / "full" / "reference", work / "reference")
    add_files(data["dir"] / "full" / "inbox", work / "inbox", data["history"])
    result = {"bootstrap": timed_run(povmon("run", work, "--as-of", setup.bootstrap_as_of), prefect_home())}
    add_files(data["dir"] / "full" / "inbox", work / "inbox", data["increment"] + data["night"])
    result["dask_month"] = timed_run(povmon("run", work, "--as-of", setup.increment_as_of), prefect_home(),
                                     POVMON_DASK_LOCAL_WORKERS=str(DASK_WORKERS))
    for run in result.values():
        run.pop("output", None)
    (DATA / "results-dask-month.json").write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
