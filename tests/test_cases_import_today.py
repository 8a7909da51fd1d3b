"""`povmon cases import` rewrites exports/cases.csv as of its --today (README: every run, rerun, export and import),
whatever the files it was given hold."""
from __future__ import annotations

import csv
from datetime import date

from povmon.cli import main
from tests.support.cases_store import LOW, judge, ledger_store, save_to_file
from tests.support.store_builder import year_periods


def test_an_import_of_no_readable_file_still_writes_cases_csv_as_of_its_today(tmp_path):
    con, settings = ledger_store({n: [LOW] * 6 for n in (1, 2)}, year_periods(2020, 6))
    judge(con, settings, "202003", date(2020, 4, 5))  # BELOW_LINE cases due 2020-04-20
    save_to_file(con, tmp_path / "db.duckdb")
    (tmp_path / "return.csv").write_text("户编号\n1\n", encoding="utf-8")  # sent instead of the filled workbook
    done = main(["cases", "import", str(tmp_path / "return.csv"), "--db", str(tmp_path / "db.duckdb"),
                 "--out", str(tmp_path / "out"), "--today", "2020-05-01"])
    assert done == 1
    with open(tmp_path / "out" / "exports" / "cases.csv", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert [(r["deadline"], r["status"], r["overdue_days"]) for r in rows] == [("2020-04-20", "open", "11")] * 2
