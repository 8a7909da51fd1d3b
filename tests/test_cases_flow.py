"""The ledger inside real runs: opened by `run` with --today, decided by a workbook, kept by reruns, and a store
rebuilt from the same files and workbooks gives the same cases.csv byte for byte."""
from __future__ import annotations

import shutil
from datetime import date

import duckdb
import pytest

from core import db
from povmon.cli import main
from tasks.cases import ledger
from tests.support.cases_store import cases_table, derived_whole, fill_workbook
from tests.support.returns import csv_bytes, household, make_city
from tests.support.runs import settings_for

V1, V2 = "430521001001", "430521001002"


def run(root, today: str, **scope):
    """One nightly run (or a rerun, given a scope) over root's city as of today."""
    from flows.nightly import nightly
    from flows.rerun import rerun

    given = {"settings": settings_for(root), "today": today}
    return rerun(**scope, **given) if scope else nightly(**given)


def cli(root, *args: str) -> int:
    """povmon in this process, on root's store."""
    return main([*args, "--db", str(root / "db.duckdb"), "--out", str(root / "out")])


def deliver(root, month: str) -> None:
    """The villages' files of a month: V1's two poor households, V2's one well-off household; in March V2's
    only file is rejected (not a spreadsheet)."""
    inbox = root / "inbox"
    (inbox / f"{V1}_{month}.csv").write_bytes(csv_bytes([household(V1, 1, wage="1200"), household(V1, 2, wage="900")]))
    if month == "202003":
        (inbox / f"{V2}_{month}.xlsx").write_bytes(b"not a workbook")
    else:
        (inbox / f"{V2}_{month}.csv").write_bytes(csv_bytes([household(V2, 1, wage="90000")]))


def replay(root, filled=None):
    """February's run, the clerk's workbook (filled here, or the one given), March's run and a rerun; returns
    the filled workbook's path."""
    make_city(root)
    deliver(root, "202002")
    run(root, "2020-03-05")
    assert cli(root, "cases", "export", "--today", "2020-03-06") == 0
    if filled is None:
        with duckdb.connect(str(root / "db.duckdb"), read_only=True) as con:
            first = con.execute("SELECT case_id FROM cases WHERE household_id = ?", [f"{V1}0001"]).fetchall()[0][0]
        filled = root / "filled.xlsx"
        fill_workbook(root / "out" / "exports" / "cases" / "430521.xlsx", filled,
                      {first: ("属实", "公益岗位", "李四", "2020-03-08", None)})
    assert cli(root, "cases", "import", str(filled), "--today", "2020-03-10") == 0
    deliver(root, "202003")
    run(root, "2020-04-05")
    run(root, "2020-04-06", village=V1)
    return filled


def events(root) -> list[tuple]:
    """The ledger's events without their wall-clock time."""
    with duckdb.connect(str(root / "db.duckdb"), read_only=True) as con:
        return con.execute("SELECT * EXCLUDE (recorded_at) FROM case_events ORDER BY seq").fetchall()


def scoped_and_whole(root, today: date) -> tuple[bool, bool]:
    """Whether root's cases table was left by a scoped derivation (cases_derived holds), and equals the table
    deriving every case from the whole ledger as of today leaves."""
    con = db.connect(root / "db.duckdb")
    try:
        as_of, settings = ledger.ledger_as_of(con, None), settings_for(root)
        left = cases_table(con)
        scoped = ledger.derive_cases(con, settings, as_of, today) < len(left)
        return scoped, derived_whole(con, settings, as_of, today) == left
    finally:
        con.close()


@pytest.mark.slow  # six runs of the real flow
def test_runs_open_decide_and_rebuild_to_the_same_ledger(prefect_harness, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    filled = replay(first)
    text = (first / "out" / "exports" / "cases.csv").read_text(encoding="utf-8-sig")
    assert f"{V1}0001,BELOW_LINE,202002,2020-03-05,2020-03-20,assisting,属实,公益岗位," in text
    assert f"{V1}0002,BELOW_LINE,202002,2020-03-05,2020-03-20,open,,,,17," in text  # overdue on 2020-04-06 (the rerun)
    assert ",DATA_ERRORS,202003,2020-04-05,2020-04-12,open,,,,0,,202003" in text
    assert scoped_and_whole(first, date(2020, 4, 6)) == (True, True)  # the runs' and the import's scoped derivations
    (tmp_path / "kept").mkdir()
    replay(second, shutil.copy(filled, tmp_path / "kept" / filled.name))
    assert (second / "out" / "exports" / "cases.csv").read_bytes() == (first / "out" / "exports" / "cases.csv").read_bytes()
    assert [e[1:] for e in events(second)] == [e[1:] for e in events(first)]


def test_a_correction_taking_a_household_out_of_a_month_takes_its_evidence_of_that_month(prefect_harness, tmp_path):
    """Evidence of a month mirrors household_status with the files on record, as a rebuilt store's would."""
    make_city(tmp_path)
    for month, today in (("202002", "2020-03-10"), ("202003", "2020-04-10")):
        (tmp_path / "inbox" / f"{V1}_{month}.csv").write_bytes(
            csv_bytes([household(V1, 1, wage="1200"), household(V1, 2, wage="900")]))
        run(tmp_path, today)
    gone = household(V1, 2)[0]
    evidence = f"SELECT period FROM case_evidence WHERE household_id = '{gone}' AND period >= '202002' ORDER BY 1"
    with duckdb.connect(str(tmp_path / "db.duckdb"), read_only=True) as con:
        assert con.execute(evidence).fetchall() == [("202002",), ("202003",)]
    (tmp_path / "inbox" / f"{V1}_202002_更正.csv").write_bytes(csv_bytes([household(V1, 1, wage="1200")]))
    run(tmp_path, "2020-04-12", village=V1, period="202002")
    with duckdb.connect(str(tmp_path / "db.duckdb"), read_only=True) as con:
        assert con.execute(evidence).fetchall() == [("202003",)]
