"""A department case confirmed by its township (属实, no measure) is an event checked and found true: it closes
once `close_after_months` months have passed since the visit with no measure recorded (cases.md: DEPT cases close
by a person's conclusion), so it leaves the 待办 sheet and a later record of the event opens a new case; the record
it covered never opens one again. Through real nightly runs and `povmon cases export/import`."""
from __future__ import annotations

import csv

from povmon.cli import main
from tests.support.cases_store import fill_workbook
from tests.support.departments import DEPT_HEADER, RETURN_HEADER, dept_row, id_number, ret_row, table_csv
from tests.support.returns import make_city
from tests.support.runs import query, run_nightly

V = "430521001001"
HEAD = id_number(1)


def cli(root, *args: str) -> int:
    """povmon in this process, on root's store."""
    return main([*args, "--db", str(root / "db.duckdb"), "--out", str(root / "out")])


def night(root, month: str, today: str) -> None:
    """The village's return of a month (one comfortable household) and the nightly run as of that month."""
    (root / "inbox" / f"{V}_{month}.csv").write_bytes(table_csv(RETURN_HEADER, [ret_row(V, 1, HEAD)]))
    run_nightly(root, as_of=month, today=today)


def department_cases(root) -> list[tuple[str, str, str]]:
    """(status, close reason, previous case) of the DEPT cases, oldest first."""
    return query(root, "SELECT status, coalesce(close_reason, ''), coalesce(previous_case_id, '') FROM cases "
                       "WHERE kind = 'DEPT_DIBAO_NEW' ORDER BY case_number")


def confirm(root, measures: str | None = None) -> str:
    """The township's workbook back with 属实 (and these measures) on the DEPT case; returns its id."""
    assert cli(root, "cases", "export", "--today", "2020-04-06") == 0
    [(case_id,)] = query(root, "SELECT case_id FROM cases WHERE kind = 'DEPT_DIBAO_NEW'")
    fill_workbook(root / "out/exports/cases/430521.xlsx", root / "filled.xlsx",
                  {case_id: ("属实", measures, "李四", "2020-04-08", None)})
    assert cli(root, "cases", "import", str(root / "filled.xlsx"), "--today", "2020-04-10") == 0
    return case_id


def test_a_confirmed_department_case_closes_and_a_new_record_opens_a_new_one(prefect_harness, tmp_path):
    make_city(tmp_path)
    civil = tmp_path / "inbox" / "dept_civil_202003.csv"
    civil.write_bytes(table_csv(DEPT_HEADER, [dept_row(HEAD, "新纳入低保", "2020-03-05")]))
    night(tmp_path, "202003", "2020-04-05")
    first = confirm(tmp_path)
    night(tmp_path, "202006", "2020-07-05")
    assert department_cases(tmp_path) == [("confirmed", "", "")]  # two months since the visit: measures may come
    night(tmp_path, "202007", "2020-08-05")
    [(status, reason, _)] = department_cases(tmp_path)
    assert (status, reason) == ("closed", "部门事项已核实属实，3个月未填帮扶措施，按已办结销号")
    rows = csv.DictReader((tmp_path / "out/exports/cases.csv").read_bytes().decode("utf-8-sig").splitlines())
    assert [(r["case_id"], r["status"], r["conclusion"]) for r in rows if r["kind"] == "DEPT_DIBAO_NEW"] == [
        (first, "closed", "属实")]
    run_nightly(tmp_path, as_of="202007", today="2020-08-06")  # the covered record is still in March's file
    assert len(department_cases(tmp_path)) == 1
    (tmp_path / "inbox" / "dept_civil_202008.csv").write_bytes(
        table_csv(DEPT_HEADER, [dept_row(HEAD, "新纳入低保", "2020-08-03")]))
    night(tmp_path, "202008", "2020-09-05")
    assert department_cases(tmp_path)[1] == ("open", "", first)


def test_a_department_case_with_measures_is_assisting_and_stays(prefect_harness, tmp_path):
    """With a measure the case is under monitoring (帮扶中): only 风险消除 closes it, never the months alone."""
    make_city(tmp_path)
    (tmp_path / "inbox" / "dept_civil_202003.csv").write_bytes(
        table_csv(DEPT_HEADER, [dept_row(HEAD, "新纳入低保", "2020-03-05")]))
    night(tmp_path, "202003", "2020-04-05")
    confirm(tmp_path, "兜底保障")
    night(tmp_path, "202007", "2020-08-05")
    assert department_cases(tmp_path) == [("assisting", "", "")]


def test_a_measure_sent_after_the_settled_closing_puts_the_case_under_monitoring(prefect_harness, tmp_path):
    """Settling assumed nothing was to be done; a measure the township records later says otherwise. Refused, it
    could be recorded nowhere (the record is covered: no new case opens for it), so it is applied as on a case a
    person closed: the case is 帮扶中 and stays so."""
    make_city(tmp_path)
    (tmp_path / "inbox" / "dept_civil_202003.csv").write_bytes(
        table_csv(DEPT_HEADER, [dept_row(HEAD, "新纳入低保", "2020-03-05")]))
    night(tmp_path, "202003", "2020-04-05")
    case_id = confirm(tmp_path)
    night(tmp_path, "202007", "2020-08-05")
    settled = ("closed", "部门事项已核实属实，3个月未填帮扶措施，按已办结销号")
    assert department_cases(tmp_path)[0][:2] == settled
    # a dismissal dated before the 属实 in force, sent late: kept under it, the case still settled
    fill_workbook(tmp_path / "out/exports/cases/430521.xlsx", tmp_path / "late.xlsx",
                  {case_id: ("不属实", None, "王五", "2020-04-07", "初访未见低保证")})
    assert cli(tmp_path, "cases", "import", str(tmp_path / "late.xlsx"), "--today", "2020-08-06") == 0
    assert department_cases(tmp_path)[0][:2] == settled
    fill_workbook(tmp_path / "out/exports/cases/430521.xlsx", tmp_path / "measure.xlsx",
                  {case_id: (None, "临时救助", "李四", "2020-08-06", None)})  # the workbook exported in April
    assert cli(tmp_path, "cases", "import", str(tmp_path / "measure.xlsx"), "--today", "2020-08-07") == 0
    assert query(tmp_path, "SELECT count(*) FROM case_import_refusals") == [(0,)]
    assert query(tmp_path, f"SELECT status, conclusion, measures, closed_on FROM cases WHERE case_id = '{case_id}'") \
        == [("assisting", "属实", "临时救助", None)]
    night(tmp_path, "202008", "2020-09-05")
    assert department_cases(tmp_path) == [("assisting", "", "")]
