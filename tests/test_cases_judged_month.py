"""A decision imported after a run that judged the ledger for a later month but wrote no event (nothing opened or
closed, no household of a case in that month's returns) is recorded as of that month, not the month of the last
event: a dismissal imported after October's run holds for the rest of the income year October began, and the
November run opens no new case from the risk a person judged (cases.md: a dismissed case does not reopen in the same
income year unless the evidence worsens). Through real nightly runs and `povmon cases export/import`."""
from __future__ import annotations

import pytest

from povmon.cli import main
from tests.support.cases_store import fill_workbook
from tests.support.returns import csv_bytes, household, make_city
from tests.support.runs import query, run_nightly

pytestmark = pytest.mark.slow  # several runs of the real flow

V1, V2, V3 = "430521001001", "430521001002", "430522001001"
POOR = f"{V1}0001"


def cli(root, *args: str) -> int:
    """povmon in this process, on root's store."""
    return main([*args, "--db", str(root / "db.duckdb"), "--out", str(root / "out")])


def night(root, month: str, today: str, v1_rows: list[list[str]]) -> None:
    """Every village's return of a month (V2's and V3's one comfortable household each) and the nightly run."""
    for village in (V2, V3):
        (root / "inbox" / f"{village}_{month}.csv").write_bytes(csv_bytes([household(village, 1, wage="90000")]))
    (root / "inbox" / f"{V1}_{month}.csv").write_bytes(csv_bytes(v1_rows))
    run_nightly(root, today=today)


def below_line_cases(root) -> list[tuple[str, str, str]]:
    """(status, opened period, previous case) of the poor household's BELOW_LINE cases, oldest first."""
    return query(root, f"SELECT status, opened_period, coalesce(previous_case_id, '') FROM cases "
                       f"WHERE household_id = '{POOR}' AND kind = 'BELOW_LINE' ORDER BY case_number")


def test_a_dismissal_after_a_run_without_events_holds_in_that_runs_income_year(prefect_harness, tmp_path):
    make_city(tmp_path)
    night(tmp_path, "202009", "2020-10-05", [household(V1, 1, wage="1200"), household(V1, 2, wage="90000")])
    [(case_id,)] = query(tmp_path, f"SELECT case_id FROM cases WHERE household_id = '{POOR}'")
    # October (income year 2021): the poor household left out of V1's return; no case opens or closes
    night(tmp_path, "202010", "2020-11-05", [household(V1, 2, wage="9000")])
    assert query(tmp_path, "SELECT max(as_of_period) FROM case_events") == [("202009",)]
    assert cli(tmp_path, "cases", "export", "--today", "2020-11-06") == 0
    fill_workbook(tmp_path / "out/exports/cases/430521.xlsx", tmp_path / "filled.xlsx",
                  {case_id: ("不属实", None, "李四", "2020-11-06", "家中有务工收入未申报")})
    assert cli(tmp_path, "cases", "import", str(tmp_path / "filled.xlsx"), "--today", "2020-11-06") == 0
    assert below_line_cases(tmp_path) == [("dismissed", "202009", "")]
    # November: the household back, still below the line but better off than when dismissed (841 > 517 yuan)
    night(tmp_path, "202011", "2020-12-05", [household(V1, 1, wage="150"), household(V1, 2, wage="18000")])
    assert query(tmp_path, f"SELECT flags FROM case_evidence WHERE household_id = '{POOR}' AND period = '202011'") \
        == [("BELOW_LINE;UNSTABLE_LIFTED",)]
    assert below_line_cases(tmp_path) == [("dismissed", "202009", "")]
