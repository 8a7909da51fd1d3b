"""A department record that the closed DEPT case of its household and event does not cover opens a new case at the
first run that sees it, also in the month a person closed that case (cases.md: a case opens the first time a run
sees its source; a dismissed case reopens for a new department record): the correction of March's civil file that
brings a second 低保 record after the township dismissed the first opens its case at that night's run of March, not
a month later. Through real nightly runs and `povmon cases export/import`."""
from __future__ import annotations

import pytest

from povmon.cli import main
from tests.support.cases_store import fill_workbook
from tests.support.departments import DEPT_HEADER, RETURN_HEADER, dept_row, id_number, ret_row, table_csv
from tests.support.returns import make_city
from tests.support.runs import query, run_nightly

pytestmark = pytest.mark.slow  # several runs of the real flow

V = "430521001001"
HEAD = id_number(1)


def cli(root, *args: str) -> int:
    """povmon in this process, on root's store."""
    return main([*args, "--db", str(root / "db.duckdb"), "--out", str(root / "out")])


def department_cases(root) -> list[tuple[str, str, str]]:
    """(status, opened period, previous case) of the DEPT cases, oldest first."""
    return query(root, "SELECT status, opened_period, coalesce(previous_case_id, '') FROM cases "
                       "WHERE kind = 'DEPT_DIBAO_NEW' ORDER BY case_number")


def test_a_new_record_in_the_month_a_person_closed_the_case_opens_a_new_one_that_night(prefect_harness, tmp_path):
    make_city(tmp_path)
    inbox = tmp_path / "inbox"
    (inbox / f"{V}_202003.csv").write_bytes(table_csv(RETURN_HEADER, [ret_row(V, 1, HEAD)]))
    (inbox / "dept_civil_202003.csv").write_bytes(table_csv(DEPT_HEADER, [dept_row(HEAD, "新纳入低保", "2020-03-05")]))
    run_nightly(tmp_path, as_of="202003", today="2020-04-05")
    [(first,)] = query(tmp_path, "SELECT case_id FROM cases WHERE kind = 'DEPT_DIBAO_NEW'")
    assert cli(tmp_path, "cases", "export", "--today", "2020-04-08") == 0
    fill_workbook(tmp_path / "out/exports/cases/430521.xlsx", tmp_path / "filled.xlsx",
                  {first: ("不属实", None, "李四", "2020-04-08", "已核实，低保系误录")})
    assert cli(tmp_path, "cases", "import", str(tmp_path / "filled.xlsx"), "--today", "2020-04-08") == 0
    assert department_cases(tmp_path) == [("dismissed", "202003", "")]
    run_nightly(tmp_path, as_of="202003", today="2020-04-09")  # the same record: the dismissal holds
    assert department_cases(tmp_path) == [("dismissed", "202003", "")]
    (inbox / "dept_civil_202003_v2.csv").write_bytes(table_csv(DEPT_HEADER, [
        dept_row(HEAD, "新纳入低保", "2020-03-05"), dept_row(HEAD, "新纳入低保", "2020-03-20")]))
    run_nightly(tmp_path, as_of="202003", today="2020-04-10")
    assert department_cases(tmp_path) == [("dismissed", "202003", ""), ("open", "202003", first)]
    [(detail,)] = query(tmp_path, "SELECT detail FROM cases WHERE kind = 'DEPT_DIBAO_NEW' AND status = 'open'")
    assert "2020-03-20" in detail
