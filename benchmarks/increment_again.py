"""Time a scale's nightly increment again without its bootstrap: copy a saved store (snapshot_store of the
bootstrapped work folder, e.g. benchmarks/data/province/before), deliver the increment month's files to the work
inbox and run `povmon run` on the copy; prints its wall time, peak memory and Prefect step times. With --no-files
the run delivers nothing: on a store built by other code it rebuilds the marts (their SQL or settings changed),
giving a saved store of this code to time increments from (run it before any increment reached
the work inbox: the inbox keeps what a run delivered).

Usage: python benchmarks/increment_again.py SAVED COPY [--scale province|city] [--no-files]
(SAVED and COPY are folder names under benchmarks/data/<scale>/)."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_data import DATA, SETUPS, add_files, prepare, python_env, snapshot_store  # noqa: E402
from benchmarks.bench_measure import povmon, run_process, step_seconds  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("saved")
    parser.add_argument("copy")
    parser.add_argument("--scale", choices=sorted(SETUPS), default="province")
    parser.add_argument("--no-files", action="store_true", help="deliver nothing: the bootstrap month again")
    args = parser.parse_args()
    setup = SETUPS[args.scale]
    folder = DATA / args.scale
    work, target = folder / "work", folder / args.copy
    snapshot_store(folder / args.saved, target)
    as_of = setup.bootstrap_as_of
    if not args.no_files:
        data = prepare(setup)
        add_files(folder / "full" / "inbox", work / "inbox",
                  [p for p in data["increment"] if not (work / "inbox" / p).exists()])
        as_of = setup.increment_as_of
    command = povmon("run", work, "--as-of", as_of)
    command[command.index("--db") + 1] = str(target / "povmon.duckdb")
    command[command.index("--out") + 1] = str(target / "out")
    home = target / "prefect_home"
    measured = run_process(command, {**python_env(), "POVMON_PREFECT_HOME": str(home)}, 0)
    steps, flow_seconds = step_seconds(home)
    print(json.dumps({"as_of": as_of, "seconds": round(measured.seconds, 1), "flow_seconds": round(flow_seconds, 1),
                      "peak_tree_mb": round(measured.peak_tree_mb), "steps": {k: round(v, 1) for k, v in steps.items()}},
                     indent=1))


if __name__ == "__main__":
    main()
