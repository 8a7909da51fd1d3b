"""Measures alone (帮扶措施, no 核查结论) and the 属实 they need, in two files imported in either order: the case ends
the same, the measures applied when a 属实 is in force by their 核查日期 and refused when none is."""
from __future__ import annotations

from datetime import date

import pytest

from core import db
from tasks.cases.importer import import_workbooks
from tasks.cases.workbook import export_workbooks
from tests.support.cases_store import cases_by_household, fill_workbook, hid, opened_cases

TODAY = date(2020, 4, 20)
CONFIRM = ("属实", None, "李四", "2020-04-12", None)
NEEDS_CONFIRMED = ("CASE_STATUS", "帮扶措施须在核查属实后填写")


def imported_in_order(tmp_path, files: dict[str, tuple], order: list[str]) -> tuple[dict, list[tuple], int]:
    """Household 1's whole case row after importing the files (name: its row's five cells) in this order into a
    store of its own, the refusals of every import (code, reason) and how many decisions the ledger holds."""
    con, settings, ids = opened_cases(tmp_path / "".join(order), 2)
    [path] = export_workbooks(con, settings, TODAY)
    refused = []
    for name in order:
        fill_workbook(path, tmp_path / f"{name}.xlsx", {ids[hid(1)]: files[name]})
        refused += [(p["code"], p["detail"]) for p in
                    import_workbooks(con, settings, [tmp_path / f"{name}.xlsx"], TODAY).problems]
    decided = con.execute("SELECT count(*) FROM case_events WHERE event IN ('decision', 'superseded')").fetchall()
    listed = db.frame(con, "reports/cases_refused", {"county_codes": ["430521"], "period": None})
    return cases_by_household(con)[hid(1)][0], refused + [("listed", r["detail"]) for r in listed.to_dicts()], \
        decided[0][0]


def test_measures_dated_after_the_confirmation_stand_whichever_file_came_first(tmp_path):
    """Measures written on 04-14 for a case confirmed on 04-12: applied when the 属实 came first; imported first they
    wait (refused, CASE_STATUS) and are applied once the 属实 is in, so the case ends assisting either way."""
    files = {"confirm": CONFIRM, "measures": (None, "稳岗就业", "王五", "2020-04-14", None)}
    forward, forward_refused, forward_decided = imported_in_order(tmp_path, files, ["confirm", "measures"])
    backward, backward_refused, backward_decided = imported_in_order(tmp_path, files, ["measures", "confirm"])
    assert forward == backward  # every column
    assert (forward["status"], forward["conclusion"], forward["measures"], forward["actor"], forward["decided_on"]) \
        == ("assisting", "属实", "稳岗就业", "王五", date(2020, 4, 14))
    # refused when it came (cases.md), applied with the 属实: the county page no longer lists it
    assert forward_refused == [] and backward_refused == [NEEDS_CONFIRMED]
    assert forward_decided == backward_decided == 2  # both decisions in the ledger


@pytest.mark.parametrize("measures", [(None, "稳岗就业", "王五", "2020-04-10", None),
                                      ("不属实", "稳岗就业", "王五", "2020-04-11", "外出务工")])
def test_measures_dated_before_the_confirmation_are_refused_whichever_file_came_first(tmp_path, measures):
    """Measures written before the case was confirmed had no 属实 in force on their 核查日期: refused in either
    order (not applied because the 属实 happened to be imported first), and the case ends confirmed."""
    files = {"confirm": CONFIRM, "measures": measures}
    forward, forward_refused, _ = imported_in_order(tmp_path, files, ["confirm", "measures"])
    backward, backward_refused, _ = imported_in_order(tmp_path, files, ["measures", "confirm"])
    assert forward == backward
    assert (forward["status"], forward["measures"], forward["decided_on"]) == ("confirmed", None, date(2020, 4, 12))
    assert forward_refused == backward_refused == [NEEDS_CONFIRMED, ("listed", NEEDS_CONFIRMED[1])]


def test_measures_waiting_in_an_earlier_file_are_applied_by_the_import_that_brings_their_confirmation(tmp_path):
    """The measures' file first (refused, its cells kept with the refusal), then the 属实: that import applies them
    under their own file's name and row, counts them apart, and the same measures' file imported again is unchanged."""
    con, settings, ids = opened_cases(tmp_path / "out", 2)
    [path] = export_workbooks(con, settings, TODAY)
    fill_workbook(path, tmp_path / "measures.xlsx", {ids[hid(1)]: (None, "稳岗就业", "王五", "2020-04-14", "已安排")})
    fill_workbook(path, tmp_path / "confirm.xlsx", {ids[hid(1)]: CONFIRM})
    first = import_workbooks(con, settings, [tmp_path / "measures.xlsx"], TODAY)
    assert (first.applied, first.refused, first.waited) == (0, 1, 0)
    second = import_workbooks(con, settings, [tmp_path / "confirm.xlsx"], TODAY)
    assert (second.applied, second.refused, second.waited, second.problems) == (1, 0, 1, [])
    events = con.execute("SELECT file_name, file_row, status, measures, note FROM case_events "
                         "WHERE event = 'decision' ORDER BY seq").fetchall()
    assert [e[0] for e in events] == ["confirm.xlsx", "measures.xlsx"]
    assert events[-1][2:] == ("assisting", "稳岗就业", "已安排")
    again = import_workbooks(con, settings, [tmp_path / "measures.xlsx"], TODAY)
    assert (again.applied, again.unchanged, again.refused) == (0, 1, 0)


def test_measures_and_their_confirmation_of_one_day_in_one_file_are_applied_whichever_row_comes_first(tmp_path):
    """Measures written on the row above the 属实 of the same 核查日期: one file applies both, as the two rows imported
    one file each do."""
    con, settings, ids = opened_cases(tmp_path / "out", 2)
    [path] = export_workbooks(con, settings, TODAY)
    case_id = ids[hid(1)]
    fill_workbook(path, tmp_path / "both.xlsx", {case_id: (None, "稳岗就业", "王五", "2020-04-12", None)},
                  extra_rows=[(case_id,) + ("",) * 11 + CONFIRM])
    result = import_workbooks(con, settings, [tmp_path / "both.xlsx"], TODAY)
    assert (result.applied, result.refused, result.problems) == (2, 0, [])
    case = cases_by_household(con)[hid(1)][0]
    assert (case["status"], case["measures"], case["actor"]) == ("assisting", "稳岗就业", "王五")
    assert con.execute("SELECT count(*) FROM case_import_refusals").fetchall() == [(0,)]
