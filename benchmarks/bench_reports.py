"""Benchmark: write the exports and render every report of a store; prints times, sizes and peak memory.

Builds a city-scale store synthetically with SQL (10 counties, 150,000 households; household_status & co. as the
projection step leaves them), unless --db points at a real one (opened read-only, e.g. a bootstrapped snapshot),
then renders as of --as-of (default: that store's latest completed run). --county renders one county (a rerun).
Run: PYTHONPATH=. python benchmarks/bench_reports.py [--db FILE] [--as-of YYYYMM] [--county CODE]
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import db  # noqa: E402
from core.settings import load_settings  # noqa: E402
from tasks.report.exports import write_exports  # noqa: E402
from tasks.report.history import store_status_figures  # noqa: E402
from tasks.report.pages import render_reports  # noqa: E402
from tests.support.report_fixture import create_missing_tables  # noqa: E402

AS_OF = "202006"
PERIODS = ["201910", "201911", "201912", "202001", "202002", "202003", "202004", "202005", "202006"]
UNITS_SQL = """
INSERT INTO admin_units
SELECT code, name, level, parent_code, management_area FROM (
    SELECT (430520 + c)::TEXT AS code, '第' || c || '县' AS name, 'county' AS level, NULL AS parent_code,
           c = 10 AS management_area FROM range(1, 11) t(c)
    UNION ALL
    SELECT (430520 + c)::TEXT || lpad((100 + t)::TEXT, 3, '0'), '第' || t || '镇', 'township', (430520 + c)::TEXT, FALSE
    FROM range(1, 11) a(c), range(1, 11) b(t)
    UNION ALL
    SELECT (430520 + c)::TEXT || lpad((100 + t)::TEXT, 3, '0') || lpad(v::TEXT, 3, '0'), '村' || t || '-' || v || '<b>',
           'village', (430520 + c)::TEXT || lpad((100 + t)::TEXT, 3, '0'), FALSE
    FROM range(1, 11) a(c), range(1, 11) b(t), range(1, 11) d(v))
"""
HOUSEHOLDS_SQL = """
CREATE TEMP TABLE bench_households AS
SELECT v.code AS village_code, v.code || lpad(n::TEXT, 4, '0') AS household_id,
       (hash(v.code || n) % 9000)::DOUBLE / 1000 AS wealth
FROM admin_units v, range(1, 151) r(n)
WHERE v.level = 'village'
"""
STATUS_SQL = """
INSERT INTO household_status
SELECT left(village_code, 6), left(village_code, 9), village_code, household_id,
       '张' || (['伟', '芳', '秀英', '建国'])[1 + (hash(household_id) % 4)::BIGINT], left(household_id, 6) || '19800101' || right(household_id, 4),
       (['脱贫户', '监测户', '边缘户', '低保户'])[1 + (hash(household_id) % 4)::BIGINT], (1 + hash(household_id) % 6)::INTEGER,
       (hash(household_id) % 3)::INTEGER, period, 2020, income_month_of(period), pc * 3 * income_month_of(period) / 12,
       pc, pc * 0.85, pc * 1.15, pc * 1.05, 4000, pc < 4000, pc >= 4000 AND pc < 6000,
       hash(household_id || period) % 50 = 0, pc < 4500 AND hash(household_id) % 4 = 0,
       hash(household_id) % 40 = 0,
       concat_ws(';', CASE WHEN pc < 4000 THEN 'BELOW_LINE' END, CASE WHEN hash(household_id) % 40 = 0 THEN 'GUARANTEE_GAP' END,
                 CASE WHEN pc >= 4000 AND pc < 6000 THEN 'NEAR_LINE' END),
       CASE WHEN pc < 6000 OR hash(household_id) % 40 = 0 THEN '预计人均纯收入' || round(pc) || '元，监测线4000元；年累计纯收入较上年同期下降12%' ELSE '' END,
       CASE WHEN pc < 6000 OR hash(household_id) % 40 = 0 THEN '预计人均纯收入' || round(pc) || '元，监测线4000元；年累计纯收入较上年同期下降12%' ELSE '' END,
       CASE WHEN pc < 4000 THEN '公益岗位' END, CASE WHEN pc < 6000 THEN '因病、缺劳力' ELSE '' END,
       CASE WHEN hash(household_id) % 40 = 0 THEN '住房' END
FROM (SELECT h.*, p.period, 3000 + 10000 * h.wealth / 9 * (0.4 + h.wealth / 9) AS pc
      FROM bench_households h, (SELECT unnest($periods) AS period) p)
"""
FILES_SQL = """
INSERT INTO source_files (file_id, sha256, file_name, first_path, size_bytes, village_code, period, correction_rank,
                          ingest_run_id, ingested_at, status, rows_read, rows_used, rows_quarantined)
SELECT row_number() OVER (), md5(code), code || '_' || $period || '.xlsx', code || '_' || $period || '.xlsx', 1000, code,
       $period, 1, 1, TIMESTAMP '2020-07-05 21:00', CASE WHEN hash(code) % 30 = 0 THEN 'rejected' ELSE 'loaded' END,
       150, 147, 3
FROM admin_units WHERE level = 'village' AND hash(code) % 25 <> 0
"""
PROBLEMS_SQL = """
INSERT INTO problems
SELECT f.file_id, 2 + n, f.village_code || lpad(n::TEXT, 4, '0'), CASE WHEN n % 3 = 0 THEN 'ROW_NOT_NUMBER' ELSE 'ROW_ID_NUMBER' END,
       CASE WHEN n % 3 = 0 THEN 'error' ELSE 'warning' END, '身份证号' || f.village_code || '198001011234 校验位不符', 1
FROM source_files f, range(1, 10) r(n)
"""


def build_city(path: Path) -> None:
    """A city-scale store: 10 counties × 100 villages × 150 households, 9 periods of household_status."""
    con = db.connect(path)
    create_missing_tables(con, ["household_status", "village_signals", "projection_accuracy", "households_data_missing"])
    con.execute(UNITS_SQL)
    con.execute(HOUSEHOLDS_SQL)
    con.execute(STATUS_SQL, {"periods": PERIODS})
    store_status_figures(con, {(c, p): "bench" for c, p in  # the key figures a run records from household_status
                               con.execute("SELECT DISTINCT county_code, period FROM household_status").fetchall()})
    con.execute(FILES_SQL, {"period": AS_OF})
    con.execute(PROBLEMS_SQL)
    con.execute("INSERT INTO village_signals SELECT left(code, 6), parent_code, code, $period, 'MISSING_RETURN', '本月未收到报表' "
                "FROM admin_units WHERE level = 'village' AND hash(code) % 25 = 0", {"period": AS_OF})
    con.execute("INSERT INTO projection_accuracy SELECT y, m, meth, 0.3 / m, 0.8, 0.7, 0.8 FROM range(2017, 2020) a(y), "
                "range(1, 13) b(m), (VALUES ('seasonal'), ('naive')) c(meth)")
    con.close()


def main() -> int:
    """Build (or open) the store, render all reports, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", help="an existing store to render instead of a synthetic one")
    parser.add_argument("--as-of", help="the month to render (default: the store's latest completed run)")
    parser.add_argument("--county", help="render only this county's page and the overview (as a rerun does)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="povmon-bench-reports-"))
    path = Path(args.db) if args.db else work / "city.duckdb"
    if not args.db:
        started = time.perf_counter()
        build_city(path)
        print(f"built synthetic city store in {time.perf_counter() - started:.1f} s: {path}")
    con = db.connect(path, read_only=bool(args.db))
    households = con.execute("SELECT count(DISTINCT household_id), count(*) FROM household_status").fetchall()[0]
    latest_run, latest_as_of = con.execute(db.sql_text("reports/latest_run")).fetchall()[0]
    as_of = args.as_of or latest_as_of or AS_OF
    started = time.perf_counter()
    write_exports(con, work / "exports", as_of)
    export_seconds = time.perf_counter() - started
    started, cpu_started = time.perf_counter(), time.process_time()
    out = render_reports(con, work / "reports", as_of, latest_run or 1, load_settings(environ={}),
                         only_counties={args.county} if args.county else None)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    print(f"exports as of {as_of} written in {export_seconds:.2f} s")
    sizes = {code: p.stat().st_size for code, p in out["counties"].items()}
    largest = max(sizes, key=sizes.get)
    print(f"rendered {len(sizes)} county pages + index for {households[0]:,} households "
          f"({households[1]:,} household × period rows) in {seconds:.2f} s ({cpu_seconds:.2f} s CPU, all threads)")
    print(f"largest county page: {largest} {sizes[largest] / 1e6:.2f} MB; index {out['index'].stat().st_size / 1e3:.0f} kB; "
          f"pages in {out['index'].parent}; peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
