"""A correction that still sends a record, with an error in one of its cells, has not withdrawn it: the DEPT case
opened on the record stays open (its finding waits for a usable row); only a record gone from the current file
closes its case as withdrawn (部门数据更正后已无此记录)."""
from __future__ import annotations

import csv

from tests.support.departments import DEPT_HEADER, RETURN_HEADER, dept_row, id_number, ret_row, table_csv
from tests.support.returns import make_city
from tests.support.runs import problems, run_nightly

V = "430521001001"
HEAD = id_number(1)


def department_cases(root) -> list[tuple[str, str]]:
    """(kind, status) of the DEPT cases of exports/cases.csv."""
    rows = csv.DictReader((root / "out/exports/cases.csv").read_bytes().decode("utf-8-sig").splitlines())
    return [(c["kind"], c["status"]) for c in rows if c["kind"].startswith("DEPT_")]


def test_a_record_resent_with_an_error_keeps_its_case_open(prefect_harness, tmp_path):
    inbox, _ = make_city(tmp_path)
    (inbox / f"{V}_202003.csv").write_bytes(table_csv(RETURN_HEADER, [ret_row(V, 1, HEAD)]))
    (inbox / "dept_civil_202003.csv").write_bytes(table_csv(DEPT_HEADER, [dept_row(HEAD, "临时救助", amount="500")]))
    run_nightly(tmp_path, as_of="202003", today="2020-04-03")
    assert department_cases(tmp_path) == [("DEPT_TEMP_RELIEF", "open")]
    resent = [dept_row(HEAD, "临时救助", amount="约五百")]  # the same record, its amount mistyped
    (inbox / "dept_civil_202003_v2.csv").write_bytes(table_csv(DEPT_HEADER, resent))
    run_nightly(tmp_path, as_of="202003", today="2020-04-04")
    assert ("dept_civil_202003_v2.csv", "ROW_NOT_NUMBER") in {(p["file"], p["code"]) for p in problems(tmp_path)}
    assert department_cases(tmp_path) == [("DEPT_TEMP_RELIEF", "open")]
