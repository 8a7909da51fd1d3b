"""Department lists as departments' own systems export them: the ID column named as the law names it (公民身份号码,
身份证号码) and the amount with its unit (金额（元）), through the nightly flow."""
from __future__ import annotations

import csv

from tests.support.departments import RETURN_HEADER, dept_row, id_number, ret_row, table_csv
from tests.support.returns import make_city
from tests.support.runs import problems, run_nightly

V = "430521001001"
HEADS = [id_number(1), id_number(2)]


def test_a_list_naming_the_id_and_amount_columns_its_own_way_is_read_and_matched(prefect_harness, tmp_path):
    """A medical list headed 公民身份号码 … 金额（元） was refused whole (FILE_MISSING_COLUMNS: 身份证号), and with the
    ID column right its amounts were missing (every MEDICAL_OOP record ROW_MISSING_VALUE): large medical bills,
    the clue 医疗救助 hangs on, lost. They are the contract's columns: records matched and judged."""
    inbox, _ = make_city(tmp_path)
    (inbox / f"{V}_202003.csv").write_bytes(table_csv(RETURN_HEADER, [ret_row(V, i + 1, h) for i, h in enumerate(HEADS)]))
    medical = ["公民身份号码", "姓名", "事项", "发生日期", "金额（元）", "等级", "说明"]
    (inbox / "dept_medical_202003.csv").write_bytes(table_csv(medical, [dept_row(HEADS[0], "医疗自付费用",
                                                                                  amount="23,410")], "gb18030"))
    civil = ["身份证号码", "姓名", "事项", "发生日期", "金额(单位:元)", "等级", "说明"]
    (inbox / "dept_civil_202003.csv").write_bytes(table_csv(civil, [dept_row(HEADS[1], "临时救助", amount="500")]))
    run_nightly(tmp_path, as_of="202003", today="2020-04-03")
    assert problems(tmp_path) == []
    found = csv.DictReader((tmp_path / "out/exports/department_checks.csv").read_bytes().decode("utf-8-sig").splitlines())
    assert sorted((r["household_id"], r["event"], r["finding"]) for r in found) == [
        (f"{V}0001", "MEDICAL_OOP", "CLUE"), (f"{V}0002", "TEMP_RELIEF", "CLUE")]
