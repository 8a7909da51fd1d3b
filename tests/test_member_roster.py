"""The member roster reference/members.csv through the nightly flow: saved by Excel in GB18030 with Chinese headers it
is read; a roster that cannot be used is a listed problem, not a failed night, and the stored roster stands; its rows
in error are listed in problems.csv with their line."""
from __future__ import annotations

import duckdb

from tests.support.departments import id_number
from tests.support.runs import problems, query, run_flow
from tests.test_department_flow import V, checks, write_city

PERSON = id_number(5, "430522")  # the civil list's TEMP_RELIEF record: UNREGISTERED while no roster names them


def unregistered(root) -> bool:
    """Whether the run found the civil list's TEMP_RELIEF person in no registered household."""
    return ("", "TEMP_RELIEF", "UNREGISTERED") in {(r["household_id"], r["event"], r["finding"]) for r in checks(root)}


def roster_problems(root) -> list[tuple]:
    """problems.csv's rows for the roster: (row, household_id, code, level)."""
    return [(r["row"], r["household_id"], r["code"], r["level"]) for r in problems(root) if r["file"] == "members.csv"]


def test_a_roster_saved_by_excel_is_read_and_a_broken_one_keeps_the_stored_roster(tmp_path, prefect_harness):
    write_city(tmp_path)
    roster = tmp_path / "reference" / "members.csv"
    roster.write_bytes(f"户编号,身份证号,姓名,与户主关系\n{V}0003,{PERSON},赵六,子女\n".encode("gb18030"))
    run_flow(tmp_path)
    assert not unregistered(tmp_path)  # matched through the roster
    assert roster_problems(tmp_path) == []
    roster.write_text(f"household_id,name,relation\n{V}0003,赵六,子女\n", encoding="utf-8")  # the ID column lost
    summary = run_flow(tmp_path)
    assert query(tmp_path, "SELECT status FROM runs ORDER BY run_id DESC LIMIT 1") == [("completed",)]
    assert summary.members == 0
    assert roster_problems(tmp_path) == [("", "", "FILE_MISSING_COLUMNS", "error")]
    assert query(tmp_path, "SELECT household_id, id_number FROM registry_members") == [(f"{V}0003", PERSON)]
    assert not unregistered(tmp_path)  # the stored roster still matches
    roster.write_bytes(b"\x00\x01binary")
    run_flow(tmp_path)
    assert roster_problems(tmp_path) == [("", "", "FILE_UNREADABLE", "error")]
    assert not unregistered(tmp_path)


def test_a_rosters_rows_in_error_are_listed_with_their_line(tmp_path, prefect_harness):
    write_city(tmp_path)
    other, third = id_number(7), id_number(9)
    lines = ["household_id,id_number,name,relation",
             f"{V}0003,{PERSON},赵六,子女",             # line 2: fine
             f"{V}0002,,钱七,子女",                      # 3: no ID: left out
             f",{other},孙八,子女",                      # 4: no household: left out
             f"{V}0002,{PERSON[:17]}0,周九,子女",        # 5: a wrong check character: kept, listed
             f"{V}0001,{other},吴十,子女",               # 6, 7: one person in two households
             f"{V}0004,{other},吴十,子女",
             f"{V}0004,{third[:6]}{third[8:17]},郑一,子女",      # 8: a valid first-generation ID: no problem
             f"{V}0003,{other[:6]}{other[8:17]},吴十,子女"]     # 9: the same person as 6 and 7, in 15 digits
    (tmp_path / "reference" / "members.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = run_flow(tmp_path)
    assert summary.members == 6
    assert roster_problems(tmp_path) == [
        ("3", f"{V}0002", "ROW_MISSING_VALUE", "error"), ("4", "", "ROW_MISSING_VALUE", "error"),
        ("5", f"{V}0002", "ROW_ID_NUMBER", "warning"),
        ("6", f"{V}0001", "ROW_DUPLICATE", "warning"), ("7", f"{V}0004", "ROW_DUPLICATE", "warning"),
        ("9", f"{V}0003", "ROW_DUPLICATE", "warning")]
    details = " ".join(r["detail"] for r in problems(tmp_path) if r["file"] == "members.csv")
    assert PERSON[:17] not in details  # the ID masked in the detail
    assert not unregistered(tmp_path)
    assert {r["village_code"] for r in problems(tmp_path) if r["file"] == "members.csv" and r["household_id"]} == {V}


def test_an_unchanged_roster_is_not_read_again_and_a_changed_or_removed_one_is(tmp_path, prefect_harness):
    write_city(tmp_path)
    roster = tmp_path / "reference" / "members.csv"
    roster.write_bytes(f"户编号,身份证号,姓名,与户主关系\n{V}0003,{PERSON},赵六,子女\n".encode("gb18030"))
    assert run_flow(tmp_path).members == 1
    # the store's roster edited behind povmon's back: a run that read the same bytes again would restore it
    with duckdb.connect(str(tmp_path / "db.duckdb")) as con:
        con.execute("UPDATE registry_members SET name = '改过'").fetchall()
    assert run_flow(tmp_path).members == 1
    assert query(tmp_path, "SELECT name FROM registry_members") == [("改过",)]  # not read again
    other = id_number(7)
    roster.write_bytes(roster.read_bytes() + f"{V}0002,{other},钱七,户主\n".encode("gb18030"))  # one member more
    assert run_flow(tmp_path).members == 2
    assert sorted(query(tmp_path, "SELECT name FROM registry_members")) == [("赵六",), ("钱七",)]
    kept = roster.read_bytes()
    roster.unlink()
    assert run_flow(tmp_path).members == 0
    assert query(tmp_path, "SELECT count(*) FROM registry_members") == [(0,)]
    assert unregistered(tmp_path)
    roster.write_bytes(kept)  # the same bytes as two runs ago: read again, not taken for the stored (empty) roster
    assert run_flow(tmp_path).members == 2
    assert not unregistered(tmp_path)


def test_a_refused_roster_stays_refused_and_listed_while_its_bytes_stay(tmp_path, prefect_harness):
    write_city(tmp_path)
    roster = tmp_path / "reference" / "members.csv"
    roster.write_text(f"household_id,id_number,name,relation\n{V}0003,{PERSON},赵六,子女\n", encoding="utf-8")
    run_flow(tmp_path)
    roster.write_text(f"household_id,name,relation\n{V}0003,赵六,子女\n", encoding="utf-8")  # the ID column lost
    for _ in range(2):
        summary = run_flow(tmp_path)
        assert summary.members == 0
        assert roster_problems(tmp_path) == [("", "", "FILE_MISSING_COLUMNS", "error")]
        assert query(tmp_path, "SELECT household_id, id_number FROM registry_members") == [(f"{V}0003", PERSON)]
        assert not unregistered(tmp_path)
