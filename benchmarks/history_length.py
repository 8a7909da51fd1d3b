"""Issue 18, "increments independent of history": the city's increment timed on stores holding more or less history.

For each first month given (default 201910, 201810 and 201710: 6, 18 and 30 months before the increment month
202004; the first is an income year's first month with no complete year before it, so its marts have no backtest
and no calendars learnt from one), a store is bootstrapped from the synthetic city's history from that month on
(`make bench`'s city, as-of 202003; department files and resends of earlier months left out, files of no month
kept), then `make bench`'s increment (every village's return of 202004 but the ten the typical night holds back)
is run on it. Prints, per store, its months and household rows, the increment's wall time, time in the flow,
peak memory of the process tree and its Prefect step times (their sum: they run one after another, but for
the exports beside the pages). Runs on one machine at one time compare with each other; the page's figures
come from `make bench`.

With `--scale province`, the same on `make bench`'s clean province (benchmarks/bench_generate.py, 201804-202010;
default first months 202004, 201904 and 201804: 6, 18 and 30 months before its increment month 202010, a new
income year's first month).

Usage: python benchmarks/history_length.py [--scale city|province] [--first 201910 201810 201710] [--work DIR]
       [--rounds N]
(WORK defaults to benchmarks/data/history_length, or history_length-province; each first month's bootstrapped store
is kept there as <first>/boot and reused by a later call once its bootstrap completed, the increment runs on a
copy <first>/run).
"""
from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_data import DATA, SETUPS, add_files, prepare  # noqa: E402
from benchmarks.bench_dept_increment import snapshot  # noqa: E402
from benchmarks.bench_measure import povmon, run_process  # noqa: E402
from benchmarks.run_all import MONTH, prefect_home, timed_run  # noqa: E402

NAME_MONTH = re.compile(rf"_({MONTH.pattern})\D")  # a resend's month, in its name
BOOTSTRAPPED = "bootstrapped.txt"  # in a first month's boot/, once its bootstrap completed
FIRST_MONTHS = {"city": ["201910", "201810", "201710"], "province": ["202004", "201904", "201804"]}


def month_of(rel_path: str) -> str | None:
    """The month a delivered file is of: its <YYYYMM>/ folder, else the _YYYYMM in its name (a resend); None for
    a file of no month."""
    parts = rel_path.split("/")
    folder = next((part for part in parts[:-1] if MONTH.fullmatch(part)), None)
    if folder:
        return folder
    named = NAME_MONTH.search(parts[-1] + ".")
    return named.group(1) if named else None


def history_from(paths: list[str], first: str) -> list[str]:
    """The files of the history from a month on (and those of no month)."""
    return [p for p in paths if (month_of(p) or first) >= first]


def bootstrapped(scale_dir: Path, history: list[str], boot: Path, as_of: str) -> dict | None:
    """A store bootstrapped from these files in boot (kept, and reused once its bootstrap completed); the
    bootstrap's figures when it ran now."""
    done = boot / BOOTSTRAPPED
    if done.exists():
        return None
    if boot.exists():  # none yet, or one stopped midway
        shutil.rmtree(boot)
    boot.mkdir(parents=True)
    shutil.copytree(scale_dir / "full" / "reference", boot / "reference")
    add_files(scale_dir / "full" / "inbox", boot / "inbox", history)
    measured = timed_run(povmon("run", boot, "--as-of", as_of, "--quiet"), prefect_home())
    done.write_text(f"{measured['seconds']:.1f} s\n", encoding="utf-8")
    return measured


def store_figures(store: Path) -> dict:
    """The months and household × month rows a store holds (read in a process of its own, the store closed)."""
    code = ("import duckdb,sys; c=duckdb.connect(sys.argv[1], read_only=True); "
            "print(*c.execute('SELECT count(DISTINCT period), count(*) FROM household_months').fetchone())")
    measured = run_process([sys.executable, "-c", code, str(store)])
    months, rows = measured.output.split()[-2:]
    return {"months": int(months), "household_months": int(rows)}


def increment_on(scale_dir: Path, boot: Path, increment: list[str], as_of: str) -> dict:
    """The increment's files delivered to a copy of the bootstrapped work folder beside it (run/) and run; its
    figures."""
    run = snapshot(boot, "run")
    add_files(scale_dir / "full" / "inbox", run / "inbox", increment)
    return timed_run(povmon("run", run, "--as-of", as_of, "--quiet"), prefect_home())


def line(first: str, store: dict, measured: dict) -> str:
    """One store's increment, as printed."""
    steps = measured["steps"]
    top = ", ".join(f"{name} {seconds:.2f}" for name, seconds in sorted(steps.items(), key=lambda kv: -kv[1])[:6])
    return (f"from {first}: {store['months']} months, {store['household_months']:,} household months | increment "
            f"{measured['seconds']:.1f} s wall, {measured['flow_seconds']:.1f} s in flow, steps {sum(steps.values()):.1f} s, "
            f"peak {measured['peak_tree_mb']:.0f} MB | {top}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(FIRST_MONTHS), default="city")
    parser.add_argument("--first", nargs="+", help="first months of the stores (default: by scale)")
    parser.add_argument("--work", type=Path, help="where the stores are kept (default: by scale)")
    parser.add_argument("--rounds", type=int, default=1, help="increments timed per store, in turns")
    args = parser.parse_args()
    args.first = args.first or FIRST_MONTHS[args.scale]
    args.work = args.work or DATA / ("history_length" if args.scale == "city" else f"history_length-{args.scale}")
    setup = SETUPS[args.scale]
    data = prepare(setup)
    stores = {}
    for first in args.first:
        boot = args.work / first / "boot"
        made = bootstrapped(data["dir"], history_from(data["history"], first), boot, setup.bootstrap_as_of)
        if made:
            print(f"from {first}: bootstrapped in {made['seconds']:.1f} s", flush=True)
        stores[first] = store_figures(boot / "povmon.duckdb")
    for _ in range(args.rounds):
        for first in args.first:
            measured = increment_on(data["dir"], args.work / first / "boot", data["increment"],
                                    setup.increment_as_of)
            print(line(first, stores[first], measured), flush=True)


if __name__ == "__main__":
    main()
