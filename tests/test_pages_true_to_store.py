"""The county pages, the city page and the exports recomputed from the store after real runs (tests/support/
page_audit.py: every card, table, chart's data, list, export and twin, and the masking): nothing differs."""
from __future__ import annotations

from pathlib import Path

import duckdb

from tests.support.html_tree import parse_html, table_rows
from tests.support.page_audit import Audit
from tests.support.returns import csv_bytes, household, make_city
from tests.support.runs import settings_for

POOR, OTHER = "430521001001", "430522001001"  # a village of each county, with poor households (BELOW_LINE cases)


def run(root: Path, today: str, **scope):
    """One nightly run (or a rerun, given a scope) over root's city as of today."""
    from flows.nightly import nightly
    from flows.rerun import rerun

    given = {"settings": settings_for(root), "today": today}
    return rerun(**scope, **given) if scope else nightly(**given)


def audited(root: Path) -> Audit:
    """The audit of root's outputs against its store, run."""
    audit = Audit(root / "db.duckdb", root / "out")
    audit.run()
    return audit


def deliver(root: Path, month: str) -> None:
    """February's returns: in each county two households below the line and one well off."""
    for village in (POOR, OTHER, "430521001002"):
        rows = [household(village, 1, wage="900", name="王小明"), household(village, 2, wage="1100", name="李大红"),
                household(village, 3, wage="90000", name="赵子龙")]
        (root / "inbox" / f"{village}_{month}.csv").write_bytes(csv_bytes(rows))


def test_a_night_pages_and_exports_agree_with_the_store(prefect_harness, tmp_path):
    make_city(tmp_path)
    deliver(tmp_path, "202002")
    run(tmp_path, "2020-03-05")
    audit = audited(tmp_path)
    assert audit.found == []
    # the audit compared the cards, the flagged list, the ledger's counts and the exports
    assert audit.checked["card"] > 0 and audit.checked["flagged"] > 0 and audit.checked["cases"] > 0
    assert audit.checked["flags.csv"] > 0


def test_a_rerun_on_a_later_day_renders_every_page_whose_cases_it_judged_again(prefect_harness, tmp_path):
    make_city(tmp_path)
    deliver(tmp_path, "202002")
    run(tmp_path, "2020-03-05")  # BELOW_LINE cases opened in both counties, due 2020-03-20
    run(tmp_path, "2020-04-06", county="430521")  # the ledger judged again: every open case now overdue
    audit = audited(tmp_path)
    assert audit.found == []  # 430522's page too shows its case overdue, as the store and cases.csv say
    assert audit.rows("SELECT count(*) FROM cases WHERE county_code = '430522' AND overdue_days > 0")[0][0] > 0


def test_a_case_import_renders_the_pages_of_the_cases_it_changed(prefect_harness, tmp_path):
    from povmon.cli import main
    from tests.support.cases_store import fill_workbook

    make_city(tmp_path)
    deliver(tmp_path, "202002")
    run(tmp_path, "2020-03-05")
    paths = ["--db", str(tmp_path / "db.duckdb"), "--out", str(tmp_path / "out")]
    assert main(["cases", "export", "--today", "2020-03-06", *paths]) == 0
    with duckdb.connect(str(tmp_path / "db.duckdb"), read_only=True) as con:
        case = con.execute("SELECT case_id FROM cases WHERE county_code = '430522' ORDER BY case_id").fetchall()[0][0]
    filled = tmp_path / "filled.xlsx"
    fill_workbook(tmp_path / "out" / "exports" / "cases" / "430522.xlsx", filled,
                  {case: ("属实", "公益岗位", "李四", "2020-03-08", None)},
                  extra_rows=[(case, *[None] * 11, "不属实", None, "李四", "2020-03-08", None)])  # no note: refused
    assert main(["cases", "import", str(filled), "--today", "2020-03-25", *paths]) == 0
    audit = audited(tmp_path)
    assert audit.found == []  # the pages show the decision and the days overdue as of the import, as the store does
    page = parse_html((tmp_path / "out" / "reports" / "430522.html").read_text(encoding="utf-8"))
    _, refused = table_rows(page.find("table", id="cases-refused-table"))
    assert [row[3] for row in refused] == [case]  # the refused row, listed for the township to send again
