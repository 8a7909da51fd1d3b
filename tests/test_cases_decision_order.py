"""Two decisions on one case in two files: the case ends the same whichever file is imported first."""
from __future__ import annotations

from datetime import date

import pytest

from tasks.cases.importer import import_workbooks
from tasks.cases.workbook import export_workbooks
from tests.support.cases_store import cases_by_household, fill_workbook, hid, opened_cases

TODAY = date(2020, 4, 20)
STATE = ("status", "conclusion", "measures", "actor", "decided_on", "note", "closed_on")


def final_state(tmp_path, files: dict[str, dict], order: list[str]) -> tuple[tuple, int]:
    """The case of household 1 after importing the files (name: its row's five cells) in this order into a store
    of its own, and how many events the ledger holds."""
    con, settings, ids = opened_cases(tmp_path / "".join(order), 2)
    [path] = export_workbooks(con, settings, TODAY)
    for name in order:
        fill_workbook(path, tmp_path / f"{name}.xlsx", {ids[hid(1)]: files[name]})
        assert import_workbooks(con, settings, [tmp_path / f"{name}.xlsx"], TODAY).applied == 1
    case = cases_by_household(con)[hid(1)][0]
    return tuple(case[k] for k in STATE), con.execute("SELECT count(*) FROM case_events").fetchall()[0][0]


@pytest.mark.parametrize("files, expected", [
    # the later 核查日期 leaves the measures blank: it keeps those the earlier one recorded, in either order
    ({"a": ("属实", None, "李四", "2020-04-15", None), "b": ("属实", "兜底保障", "王五", "2020-04-10", None)},
     ("assisting", "属实", "兜底保障", "李四", date(2020, 4, 15), None, None)),
    # the earlier one's note is its own: the later one's (blank) stands
    ({"a": ("属实", None, "李四", "2020-04-15", None), "b": ("属实", "稳岗就业", "王五", "2020-04-10", "已安排")},
     ("assisting", "属实", "稳岗就业", "李四", date(2020, 4, 15), None, None)),
    # both write measures: the later 核查日期's stand
    ({"a": ("属实", "医疗救助", "李四", "2020-04-15", None), "b": ("属实", "兜底保障", "王五", "2020-04-10", None)},
     ("assisting", "属实", "医疗救助", "李四", date(2020, 4, 15), None, None)),
])
def test_the_decisions_of_one_case_end_the_same_whichever_file_is_imported_first(tmp_path, files, expected):
    forward, events = final_state(tmp_path, files, ["a", "b"])
    backward, _ = final_state(tmp_path, files, ["b", "a"])
    assert forward == backward == expected
    assert events >= 2 + 2  # every decision kept (openings of two cases, two decisions at least): none replaced


def test_two_earlier_rows_of_one_file_are_replayed_with_each_other(tmp_path):
    """A file of two rows of one case, both dated before the decision in force: the later of them leaves its
    measures under the blank of the one in force, as when the file came first."""
    results = []
    for order in (["later", "both"], ["both", "later"]):
        con, settings, ids = opened_cases(tmp_path / "".join(order), 2)
        [path] = export_workbooks(con, settings, TODAY)
        fill_workbook(path, tmp_path / "later.xlsx", {ids[hid(1)]: ("属实", None, "李四", "2020-04-15", None)})
        fill_workbook(path, tmp_path / "both.xlsx", {ids[hid(1)]: ("属实", "兜底保障", "王五", "2020-04-10", None)},
                      extra_rows=[(ids[hid(1)],) + ("",) * 11 + ("属实", "医疗救助", "王五", "2020-04-12", None)])
        for name in order:
            import_workbooks(con, settings, [tmp_path / f"{name}.xlsx"], TODAY)
        case = cases_by_household(con)[hid(1)][0]
        results.append(tuple(case[k] for k in STATE))
        kinds = dict(con.execute("SELECT event, count(*) FROM case_events GROUP BY event").fetchall())
        assert kinds["decision"] + kinds.get("superseded", 0) == 3
    assert results[0] == results[1] == ("assisting", "属实", "医疗救助", "李四", date(2020, 4, 15), None, None)


def test_an_earlier_dismissal_replayed_under_a_later_blank_conclusion_closes_on_its_own_date(tmp_path):
    """属实 (04-06), then measures with the conclusion blank (04-15), then a 不属实 dated between them: replayed by date,
    the blank keeps 不属实, and the case is dismissed as of the dismissal's date, not the later row's."""
    files = {"p": ("属实", None, "李四", "2020-04-06", None), "a": (None, "稳岗就业", "李四", "2020-04-15", None),
             "b": ("不属实", None, "王五", "2020-04-10", "外出务工收入未申报")}
    state, _ = final_state(tmp_path, files, ["p", "a", "b"])
    assert state == ("dismissed", "不属实", "稳岗就业", "李四", date(2020, 4, 15), None, date(2020, 4, 10))


def final_case(tmp_path, files: dict[str, tuple], order: list[str]) -> tuple[dict, dict]:
    """Household 1's whole case row after importing the files (name: its row's five cells) in this order into a store
    of its own, every file's row applied (none refused), and the ledger's events by kind."""
    con, settings, ids = opened_cases(tmp_path / "".join(order), 2)
    [path] = export_workbooks(con, settings, TODAY)
    for name in order:
        fill_workbook(path, tmp_path / f"{name}.xlsx", {ids[hid(1)]: files[name]})
        result = import_workbooks(con, settings, [tmp_path / f"{name}.xlsx"], TODAY)
        assert (result.applied, result.refused, result.problems) == (1, 0, [])
    kinds = dict(con.execute("SELECT event, count(*) FROM case_events GROUP BY event").fetchall())
    return cases_by_household(con)[hid(1)][0], kinds


DISMISSAL = ("不属实", None, "王五", "2020-04-10", "外出务工收入未申报")


@pytest.mark.parametrize("files, expected", [
    # the township's later word (属实, 04-15) stands over its earlier dismissal (04-10), whichever file came first
    ({"a": DISMISSAL, "b": ("属实", None, "李四", "2020-04-15", None)},
     ("confirmed", "属实", None, "李四", date(2020, 4, 15), None, None)),
    ({"a": DISMISSAL, "b": ("属实", "兜底保障", "李四", "2020-04-15", None)},
     ("assisting", "属实", "兜底保障", "李四", date(2020, 4, 15), None, None)),
    # a 属实 dated before the dismissal is kept under it: the case stays dismissed as of the dismissal's date
    ({"a": DISMISSAL, "b": ("属实", "兜底保障", "李四", "2020-04-06", None)},
     ("dismissed", "不属实", "兜底保障", "王五", date(2020, 4, 10), "外出务工收入未申报", date(2020, 4, 10))),
])
def test_a_dismissal_and_another_decision_end_the_same_whichever_file_is_imported_first(tmp_path, files, expected):
    """A dismissal closes the case, but it is one of the township's decisions: the other one, dated after or before
    it, is applied in either order (none refused as on a dismissed case), and the case ends in the same state,
    the later 核查日期's."""
    forward, forward_events = final_case(tmp_path, files, ["a", "b"])
    backward, backward_events = final_case(tmp_path, files, ["b", "a"])
    assert tuple(forward[k] for k in STATE) == expected
    assert forward == backward  # every column, the value a dismissal compares with included
    for kinds in (forward_events, backward_events):
        assert kinds["decision"] + kinds.get("superseded", 0) == 2  # both decisions kept
