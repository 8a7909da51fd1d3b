"""A decision on a case a person closed (不属实, 风险消除) and the township's other decision on it, in two files imported
in either order: both are applied and the case ends the same; what the pipeline closed, or what a new case has
replaced, still refuses."""
from __future__ import annotations

from datetime import date

import pytest

from tasks.cases import ledger
from tasks.cases.importer import import_workbooks
from tests.support.store_builder import settings_with
from tests.test_cases_removal import HH, assisting_store, decision_book

TODAY = date(2020, 4, 20)
REMOVAL = ("风险消除", None, "李四", "2020-04-12", "连续达标")
DISMISSAL = ("不属实", None, "王五", "2020-04-12", "外出务工收入未申报")


def imported(tmp_path, con, rows: list[tuple], name: str):
    """Import one workbook of rows (台账编号 K1 and the five cells) into the store."""
    decision_book(tmp_path / name, [("K1", *row) for row in rows])
    return import_workbooks(con, settings_with().with_paths(out=tmp_path), [tmp_path / name], TODAY)


def the_case(con) -> dict:
    """The one case K1, every column."""
    return con.sql("SELECT * FROM cases WHERE case_id = 'K1'").pl().to_dicts()[0]


@pytest.mark.parametrize("first, later, status, measures", [
    # the household is a removal candidate (兜底保障, six months above): 风险消除, then a visit finds it in need again
    (REMOVAL, ("属实", "医疗救助", "王五", "2020-04-15", None), "assisting", "医疗救助"),
    (REMOVAL, ("不属实", None, "王五", "2020-04-15", "家中有人务工"), "dismissed", "兜底保障"),
    # dismissed, then a later visit removes the risk: checked as the candidate the case was before the dismissal
    (DISMISSAL, ("风险消除", None, "李四", "2020-04-15", "连续达标"), "closed", "兜底保障"),
    (DISMISSAL, ("属实", None, "李四", "2020-04-15", None), "assisting", "兜底保障"),
])
def test_a_persons_closing_and_a_later_decision_end_the_same_whichever_file_came_first(tmp_path, first, later, status,
                                                                                       measures):
    ends = []
    for order in ((first, later), (later, first)):
        con = assisting_store("兜底保障", 0, [True] * 6)
        for n, row in enumerate(order):
            result = imported(tmp_path, con, [row], f"{n}.xlsx")
            assert (result.applied, result.refused, result.problems) == (1, 0, [])
        ends.append(the_case(con))
        decided = con.execute("SELECT count(*) FROM case_events WHERE event IN ('decision', 'superseded')").fetchall()
        assert decided == [(3,)]  # the store's own 属实 and both rows: none lost
    assert ends[0] == ends[1]
    assert (ends[0]["status"], ends[0]["measures"], ends[0]["decided_on"]) == (status, measures, date(2020, 4, 15))


def events_store(*later: dict):
    """A store with case K1 of household HH (opened 2019-10-20), dismissed on 2020-04-12, and these events after."""
    con = assisting_store("兜底保障", 0, [True] * 6)
    dismissed = {"case_id": "K1", "event": "decision", "event_on": date(2020, 4, 12), "status": "dismissed",
                 "conclusion": "不属实", "measures": "兜底保障", "actor": "王五", "decided_on": date(2020, 4, 12),
                 "note": "外出务工收入未申报", "closed_on": date(2020, 4, 12), "close_reason": "核查不属实",
                 "evidence_value": 6000.0}
    ledger.append_events(con, [dismissed, *later], None)
    ledger.derive_cases(con, settings_with(), "202003", TODAY)
    return con


def reopened(status: str) -> list[dict]:
    """The events of a new case K2 for the same household and kind, opened after K1, left in this status."""
    opened = {"case_id": "K2", "event": "opened", "event_on": date(2020, 4, 14), "as_of_period": "202003",
              "run_id": 2, "status": "open", "kind": "BELOW_LINE", "subject_key": HH, "household_id": HH,
              "county_code": "430521", "township_code": "430521100", "village_code": HH[:12],
              "opened_period": "202003", "opened_on": date(2020, 4, 14), "previous_case_id": "K1"}
    if status == "open":
        return [opened]
    return [opened, {"case_id": "K2", "event": "closed", "event_on": date(2020, 4, 16), "as_of_period": "202003",
                     "run_id": 3, "status": "closed", "closed_on": date(2020, 4, 16), "close_reason": "202003月已无此标记"}]


def test_a_decision_on_a_dismissed_case_a_new_case_has_replaced_is_refused_naming_it(tmp_path):
    """Once a new case opened for the household and kind, the dismissed one is not taken back by a later decision:
    it belongs on the new case (named while active)."""
    con = events_store(*reopened("open"))
    result = imported(tmp_path, con, [("属实", None, "李四", "2020-04-15", None)], "late.xlsx")
    assert [(p["code"], p["detail"]) for p in result.problems] == [
        ("CASE_STATUS", "台账状态为不属实，不能再填写结论；该户此类问题现在的台账编号为“K2”（待核查），请填写在该台账")]
    con = events_store(*reopened("closed"))
    result = imported(tmp_path, con, [("属实", None, "李四", "2020-04-15", None)], "late.xlsx")
    assert [(p["code"], p["detail"]) for p in result.problems] == [
        ("CASE_STATUS", "台账状态为不属实，不能再填写结论；该户此类问题此后已另立台账“K2”（已销号）")]
    assert the_case(con)["status"] == "dismissed"


def test_a_case_the_pipeline_closed_refuses_a_decision_whatever_its_date_one_a_person_closed_takes_it(tmp_path):
    """Closed because its cause was gone (no person's decision): no decision takes it back, dated after the closing
    or before it; a new case opens when the cause returns. The same rows on a case a person dismissed are applied."""
    rows = [("属实", "医疗救助", "李四", "2020-04-15", None), ("不属实", None, "李四", "2020-04-02", "误报")]
    con = assisting_store("兜底保障", 0, [True] * 6)
    ledger.append_events(con, [{"case_id": "K1", "event": "closed", "event_on": date(2020, 4, 5),
                                "as_of_period": "202003", "run_id": 2, "status": "closed", "conclusion": "属实",
                                "measures": "兜底保障", "actor": "李四", "decided_on": date(2019, 10, 25),
                                "closed_on": date(2020, 4, 5), "close_reason": "已连续3个月无此标记"}], None)
    ledger.derive_cases(con, settings_with(), "202003", TODAY)
    result = imported(tmp_path, con, rows, "late.xlsx")
    assert [(p["code"], p["detail"]) for p in result.problems] == [("CASE_STATUS", "台账状态为已销号，不能再填写结论")] * 2
    assert the_case(con)["status"] == "closed"
    con = events_store()
    result = imported(tmp_path, con, rows, "late.xlsx")
    assert (result.applied, result.refused) == (2, 0)
    case = the_case(con)
    assert (case["status"], case["measures"], case["decided_on"]) == ("assisting", "医疗救助", date(2020, 4, 15))


@pytest.mark.parametrize("day, reason", [("2020-04-21", "核查日期2020-04-21晚于今天2020-04-20"),
                                         ("2019-10-19", "核查日期2019-10-19早于发现日期2019-10-20")])
def test_a_decision_on_a_dismissed_case_dated_after_today_or_before_the_opening_is_refused_for_its_date(
        tmp_path, day, reason):
    con = events_store()
    result = imported(tmp_path, con, [("属实", None, "李四", day, None)], "dated.xlsx")
    assert [(p["code"], p["detail"]) for p in result.problems] == [("CASE_DATE", reason)]
    assert the_case(con)["status"] == "dismissed"
