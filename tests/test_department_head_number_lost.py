"""A return whose clerk's Excel turned the 户主身份证号 column into numbers (4.30521E+17, ROW_ID_NUMBER, a warning:
the rows are used) names no head a department record can match; the household is still the one whose earlier
return named the head's ID, so its records are judged against it (a CLUE, a MISMATCH), not called 疑似漏评 of a
person "in no registered household" nor dropped."""
from __future__ import annotations

import csv

from tests.support.departments import DEPT_HEADER, RETURN_HEADER, dept_row, id_number, ret_row, table_csv
from tests.support.returns import make_city
from tests.support.runs import run_nightly

V = "430521001001"
HEADS = [id_number(1), id_number(2)]


def test_a_head_whose_id_number_excel_lost_is_matched_by_the_households_earlier_return(prefect_harness, tmp_path):
    inbox, _ = make_city(tmp_path)
    (inbox / f"{V}_202002.csv").write_bytes(table_csv(RETURN_HEADER, [ret_row(V, i + 1, h) for i, h in enumerate(HEADS)]))
    (inbox / "dept_civil_202002.csv").write_bytes(table_csv(DEPT_HEADER, [dept_row(HEADS[1], "临时救助", "2020-02-05")]))
    run_nightly(tmp_path, as_of="202002", today="2020-03-03")  # the households' latest rows kept: February's
    march = [ret_row(V, i + 1, "4.30521E+17") for i in range(2)]  # the whole column typed as numbers
    (inbox / f"{V}_202003.csv").write_bytes(table_csv(RETURN_HEADER, march))
    (inbox / "dept_civil_202003.csv").write_bytes(table_csv(DEPT_HEADER, [dept_row(HEADS[0], "新纳入低保")]))
    (inbox / "dept_housing_202003.csv").write_bytes(table_csv(DEPT_HEADER, [dept_row(HEADS[1], "危房", grade="D")]))
    run_nightly(tmp_path, as_of="202003", today="2020-04-03")
    found = csv.DictReader((tmp_path / "out/exports/department_checks.csv").read_bytes().decode("utf-8-sig").splitlines())
    assert sorted((r["household_id"], r["event"], r["finding"]) for r in found) == [
        (f"{V}0001", "DIBAO_NEW", "CLUE"), (f"{V}0002", "TEMP_RELIEF", "CLUE"), (f"{V}0002", "UNSAFE_HOUSING", "MISMATCH")]
