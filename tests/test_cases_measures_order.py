"""Measures alone (帮扶措施, no 核查结论) and the 属实 they need, in two files imported in either order: the case ends
the same, the measures refused when no 属实 is in force by their 核查日期."""
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
