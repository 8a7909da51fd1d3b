"""Benchmark: what department files add to a nightly increment — 12 files a month with `--records` records in all
(--registered-share of them, 5 %, people of registered households), read, checked (GX included), loaded, matched and judged.

    PYTHONPATH=. python benchmarks/bench_departments.py --db demo/data/povmon.duckdb --as-of 202003 [--records 200000]
(--db: the store of a run over a synthetic city; it is copied, never changed). Prints the time of each step."""
from __future__ import annotations

import argparse
import csv
import io
import shutil
import tempfile
import time
from datetime import datetime
from pathlib import Path

import numpy as np

from core import db
from core.settings import load_settings
from tasks.departments.events import EVENTS
from tasks.departments.ingest import check_departments, ingest_department_files, plan_department_reads
from tasks.departments.read import read_department_files
from tasks.departments.rows import check_rows
from tasks.ingest.discover import list_inbox
from tasks.validate.id_number import check_character

HEADER = ["身份证号", "姓名", "事项", "发生日期", "金额", "等级", "说明"]


def write_files(inbox: Path, heads: list[str], period: str, records: int, registered_share: float, seed: int = 1) -> None:
    """One CSV per department for the month, records spread evenly over the departments."""
    rng = np.random.default_rng(seed)
    departments = sorted({spec["department"] for spec in EVENTS.values()})
    per_file = records // len(departments)
    for department in departments:
        events = [code for code, spec in EVENTS.items() if spec["department"] == department]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(HEADER)
        for i in range(per_file):
            if rng.random() < registered_share:
                person = heads[int(rng.integers(len(heads)))]
            else:
                body = f"430521{1950 + int(rng.integers(60))}0{1 + int(rng.integers(9))}1{int(rng.integers(10))}{i % 1000:03d}"
                person = body + check_character(body)
            event = events[int(rng.integers(len(events)))]
            amount = str(int(rng.integers(100, 40000))) if event in ("MEDICAL_OOP", "DISASTER") else ""
            grade = {"DISABILITY_NEW": "二级", "UNSAFE_HOUSING": "C", "VEHICLE": "小型轿车"}.get(event, "")
            writer.writerow([person, "某某", event, f"{period[:4]}-{period[4:]}-{1 + i % 28:02d}", amount, grade, ""])
        # a correction (_v9): it wins over the files of the store's own run
        (inbox / f"dept_{department}_{period}_v9.csv").write_bytes(out.getvalue().encode("utf-8"))


def main() -> None:
    """Time the department steps on a copy of a store."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--as-of", default="202003")
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--registered-share", type=float, default=0.05, help="records of registered heads")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-departments-"))
    store = work / "povmon.duckdb"
    shutil.copy(args.db, store)
    con = db.connect(store)
    heads = [h for (h,) in con.execute("SELECT DISTINCT head_id_number FROM households_current "
                                       "WHERE head_id_number IS NOT NULL").fetchall()]
    inbox = work / "inbox"
    inbox.mkdir()
    write_files(inbox, heads, args.as_of, args.records, args.registered_share)
    settings = load_settings()
    warm = time.perf_counter()
    check_rows(read_department_files(plan_department_reads(con, list_inbox(inbox, {}, 0)[0][:1], lambda n: False, 998,
                                                           datetime.now()), work / "raw").raw_frame().head(50))
    started = time.perf_counter()  # GX imported and the suite prepared once per process, as in a nightly run
    deliveries, _ = list_inbox(inbox, {}, 0)
    slots = plan_department_reads(con, deliveries, lambda name: False, 999, datetime.now())
    listed = time.perf_counter()
    batch = ingest_department_files(con, slots, work / "raw", 999)
    ingested = time.perf_counter()
    counts = check_departments(con, settings.departments, args.as_of, work / "exports")
    judged = time.perf_counter()
    rows = db.scalar(con, "SELECT count(*) FROM department_rows WHERE period = ?", [args.as_of])
    print(f"GX import and suite preparation (once per process; a nightly run has imported GX for the returns): "
          f"{started - warm:.2f} s")
    print(f"{len(batch.files)} files, {rows} records, {len(heads)} registered heads")
    print(f"list and hash: {listed - started:.2f} s; read, check (GX) and load: {ingested - listed:.2f} s; "
          f"match, judge, store and export: {judged - ingested:.2f} s; total {judged - started:.2f} s")
    print(f"findings: {counts}")
    con.close()
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
