"""The case ledger survives a rebuild: a store whose nights opened cases and whose townships' workbooks decided
them, deleted and run again on the same raw store and inbox, shows the same cases, decisions and closings."""
from __future__ import annotations

import json

import duckdb
import pytest

from povmon.cli import main
from tests.support.cases_store import fill_workbook
from tests.support.returns import csv_bytes, household, make_city
from tests.support.runs import settings_for

pytestmark = pytest.mark.slow  # several runs of the real flow

V1, V2 = "430521001001", "430521001002"
# the nights: (month delivered, the run's today); March's V2 file is rejected, April brings its correction
NIGHTS = (("202002", "2020-03-05"), ("202003", "2020-04-05"), ("202004", "2020-05-05"))


def run(root, today: str):
    """One nightly run over root's city as of today."""
    from flows.nightly import nightly

    return nightly(settings=settings_for(root), today=today)


def cli(root, *args: str) -> int:
    """povmon in this process, on root's store (its raw store beside it, as the runs'."""
    return main([*args, "--db", str(root / "db.duckdb"), "--out", str(root / "out")])


def deliver(root, month: str) -> None:
    """The villages' files of a month: V1's two poor households, V2's one well-off household; V2's March file is
    not a spreadsheet (a DATA_ERRORS case), corrected in April."""
    inbox = root / "inbox"
    (inbox / f"{V1}_{month}.csv").write_bytes(csv_bytes([household(V1, 1, wage="1200"), household(V1, 2, wage="900")]))
    if month == "202003":
        (inbox / f"{V2}_{month}.xlsx").write_bytes(b"not a workbook")
    else:
        (inbox / f"{V2}_{month}.csv").write_bytes(csv_bytes([household(V2, 1, wage="90000")]))
    if month == "202004":
        (inbox / f"{V2}_202003_v2.csv").write_bytes(csv_bytes([household(V2, 1, wage="90000")]))


def case_of(root, household_id: str) -> str:
    """The id of the household's case."""
    with duckdb.connect(str(root / "db.duckdb"), read_only=True) as con:
        return con.execute("SELECT case_id FROM cases WHERE household_id = ?", [household_id]).fetchall()[0][0]


def decide(root, name: str, today: str, decisions: dict[str, tuple]) -> None:
    """A township's workbook exported today, filled with the decisions (by household) and imported today."""
    assert cli(root, "cases", "export", "--today", today) == 0
    filled = root / name
    fill_workbook(root / "out" / "exports" / "cases" / "430521.xlsx", filled,
                  {case_of(root, household_id): cells for household_id, cells in decisions.items()})
    assert cli(root, "cases", "import", str(filled), "--today", today) == 0


def original_store(root) -> None:
    """Three nights, and two workbooks between them: a confirmation with a measure and a dismissal, then a
    second measure; March's DATA_ERRORS case opened by March's night and closed by April's."""
    make_city(root)
    for month, today in NIGHTS:
        deliver(root, month)
        run(root, today)
        if month == "202002":
            decide(root, "filled_march.xlsx", "2020-03-10", {
                f"{V1}0001": ("属实", "公益岗位", "李四", "2020-03-08", None),
                f"{V1}0002": ("不属实", None, "李四", "2020-03-09", "家中有务工收入未申报")})
        if month == "202003":
            decide(root, "filled_april.xlsx", "2020-04-12", {
                f"{V1}0001": (None, "公益岗位、医疗救助", "王五", "2020-04-10", None)})


def ledger_seen(root) -> dict:
    """What a user sees of the ledger: cases.csv, the county workbook's cells (exported as of one day), and the
    ledger's events."""
    import openpyxl

    assert cli(root, "cases", "export", "--today", "2020-05-06") == 0
    book = openpyxl.load_workbook(root / "out" / "exports" / "cases" / "430521.xlsx", read_only=True)
    cells = {name: [list(row) for row in book[name].iter_rows(values_only=True)] for name in book.sheetnames}
    with duckdb.connect(str(root / "db.duckdb"), read_only=True) as con:
        events = con.execute("SELECT * FROM case_events ORDER BY seq").fetchall()
    return {"csv": (root / "out" / "exports" / "cases.csv").read_text(encoding="utf-8-sig"), "workbook": cells,
            "events": events}


def delete_store(root) -> None:
    """The database deleted, the raw store kept."""
    for path in (root / "db.duckdb", root / "db.duckdb.wal"):
        path.unlink(missing_ok=True)


def test_a_store_rebuilt_from_its_raw_store_keeps_every_case_and_decision(prefect_harness, tmp_path):
    original_store(tmp_path)
    run(tmp_path, NIGHTS[-1][1])  # the last night again, as the rebuild runs it: the store as it stands
    before = ledger_seen(tmp_path)
    text = before["csv"]
    assert f"{V1}0001,BELOW_LINE,202002,2020-03-05,2020-03-20,assisting,属实,公益岗位、医疗救助," in text
    assert f"{V1}0002,BELOW_LINE,202002,2020-03-05,2020-03-20,dismissed,不属实,,2020-03-09," in text
    assert ",DATA_ERRORS,202003,2020-04-05,2020-04-12,closed,,,2020-05-05," in text
    delete_store(tmp_path)
    run(tmp_path, NIGHTS[-1][1])
    assert ledger_seen(tmp_path) == before


def test_a_case_opened_after_the_rebuild_follows_the_replayed_ones(prefect_harness, tmp_path):
    """A month after the rebuild, the cases opened before it keep their ids, a new case of a household gets its own
    beside them, and the log holds every event of both stores' runs once."""
    original_store(tmp_path)
    with duckdb.connect(str(tmp_path / "db.duckdb"), read_only=True) as con:
        kept = set(con.execute("SELECT case_id, opened_period FROM cases").fetchall())
    delete_store(tmp_path)
    run(tmp_path, NIGHTS[-1][1])
    deliver(tmp_path, "202005")
    (tmp_path / "inbox" / f"{V1}_202005.csv").write_bytes(csv_bytes(
        [household(V1, 1, wage="1200"), household(V1, 2, wage="900"), household(V1, 3, wage="800")]))
    run(tmp_path, "2020-06-05")
    with duckdb.connect(str(tmp_path / "db.duckdb"), read_only=True) as con:
        ids = con.execute("SELECT case_id FROM cases ORDER BY case_id").fetchall()
        after = set(con.execute("SELECT case_id, opened_period FROM cases").fetchall())
        seqs = [s for (s,) in con.execute("SELECT seq FROM case_events ORDER BY seq").fetchall()]
    new = after - kept
    assert kept < after and [p for _, p in new] == ["202005"] and len(ids) == len(set(ids))
    assert new == {(case_of(tmp_path, f"{V1}0003"), "202005")}
    logged = [json.loads(line) for line in (tmp_path / "raw" / "case_events.jsonl").read_text("utf-8").splitlines()]
    assert [line["seq"] for line in logged if "seq" in line] == seqs == list(range(1, len(seqs) + 1))  # and markers


def test_a_ledger_kept_before_its_log_is_written_into_it_and_survives_a_rebuild(prefect_harness, tmp_path):
    """A store whose ledger is older than the log (as made before it was kept: no log, no case_log_base) writes its
    events into the log at its next run; deleted then, the rebuilt store shows the same ledger."""
    original_store(tmp_path)
    (tmp_path / "raw" / "case_events.jsonl").unlink()
    with duckdb.connect(str(tmp_path / "db.duckdb")) as con:
        con.execute("DELETE FROM case_log_base").fetchall()
    run(tmp_path, NIGHTS[-1][1])
    before = ledger_seen(tmp_path)
    delete_store(tmp_path)
    run(tmp_path, NIGHTS[-1][1])
    assert ledger_seen(tmp_path) == before
