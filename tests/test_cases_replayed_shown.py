"""A county workbook goes to every township, and each sends its copy back: a case's row another township left as
exported shows the decision in force then. When that state was left by a replay (an earlier-dated decision imported
after a later one, `replayed`), it is still a decision already applied: unchanged, never applied over a decision
the case's own township recorded since."""
from __future__ import annotations

from datetime import date

from tasks.cases.importer import import_workbooks
from tasks.cases.workbook import export_workbooks
from tests.support.cases_store import cases_by_household, fill_workbook, hid, opened_cases


def imported(con, settings, path, today: date):
    """Import one workbook; (applied, unchanged, refused)."""
    result = import_workbooks(con, settings, [path], today)
    return result.applied, result.unchanged, result.refused


def test_a_row_left_as_exported_showing_a_replayed_state_does_not_take_back_a_later_decision(tmp_path):
    con, settings, ids = opened_cases(tmp_path / "out", 2)
    case = ids[hid(1)]
    [blank] = export_workbooks(con, settings, date(2020, 4, 16))
    fill_workbook(blank, tmp_path / "visit.xlsx", {case: ("属实", None, "王五", "2020-04-15", None)})
    fill_workbook(blank, tmp_path / "earlier.xlsx", {case: ("属实", "医疗救助", "李四", "2020-04-10", None)})
    assert imported(con, settings, tmp_path / "visit.xlsx", date(2020, 4, 16)) == (1, 0, 0)
    assert imported(con, settings, tmp_path / "earlier.xlsx", date(2020, 4, 17)) == (1, 0, 0)
    shown = cases_by_household(con)[hid(1)][0]  # replayed: the 04-10 measures under the 04-15 属实
    assert (shown["status"], shown["measures"], shown["actor"]) == ("assisting", "医疗救助", "王五")
    [exported] = export_workbooks(con, settings, date(2020, 4, 18))  # every township gets a copy
    # household 1's township corrects its measures on its copy, keeping the 核查日期 shown
    fill_workbook(exported, tmp_path / "own.xlsx", {case: ("属实", "教育资助", "王五", "2020-04-15", None)})
    assert imported(con, settings, tmp_path / "own.xlsx", date(2020, 4, 19)) == (1, 0, 0)
    # household 2's township fills its own row; household 1's it leaves as exported
    fill_workbook(exported, tmp_path / "other.xlsx", {ids[hid(2)]: ("属实", None, "赵六", "2020-04-18", None)})
    assert imported(con, settings, tmp_path / "other.xlsx", date(2020, 4, 20)) == (1, 1, 0)
    assert cases_by_household(con)[hid(1)][0]["measures"] == "教育资助"
