"""The demo's simulated township clerk: fills in exported workbooks that the import reads, mostly right, with
the mistakes the demo shows refused."""
from __future__ import annotations

from datetime import date

from povmon.demo_cases import replay_days
from povmon.synth.clerk import fill_workbook
from tasks.cases.importer import import_workbooks
from tasks.cases.workbook import export_workbooks
from tests.support.cases_store import HIGH, LOW, cases_by_household, judge, ledger_store
from tests.support.store_builder import year_periods


def test_the_clerks_workbook_imports_with_each_planted_mistake_refused(tmp_path):
    con, settings = ledger_store({**{n: [LOW] * 6 for n in range(1, 21)}, 21: [HIGH] * 6}, year_periods(2020, 6))
    settings = settings.with_paths(out=tmp_path / "out")
    judge(con, settings, "202003", date(2020, 4, 10))
    [path] = export_workbooks(con, settings, date(2020, 4, 28))
    closed = ["K202003FFFFFFFFFFFF"]
    decided = fill_workbook(path, tmp_path / "filled.xlsx", date(2020, 4, 28), 7, closed)
    result = import_workbooks(con, settings, [tmp_path / "filled.xlsx"], date(2020, 4, 28))
    assert decided > 10 and result.applied == decided
    assert sorted({p["code"] for p in result.problems}) == ["CASE_DATE", "CASE_MEASURE", "CASE_NOTE_REQUIRED",
                                                            "CASE_UNKNOWN"]
    statuses = {c[0]["status"] for c in cases_by_household(con).values()}
    assert {"confirmed", "dismissed", "open"} <= statuses
    assert fill_workbook(path, tmp_path / "again.xlsx", date(2020, 4, 28), 7, closed) == decided  # reproducible


def test_the_replay_days_put_the_middle_run_where_the_campaign_caps_deadlines():
    assert replay_days("202005") == [("202003", date(2020, 4, 10), date(2020, 4, 28)),
                                     ("202004", date(2020, 5, 20), date(2020, 5, 28)),
                                     ("202005", date(2020, 6, 10), None)]
    assert replay_days("202001")[0][0] == "201911"
