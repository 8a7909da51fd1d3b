"""A dismissal (不属实) holds in its income year (cases.md): the household's risk opens a new case in the next one.
A decision recorded on the dismissed case later (a 备注 added from an old workbook), after the year turned, changes
nothing of the dismissal: it does not carry it into the new year, where the household would get no case."""
from __future__ import annotations

from datetime import date

from tasks.cases.importer import import_workbooks
from tasks.cases.workbook import export_workbooks
from tests.support.cases_store import LOW, HIGH, cases_by_household, fill_workbook, hid, judge
from tests.support.store_builder import build_store, household_row, settings_with, year_periods


def rows() -> list[dict]:
    """Household 1 poor through income year 2020, absent from October's return, poor again in November; household 2
    comfortable in an unsafe house (a GUARANTEE_GAP case: the ledger follows its months), every month."""
    found = []
    for periods in (year_periods(2020), year_periods(2021, 2)):
        for month, period in enumerate(periods, start=1):
            found.append(household_row(hid(2), period, wage=HIGH * month / 12, household_type="监测户",
                                       housing_safe=False))
            if period != "202010":
                found.append(household_row(hid(1), period, wage=LOW * month / 12, household_type="监测户"))
    return found


def test_a_note_added_to_a_dismissed_case_in_the_next_income_year_does_not_keep_its_risk_from_a_new_case(tmp_path):
    con, settings = build_store(rows()), settings_with(share_min_households=1).with_paths(out=tmp_path / "out")
    judge(con, settings, "202008", date(2020, 9, 5))
    [case] = cases_by_household(con)[hid(1)]
    [workbook] = export_workbooks(con, settings, date(2020, 9, 10))
    fill_workbook(workbook, tmp_path / "dismissed.xlsx", {case["case_id"]: ("不属实", None, "李四", "2020-09-10", "误报")})
    assert import_workbooks(con, settings, [tmp_path / "dismissed.xlsx"], date(2020, 9, 12)).applied == 1
    judge(con, settings, "202009", date(2020, 10, 5))
    judge(con, settings, "202010", date(2020, 11, 5))  # income year 2021: household 1 sent no row
    # the township adds a remark to the dismissed case on the workbook it still has
    remark = (None, None, "李四", "2020-11-06", "误报，已核实外出务工")
    fill_workbook(workbook, tmp_path / "remark.xlsx", {case["case_id"]: remark})
    assert import_workbooks(con, settings, [tmp_path / "remark.xlsx"], date(2020, 11, 7)).applied == 1
    judge(con, settings, "202011", date(2020, 12, 5))  # poor again in the new income year
    cases = cases_by_household(con)[hid(1)]
    assert [c["status"] for c in cases] == ["dismissed", "open"]
    assert cases[1]["previous_case_id"] == case["case_id"]
