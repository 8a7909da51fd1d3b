"""Benchmark: what department files add to a nightly increment — 12 files a month with `--records` records in all
(benchmarks/department_month.py: a realistic mix, most records people of registered households making no finding),
read, checked (GX included), loaded, matched, judged and exported, on a copy of a store.

    PYTHONPATH=. python benchmarks/bench_departments.py --db demo/data/povmon.duckdb --as-of 202003 [--records 200000]
(--db: the store of a run over a synthetic city; it is copied, never changed). Prints the wall and CPU seconds of
each step and the load average. `make bench` measures the same files inside a whole nightly increment."""
from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from datetime import datetime
from pathlib import Path

from benchmarks.department_month import city_counties, registered_people, write_month
from core import db
from core.settings import load_settings
from tasks.departments.ingest import check_departments, ingest_department_files, plan_department_reads
from tasks.departments.read import read_department_files
from tasks.departments.rows import check_rows
from tasks.ingest.listing import list_inbox


def clock() -> tuple[float, float]:
    """Wall and CPU seconds (this process, every thread) now."""
    return time.perf_counter(), time.process_time()


def since(mark: tuple[float, float]) -> str:
    """Wall and CPU seconds since a mark."""
    wall, cpu = clock()
    return f"{wall - mark[0]:.2f} s (CPU {cpu - mark[1]:.2f} s)"


def main() -> None:
    """Time the department steps on a copy of a store."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--as-of", default="202003")
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-departments-"))
    store = work / "povmon.duckdb"
    shutil.copy(args.db, store)
    con = db.connect(store)
    people = registered_people(con)
    inbox = work / "inbox"
    write_month(inbox, people, city_counties(con), args.as_of, args.records, args.seed)
    settings = load_settings()
    warm = clock()
    check_rows(read_department_files(plan_department_reads(con, list_inbox(inbox, {}, 0)[0][:1], lambda n: False, 998,
                                                           datetime.now()), work / "raw").raw_frame().head(50))
    print(f"GX import and suite preparation (once per process; a nightly run has imported GX for the returns): "
          f"{since(warm)}")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    started = clock()
    deliveries, _ = list_inbox(inbox, {}, 0)
    slots = plan_department_reads(con, deliveries, lambda name: False, 999, datetime.now())
    print(f"list and hash: {since(started)}")
    mark = clock()
    batch = ingest_department_files(con, slots, work / "raw", 999)
    print(f"read, check (GX) and load: {since(mark)}")
    mark = clock()
    counts = check_departments(con, settings.departments, args.as_of, work / "exports")
    print(f"match, judge, store and export: {since(mark)}")
    print(f"total: {since(started)}; load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    rows = db.scalar(con, "SELECT count(*) FROM department_rows WHERE period = ?", [args.as_of])
    print(f"{len(batch.files)} files, {rows} records, {len(people)} registered people; findings: {counts}")
    con.close()
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
