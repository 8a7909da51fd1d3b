"""A decision on a case closed since and opened anew for the same household and kind: the refusal names the new id."""
from __future__ import annotations

from datetime import date

from tasks.cases.importer import import_workbooks
from tasks.cases.workbook import export_workbooks
from tests.support.cases_store import HIGH, LOW, cases_by_household, fill_workbook, hid, judge, ledger_store
from tests.support.store_builder import year_periods


def test_a_decision_refused_on_a_closed_case_names_the_case_now_open_for_its_household_and_kind(tmp_path):
    """Household 1 is below the line in November, confirmed, above it for three months (its case closes), below it
    again in March (a new case opens). A workbook exported in November, filled for the old case, is refused
    (CASE_STATUS) naming the new case's 台账编号; household 2's closed case, with no case now, names none."""
    periods = year_periods(2020, 6)
    con, settings = ledger_store({1: [LOW, LOW, HIGH, HIGH, HIGH, LOW], 2: [LOW, LOW] + [HIGH] * 4}, periods)
    settings = settings.with_paths(out=tmp_path / "out")
    judge(con, settings, periods[1], date(2019, 12, 5))
    [path] = export_workbooks(con, settings, date(2019, 12, 5))
    old = {hid(n): cases_by_household(con)[hid(n)][0]["case_id"] for n in (1, 2)}
    confirm, late = tmp_path / "confirm.xlsx", tmp_path / "late.xlsx"
    fill_workbook(path, confirm, {old[hid(n)]: ("属实", None, "李四", "2019-12-10", None) for n in (1, 2)})
    assert import_workbooks(con, settings, [confirm], date(2019, 12, 10)).applied == 2
    for number, period in enumerate(periods[2:], start=1):
        judge(con, settings, period, date(2020, 1 + number, 5), run_id=1 + number)
    first, second = cases_by_household(con)[hid(1)]
    assert (first["status"], second["status"], second["previous_case_id"]) == ("closed", "open", first["case_id"])
    assert [c["status"] for c in cases_by_household(con)[hid(2)]] == ["closed"]
    fill_workbook(path, late, {old[hid(n)]: ("属实", "稳岗就业", "李四", "2020-04-06", None) for n in (1, 2)})
    result = import_workbooks(con, settings, [late], date(2020, 4, 6))
    details = {p["case_id"]: (p["code"], p["detail"]) for p in result.problems}
    named = f"；该户此类问题现在的台账编号为“{second['case_id']}”（待核查），请填写在该台账"
    assert details[first["case_id"]] == ("CASE_STATUS", f"台账状态为已销号，不能再填写结论{named}")
    assert details[old[hid(2)]] == ("CASE_STATUS", "台账状态为已销号，不能再填写结论")
