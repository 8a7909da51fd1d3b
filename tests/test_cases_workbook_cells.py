"""The case workbook shows every text as the other exports do (ID-shaped text masked, formulas defused), and its
decisions still round-trip: a cell shown defused or masked, read back untouched, is the decision on record."""
from __future__ import annotations

from datetime import date

import openpyxl
import polars as pl
import pytest

from tasks.cases.importer import import_workbooks
from tasks.cases.workbook import COLUMNS, export_workbooks
from tasks.report.cells import defuse_text, defused
from tests.support.cases_store import cases_by_household, fill_workbook, hid, opened_cases
from tests.support.store_builder import VILLAGE

TODAY = date(2020, 4, 20)
ACTOR = '=HYPERLINK("http://evil.example","点此")'
NOTE = "@SUM(1+1)*cmd|' /C calc'!A0"
EVENTS = "SELECT count(*) FROM case_events"


@pytest.fixture()
def ledger(tmp_path):
    """A store whose run on 2020-04-05 opened BELOW_LINE cases for households 1–3; household 4 is fine."""
    return opened_cases(tmp_path / "out", 3)


def cells(path, case_id: str) -> dict[str, object]:
    """The 待办 row of a case, as the cells hold it, by column title."""
    sheet = openpyxl.load_workbook(path)["待办"]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == case_id)
    return dict(zip(COLUMNS, row))


def counts(result) -> tuple[int, int, int]:
    """(applied, unchanged, refused) of an import."""
    return result.applied, result.unchanged, result.refused


def test_unit_and_head_names_are_masked_and_defused_and_the_case_id_kept(ledger):
    con, settings, ids = ledger
    con.execute("UPDATE admin_units SET name = '星港村430521198306228696' WHERE code = ?", [VILLAGE])
    con.execute("""UPDATE admin_units SET name = '=HYPERLINK("http://e","x")' WHERE code = ?""", [VILLAGE[:9]])
    con.execute("UPDATE household_status SET head_name = '-张三' WHERE household_id = ?", [hid(1)])
    [path] = export_workbooks(con, settings, TODAY)
    row = cells(path, ids[hid(1)])
    assert row["村"] == "星港村430521********8696"
    assert row["乡镇"] == """'=HYPERLINK("http://e","x")"""
    assert row["户主"] == "'-*" and row["户编号"] == hid(1) and row["台账编号"] == ids[hid(1)]
    assert "430521198306228696" not in str(openpyxl.load_workbook(path)["待办"]["C2"].value)


def test_an_unchanged_export_imports_as_nothing_changed(ledger, tmp_path):
    con, settings, ids = ledger
    [blank] = export_workbooks(con, settings, TODAY)
    fill_workbook(blank, tmp_path / "first.xlsx", {ids[hid(1)]: ("属实", None, "李四", "2020-04-10", "已入户")})
    assert counts(import_workbooks(con, settings, [tmp_path / "first.xlsx"], TODAY)) == (1, 0, 0)
    before = con.execute(EVENTS).fetchall()
    [shown] = export_workbooks(con, settings, TODAY)
    assert counts(import_workbooks(con, settings, [shown], TODAY)) == (0, 1, 0)
    assert con.execute(EVENTS).fetchall() == before


@pytest.mark.parametrize("actor, note", [
    (ACTOR, NOTE),
    ("+李四", "=备注：户主身份证430521199001011234\n已入户核实"),   # masked, defused and on one line
    ("－王五", "-3 户"),                                             # full-width minus; not a plain number
], ids=["formulas", "masked", "minus"])
def test_hostile_decision_text_comes_back_defused_and_round_trips_unchanged(ledger, tmp_path, actor, note):
    con, settings, ids = ledger
    [blank] = export_workbooks(con, settings, TODAY)
    fill_workbook(blank, tmp_path / "hostile.xlsx", {ids[hid(1)]: ("属实", None, actor, "2020-04-10", note)})
    assert counts(import_workbooks(con, settings, [tmp_path / "hostile.xlsx"], TODAY)) == (1, 0, 0)
    case = cases_by_household(con)[hid(1)][0]
    assert (case["actor"], case["note"]) == (actor, note)  # the ledger keeps what was written
    [shown] = export_workbooks(con, settings, TODAY)
    row = cells(shown, ids[hid(1)])
    assert row["核查人"].startswith("'") and row["备注"].startswith("'")
    assert "430521199001011234" not in row["备注"] and "\n" not in row["备注"]
    before = con.execute(EVENTS).fetchall()
    assert counts(import_workbooks(con, settings, [shown], TODAY)) == (0, 1, 0)
    assert con.execute(EVENTS).fetchall() == before
    # a measure added on the same row: the shown 核查人 and 备注 written back are the ones on record
    fill_workbook(shown, tmp_path / "measure.xlsx", {ids[hid(1)]: ("属实", "医疗救助", row["核查人"], "2020-04-12",
                                                                   row["备注"])})
    assert counts(import_workbooks(con, settings, [tmp_path / "measure.xlsx"], TODAY)) == (1, 0, 0)
    case = cases_by_household(con)[hid(1)][0]
    assert (case["status"], case["actor"], case["note"]) == ("assisting", actor, note)
    [again] = export_workbooks(con, settings, TODAY)
    assert (cells(again, ids[hid(1)])["核查人"], cells(again, ids[hid(1)])["备注"]) == (row["核查人"], row["备注"])
    assert counts(import_workbooks(con, settings, [again], TODAY)) == (0, 1, 0)


def test_defused_shows_a_text_as_defuse_text_does():
    texts = ["=1+1", "+a", "-a", "-12.5", "@x", "\tx", "＝x", "a\r\nb", "'=x", "plain", "-"]
    frame = pl.DataFrame({"t": texts}).select(defuse_text("t"))
    assert frame["t"].to_list() == [defused(t) for t in texts]
