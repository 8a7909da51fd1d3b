"""A department record of a guarantee problem (危房 C/D, 辍学, 饮水不安全, 未参保) for a household whose return left
the matching cell blank: the return says nothing either way, so the record is no MISMATCH, but it is not dropped
either: a CLUE (村报表未反映，建议入户核实) that opens a case. A return that says the problem already is still gives
nothing (its GUARANTEE_GAP has it); one that says the opposite, a MISMATCH."""
from __future__ import annotations

import csv

from tests.support.departments import DEPT_HEADER, RETURN_HEADER, dept_row, id_number, ret_row, table_csv
from tests.support.returns import make_city
from tests.support.runs import query, run_nightly

V = "430521001001"
HEADS = [id_number(n) for n in range(1, 5)]


def test_a_record_against_a_blank_cell_is_a_clue_and_opens_a_case(prefect_harness, tmp_path):
    inbox, _ = make_city(tmp_path)
    blank = ret_row(V, 1, HEADS[0], housing="", water="", dropout="")
    blank[-1] = ""  # 参加基本医疗保险人数 blank
    says_safe = ret_row(V, 2, HEADS[1])
    says_problem = ret_row(V, 3, HEADS[2], housing="否", water="否", dropout=1, insured=2)
    (inbox / f"{V}_202003.csv").write_bytes(table_csv(RETURN_HEADER, [blank, says_safe, says_problem]))
    for department, event, grade in (("housing", "危房", "D"), ("education", "义务教育阶段失学辍学", ""),
                                     ("water", "饮水不安全", ""), ("medical", "未参加基本医疗保险", "")):
        (inbox / f"dept_{department}_202003.csv").write_bytes(table_csv(
            DEPT_HEADER, [dept_row(head, event, grade=grade) for head in HEADS[:3]]))
    run_nightly(tmp_path, as_of="202003", today="2020-04-03")
    text = (tmp_path / "out/exports/department_checks.csv").read_bytes().decode("utf-8-sig")
    found = sorted((r["household_id"][-1], r["event"], r["finding"]) for r in csv.DictReader(text.splitlines()))
    events = ("DROPOUT", "UNINSURED", "UNSAFE_HOUSING", "WATER_UNSAFE")
    assert found == sorted([("1", e, "CLUE") for e in events] + [("2", e, "MISMATCH") for e in events])
    assert "住建局2020-03-05报危房（D），村报表未反映，建议入户核实" in text
    opened = query(tmp_path, f"SELECT kind FROM cases WHERE household_id = '{V}0001' ORDER BY kind")
    assert opened == [(f"DEPT_{e}",) for e in events]
