"""A first-generation ID (15 digits: no century, no check character) is the same person as its 18-digit form
(departments.md matches people by ID number): a record is matched to its household whichever form the department,
the return or the roster wrote, and the ID is still shown masked as it was written."""
from __future__ import annotations

import csv

from tests.support.departments import DEPT_HEADER, RETURN_HEADER, dept_row, id_number, ret_row, table_csv
from tests.support.returns import make_city
from tests.support.runs import problems, run_nightly

V = "430521001001"
HEADS = [id_number(1), id_number(2), id_number(3)]
CHILD = id_number(4)


def first_generation(number: str) -> str:
    """The 15-digit form of an 18-digit ID of a person born in the 1900s."""
    return number[:6] + number[8:17]


def test_a_person_is_matched_whichever_form_of_the_id_each_side_wrote(prefect_harness, tmp_path):
    inbox, reference = make_city(tmp_path)
    rows = [ret_row(V, 1, first_generation(HEADS[0])), ret_row(V, 2, HEADS[1]), ret_row(V, 3, HEADS[2])]
    (inbox / f"{V}_202003.csv").write_bytes(table_csv(RETURN_HEADER, rows))
    (reference / "members.csv").write_text(
        f"household_id,id_number,name,relation\n{V}0003,{HEADS[2]},王五,户主\n{V}0003,{first_generation(CHILD)},王六,子女\n",
        encoding="utf-8")
    records = [dept_row(HEADS[0], "新纳入低保"), dept_row(first_generation(HEADS[1]), "临时救助")]
    (inbox / "dept_civil_202003.csv").write_bytes(table_csv(DEPT_HEADER, records))
    (inbox / "dept_disability_202003.csv").write_bytes(table_csv(DEPT_HEADER, [dept_row(CHILD, "新增残疾", grade="一级")]))
    run_nightly(tmp_path, as_of="202003", today="2020-04-03")
    assert [(p["file"], p["row"], p["code"], p["level"]) for p in problems(tmp_path)] == [
        (f"{V}_202003.csv", "2", "ROW_ID_NUMBER", "warning")]  # the return's contract is 18 characters: asked to update
    found = csv.DictReader((tmp_path / "out/exports/department_checks.csv").read_bytes().decode("utf-8-sig").splitlines())
    old = first_generation(HEADS[1])
    assert sorted((r["household_id"], r["event"], r["finding"], r["person_id_masked"]) for r in found) == [
        (f"{V}0001", "DIBAO_NEW", "CLUE", HEADS[0][:6] + "*" * 8 + HEADS[0][-4:]),
        (f"{V}0002", "TEMP_RELIEF", "CLUE", old[:6] + "*" * 5 + old[-4:]),
        (f"{V}0003", "DISABILITY_NEW", "CLUE", CHILD[:6] + "*" * 8 + CHILD[-4:])]
