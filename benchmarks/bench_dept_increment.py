"""`make bench`, city: what a month's 12 department files (200,000 records, benchmarks/department_month.py) add to
a nightly increment: the same increment run on two copies of the bootstrapped store, without and with the files,
`--rounds` times alternately; wall and CPU seconds of each whole process, the department steps' own seconds and
the load average around each run (the machine may be shared)."""
from __future__ import annotations

import os
import resource
import shutil
import statistics
from pathlib import Path

from benchmarks.bench_data import add_files, copy_raw_store
from benchmarks.bench_measure import povmon, run_process, step_seconds
from benchmarks.department_month import city_counties, registered_people, write_month
from core import db

RECORDS = 200_000
DEPARTMENT_STEPS = ("ingest-departments", "check-departments")


def snapshot(work: Path, name: str = "work-bootstrapped") -> Path:
    """A copy of a bootstrapped work folder beside it (inbox hard-linked: only ever read; the raw store as
    bench_data.copy_raw_store copies it)."""
    target = work.parent / name
    if target.exists():
        shutil.rmtree(target)
    for part in sorted(work.iterdir()):
        if part.name == "inbox":
            shutil.copytree(part, target / part.name, copy_function=os.link)
        elif part.name == "raw":
            copy_raw_store(part, target / part.name)
        elif part.is_dir():
            shutil.copytree(part, target / part.name)
        else:
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(part, target / part.name)
    return target


def _cpu_of_children() -> float:
    """CPU seconds (user + system) of the waited-for children so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _one_run(bootstrapped: Path, source_inbox: Path, increment: list[str], as_of: str, with_files: bool,
             prefect_home: Path) -> dict:
    """The increment on a fresh copy of the bootstrapped folder, with or without the department files."""
    work = snapshot(bootstrapped, "work-departments")
    add_files(source_inbox, work / "inbox", increment)
    records = 0
    if with_files:
        con = db.connect(work / "povmon.duckdb")
        try:
            people, counties = registered_people(con), city_counties(con)
        finally:
            con.close()
        write_month(work / "inbox" / "departments" / as_of, people, counties, as_of, RECORDS)
        records = RECORDS
    load_before, cpu_before = os.getloadavg()[0], _cpu_of_children()
    measured = run_process(povmon("run", work, "--as-of", as_of))
    cpu = _cpu_of_children() - cpu_before
    steps, flow_seconds = step_seconds(prefect_home)
    shutil.rmtree(work)
    return {"with_files": with_files, "records": records, "seconds": measured.seconds, "cpu_seconds": cpu,
            "flow_seconds": flow_seconds, "load_before": load_before, "load_after": os.getloadavg()[0],
            "department_steps": {s: sum(v for name, v in steps.items() if name.startswith(s)) for s in DEPARTMENT_STEPS},
            "steps": steps, "peak_tree_mb": measured.peak_tree_mb}


def measure_department_increment(bootstrapped: Path, source_inbox: Path, increment: list[str], as_of: str,
                                 prefect_home: Path, rounds: int = 2) -> dict:
    """Alternate increments without and with the month's department files; the added seconds are the difference
    of the medians."""
    runs = [_one_run(bootstrapped, source_inbox, increment, as_of, with_files, prefect_home)
            for _ in range(rounds) for with_files in (False, True)]
    shutil.rmtree(bootstrapped)

    def median(key: str, with_files: bool) -> float:
        return statistics.median(r[key] for r in runs if r["with_files"] == with_files)

    steps = {s: statistics.median(r["department_steps"][s] for r in runs if r["with_files"]) for s in DEPARTMENT_STEPS}
    return {"as_of": as_of, "records": RECORDS, "files": 12, "runs": runs,
            "added_seconds": median("seconds", True) - median("seconds", False),
            "added_cpu_seconds": median("cpu_seconds", True) - median("cpu_seconds", False),
            "department_steps": steps}
