"""The case ledger at city scale (150,000 households in 10 counties): a nightly increment's ledger step,
`cases export` of every county, and the import of a 5,000-row county workbook.

The ledger's inputs (household_status, village_signals, the reference list) are generated straight into a DuckDB
file, so the figures are the ledger's own, without the rest of the pipeline. Each step is timed as the nightly flow
and the command run it (the increment: update_ledger + exports/cases.csv, the flow's update-cases task without the
department findings; the export: judge as of today + every county's workbook + cases.csv), in wall-clock and CPU
seconds (every thread of the process), beside the load average when it ended (the machine may be shared):
    .venv/bin/python benchmarks/bench_cases.py [--households 150000] [--flagged 0.35] [--churn 0.03] [--json PATH]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import xlsxwriter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import db  # noqa: E402
from core.settings import load_settings  # noqa: E402
from tasks.cases.importer import import_workbooks  # noqa: E402
from tasks.cases.run import judge_as_of, update_ledger, write_cases_csv  # noqa: E402
from tasks.cases.workbook import COLUMNS, export_workbooks  # noqa: E402

COUNTIES = [f"4305{c}" for c in ("02", "03", "11", "21", "22", "23", "24", "25", "27", "71")]
UNITS = """
INSERT INTO admin_units
SELECT county, '县' || county, 'county', NULL, false FROM unnest($counties) AS t(county)
UNION ALL SELECT county || lpad(t::TEXT, 3, '0'), '镇' || t, 'township', county, false
          FROM unnest($counties) AS c(county), range(1, 13) AS r(t)
UNION ALL SELECT county || lpad(t::TEXT, 3, '0') || lpad(v::TEXT, 3, '0'), '村' || v, 'village',
                 county || lpad(t::TEXT, 3, '0'), false
          FROM unnest($counties) AS c(county), range(1, 13) AS r(t), range(1, 13) AS s(v)
"""
STATUS = """
INSERT INTO household_status
WITH villages AS (SELECT code, row_number() OVER (ORDER BY code) - 1 AS n FROM admin_units WHERE level = 'village'),
households AS (
    SELECT v.code || lpad((h // (SELECT count(*) FROM villages))::TEXT, 4, '0') AS household_id, v.code AS village_code, h
    FROM range($households) AS r(h)
    JOIN villages v ON v.n = h % (SELECT count(*) FROM villages)
)
SELECT left(village_code, 6), left(village_code, 9), village_code, household_id, '张三', '430521199001011234',
       '监测户', 4, (h % 3)::INT, $period, 2020, income_month_of($period), 10000.0,
       CASE WHEN flagged THEN 3000.0 ELSE 9000.0 END, NULL, NULL, NULL,
       4000.0, false, false, false, false, false, CASE WHEN flagged THEN 'BELOW_LINE' ELSE '' END,
       '预计人均纯收入3000元', '预计人均纯收入3000元', '公益岗位', NULL, NULL
FROM (SELECT *, -- a household keeps its flag from month to month, except $churn of them each month
             (hash(household_id) % 1000 < $flagged * 1000) <> (hash(household_id, $period) % 1000 < $churn * 1000) AS flagged
      FROM households)
"""


def timed(what: str, work) -> dict:
    """Run work, print and return its wall-clock and CPU seconds (CPU: every thread of this process and of the
    children it waited for; on a shared machine the wall clock includes waiting for a core) and the 1-minute load
    average as it ended."""
    started, cpu = time.perf_counter(), cpu_seconds()
    work()
    figures = {"seconds": time.perf_counter() - started, "cpu_seconds": cpu_seconds() - cpu,
               "load": os.getloadavg()[0]}
    print(f"{what}: {figures['seconds']:.2f} s (CPU {figures['cpu_seconds']:.2f} s, load {figures['load']:.1f})",
          flush=True)
    return figures


def cpu_seconds() -> float:
    """CPU seconds of this process and of its finished children (the export writes workbooks in forked ones)."""
    user, system, children_user, children_system, _ = os.times()
    return user + system + children_user + children_system


def decision_workbook(con, county: str, path: Path, rows: int) -> int:
    """A filled workbook of one county: 属实 with a measure on (up to) rows of its open cases."""
    ids = [c for (c,) in con.execute("SELECT case_id FROM cases WHERE county_code = ? AND status = 'open' "
                                     "ORDER BY case_id LIMIT ?", [county, rows]).fetchall()]
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("待办")
    sheet.write_row(0, 0, COLUMNS)
    for index, case_id in enumerate(ids, start=1):
        sheet.write_row(index, 0, [case_id] + [""] * 11 + ["属实", "公益岗位", "李四", "2020-05-10", ""])
    book.close()
    return len(ids)


def main() -> int:
    """Build the inputs, then time the three steps the issue names."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--households", type=int, default=150_000)
    parser.add_argument("--flagged", type=float, default=0.35, help="share of households flagged BELOW_LINE")
    parser.add_argument("--churn", type=float, default=0.03, help="share of households whose flag flips each month")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-cases-") as folder:
        root = Path(folder)
        settings = load_settings(environ={}).with_paths(db=root / "db.duckdb", out=root / "out")
        exports = Path(settings.out) / "exports"
        con = db.connect(settings.db)
        con.execute(UNITS, {"counties": COUNTIES}).fetchall()
        db.run(con, "marts/create_tables")
        for period in ("201910", "201911", "201912", "202001", "202002", "202003"):
            con.execute(STATUS, {"households": args.households, "period": period, "flagged": args.flagged,
                                 "churn": args.churn}).fetchall()
        figures = {"households": args.households, "flagged": args.flagged, "churn": args.churn}
        figures["bootstrap"] = timed("ledger, bootstrap month 202003 (opens every case)",
                                     lambda: print(update_ledger(con, settings, "202003", date(2020, 4, 10), 1)))
        con.execute(STATUS, {"households": args.households, "period": "202004", "flagged": args.flagged,
                             "churn": args.churn}).fetchall()

        def increment() -> None:
            print(update_ledger(con, settings, "202004", date(2020, 5, 10), 2))
            write_cases_csv(con, exports)

        def export() -> None:
            judge_as_of(con, settings, date(2020, 5, 12))
            figures["workbooks"] = len(export_workbooks(con, settings, date(2020, 5, 12)))
            write_cases_csv(con, exports)

        figures["increment"] = timed("ledger, nightly increment 202004 (+ cases.csv)", increment)
        figures["export"] = timed("cases export, every county (judge + workbooks + cases.csv)", export)
        figures["workbook_rows"] = con.execute("SELECT count(*) FROM cases WHERE status IN ('open', 'confirmed', "
                                               "'assisting')").fetchall()[0][0]
        rows = decision_workbook(con, COUNTIES[0], root / "filled.xlsx", 5000)
        figures["import"] = timed(f"cases import, one county workbook of {rows} rows", lambda: print(
            import_workbooks(con, settings, [root / "filled.xlsx"], date(2020, 5, 12)).applied))
        figures.update(import_rows=rows, cases=con.execute("SELECT count(*) FROM cases").fetchall()[0][0])
        print(f"cases: {figures['cases']}; targets: increment < 2 s ({figures['increment']['seconds']:.2f}), "
              f"export < 10 s ({figures['export']['seconds']:.2f}), import < 5 s ({figures['import']['seconds']:.2f})")
        con.close()
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
