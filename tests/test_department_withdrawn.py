"""A DEPT case closes when a correction of the department file withdraws its record (departments.md): the record
its detail quotes, whatever other record of the event the household has, and in whichever month the correction
comes."""
from __future__ import annotations

import csv

from tests.support.departments import DEPT_HEADER, RETURN_HEADER, dept_row, id_number, ret_row, table_csv
from tests.support.returns import make_city
from tests.support.runs import query, run_nightly

V = "430521001001"
HEAD = id_number(1)


def department_cases(root) -> list[tuple[str, str]]:
    """(kind, status) of the DEPT cases of exports/cases.csv."""
    rows = csv.DictReader((root / "out/exports/cases.csv").read_bytes().decode("utf-8-sig").splitlines())
    return [(c["kind"], c["status"]) for c in rows if c["kind"].startswith("DEPT_")]


def test_a_withdrawn_car_closes_its_case_though_the_households_exempt_tractor_stays(prefect_harness, tmp_path):
    inbox, _ = make_city(tmp_path)
    (inbox / f"{V}_202003.csv").write_bytes(table_csv(RETURN_HEADER, [ret_row(V, 1, HEAD, kind="脱贫户")]))
    car, tractor = (dept_row(HEAD, "登记机动车", "2020-03-05", grade="小型轿车"),
                    dept_row(HEAD, "登记机动车", "2020-03-06", grade="手扶拖拉机"))
    (inbox / "dept_vehicle_202003.csv").write_bytes(table_csv(DEPT_HEADER, [car, tractor]))
    run_nightly(tmp_path, as_of="202003", today="2020-04-03")
    assert department_cases(tmp_path) == [("DEPT_VEHICLE", "open")]
    (inbox / "dept_vehicle_202003_v2.csv").write_bytes(table_csv(DEPT_HEADER, [tractor]))  # the car withdrawn
    run_nightly(tmp_path, as_of="202003", today="2020-04-04")
    assert department_cases(tmp_path) == [("DEPT_VEHICLE", "closed")]
    (inbox / "dept_vehicle_202003_v3.csv").write_bytes(table_csv(DEPT_HEADER, [car, tractor]))  # and sent again
    run_nightly(tmp_path, as_of="202003", today="2020-04-05")
    assert department_cases(tmp_path) == [("DEPT_VEHICLE", "closed"), ("DEPT_VEHICLE", "open")]


def test_a_september_record_withdrawn_by_a_correction_sent_in_october_closes_its_case(prefect_harness, tmp_path):
    inbox, _ = make_city(tmp_path)
    (inbox / f"{V}_202009.csv").write_bytes(table_csv(RETURN_HEADER, [ret_row(V, 1, HEAD)]))
    (inbox / "dept_civil_202009.csv").write_bytes(table_csv(DEPT_HEADER, [dept_row(HEAD, "新纳入低保", "2020-09-05")]))
    run_nightly(tmp_path, as_of="202009", today="2020-10-03")
    assert department_cases(tmp_path) == [("DEPT_DIBAO_NEW", "open")]
    (inbox / f"{V}_202010.csv").write_bytes(table_csv(RETURN_HEADER, [ret_row(V, 1, HEAD, wage=3000)]))
    run_nightly(tmp_path, as_of="202010", today="2020-11-02")
    assert department_cases(tmp_path) == [("DEPT_DIBAO_NEW", "open")]  # a new income year withdraws nothing
    other = id_number(40)  # the correction keeps another person's record, withdrawing the household's
    (inbox / "dept_civil_202009_v2.csv").write_bytes(table_csv(DEPT_HEADER, [dept_row(other, "新纳入低保", "2020-09-05")]))
    run_nightly(tmp_path, as_of="202010", today="2020-11-03")
    assert department_cases(tmp_path) == []  # closed, of an earlier income year: no longer listed
    assert query(tmp_path, "SELECT kind, status FROM cases WHERE kind LIKE 'DEPT_%'") == [("DEPT_DIBAO_NEW", "closed")]
