"""The reference list: a code listed twice with different lines is refused, and so are a line lacking its name or
level and a list naming no village (the run exits 1 and the stored list stays); a village taken off it keeps its
data-error cases' sources (only a correction closes them)."""
from __future__ import annotations

import duckdb
import polars as pl
import pytest

from core import db
from tasks.ingest.reference import ReferenceError, read_admin_units, store_admin_units
from tests.support.store_builder import VILLAGE, build_store, household_row

HEADER = "code,name,level,parent_code,management_area\n"
LINES = "430521,邵东,county,,0\n430521001,两市镇,township,430521,0\n430521001001,白石村,village,430521001,0\n"


def test_a_code_listed_twice_with_different_lines_is_refused_and_a_repeated_line_is_one(tmp_path):
    (tmp_path / "admin_units.csv").write_text(HEADER + LINES + "430521001001,白石村,village,430521001,0\n")
    assert read_admin_units(tmp_path)["code"].to_list() == ["430521", "430521001", "430521001001"]
    (tmp_path / "admin_units.csv").write_text(HEADER + LINES + "430521001001,白石,county,,0\n")
    with pytest.raises(ReferenceError, match="430521001001 is listed 2 times"):
        read_admin_units(tmp_path)


def test_a_line_lacking_its_level_or_name_is_refused_naming_its_code(tmp_path):
    """A line cut short ("430521001002,新村") was taken in, and the run then failed storing it (a NOT NULL
    constraint), after it had emptied the stored list: `cases export` then wrote no county's workbook."""
    (tmp_path / "admin_units.csv").write_text(HEADER + LINES + "430521001002,新村\n")
    with pytest.raises(ReferenceError, match="430521001002 has no level"):
        read_admin_units(tmp_path)
    (tmp_path / "admin_units.csv").write_text(HEADER + LINES + "430521001002,,village,430521001,0\n")
    with pytest.raises(ReferenceError, match="430521001002 has no name"):
        read_admin_units(tmp_path)


def test_a_list_naming_no_village_is_refused(tmp_path):
    """A header alone (a list saved empty) would reject every return of the night as FILE_UNKNOWN_VILLAGE and show
    a city page of no county, with exit status 0, as a missing list would if it were not refused."""
    (tmp_path / "admin_units.csv").write_text(HEADER)
    with pytest.raises(ReferenceError, match="names no village"):
        read_admin_units(tmp_path)
    (tmp_path / "admin_units.csv").write_text(HEADER + LINES.splitlines(keepends=True)[0])
    with pytest.raises(ReferenceError, match="names no village"):
        read_admin_units(tmp_path)


def test_a_list_the_store_refuses_leaves_the_stored_one(tmp_path):
    (tmp_path / "admin_units.csv").write_text(HEADER + LINES)
    con = db.connect(tmp_path / "s.duckdb")
    store_admin_units(con, read_admin_units(tmp_path))
    first = stored(con, "admin_units")
    nameless = read_admin_units(tmp_path).with_columns(name=pl.lit(None, pl.Utf8))
    with pytest.raises(duckdb.ConstraintException):
        store_admin_units(con, nameless)
    assert stored(con, "admin_units") == first


def test_a_village_taken_off_the_list_keeps_its_data_error_source():
    con = build_store([household_row(f"{VILLAGE}0001", "202003", wage=1000.0)])
    con.execute("INSERT INTO problems VALUES (1, 2, NULL, 'ROW_NOT_NUMBER', 'error', '工资性收入“一千”不是数字', 1)")
    before = db.rows(con, "cases/data_error_sources")
    assert [r[1] for r in before] == [f"{VILLAGE}:202003"]
    con.execute("DELETE FROM admin_units WHERE code = ?", [VILLAGE]).fetchall()
    assert db.rows(con, "cases/data_error_sources") == before


def test_an_empty_management_area_is_not_one(tmp_path):
    """A list giving management_area only on its county rows is read (the empty cells as 0), not refused by the store."""
    (tmp_path / "admin_units.csv").write_text(HEADER + "430521,邵东,county,,1\n430521001,两市镇,township,430521,\n"
                                              "430521001001,白石村,village,430521001,\n")
    units = read_admin_units(tmp_path)
    assert units["management_area"].to_list() == [True, False, False]
    con = build_store([household_row(f"{VILLAGE}0001", "202003")])
    store_admin_units(con, units)
    assert con.execute("SELECT code FROM admin_units WHERE management_area").fetchall() == [("430521",)]


def stored(con, table: str) -> list[tuple]:
    """A table's rows with their rowids (a rewrite gives them new ones)."""
    return con.execute(f"SELECT rowid, * FROM {table} ORDER BY rowid").fetchall()


def test_the_same_list_again_leaves_the_table_as_it_is_and_any_change_replaces_it(tmp_path):
    (tmp_path / "admin_units.csv").write_text(HEADER + LINES)
    con = db.connect(tmp_path / "s.duckdb")
    store_admin_units(con, read_admin_units(tmp_path))
    first = stored(con, "admin_units")
    (tmp_path / "admin_units.csv").write_text(HEADER + "".join(reversed(LINES.splitlines(keepends=True))))
    store_admin_units(con, read_admin_units(tmp_path))  # the lines in another order are the same list
    assert stored(con, "admin_units") == first
    (tmp_path / "admin_units.csv").write_text(HEADER + LINES.replace("白石村", "白石新村"))
    store_admin_units(con, read_admin_units(tmp_path))
    after = stored(con, "admin_units")
    assert after != first and [r[1:] for r in after if r[1] == "430521001001"] == [
        ("430521001001", "白石新村", "village", "430521001", False)]


def test_a_roster_differing_only_in_how_often_a_row_is_listed_is_stored_again(tmp_path):
    from tasks.departments.members import read_members, store_members

    con = db.connect(tmp_path / "s.duckdb")
    head = "household_id,id_number,name,relation\n"
    a, b = "4305210010010001,430521199001011234,张三,户主\n", "4305210010010001,430521199201011235,李四,配偶\n"
    (tmp_path / "members.csv").write_text(head + a + a + b)
    store_members(con, read_members(tmp_path))
    first = stored(con, "registry_members")
    store_members(con, read_members(tmp_path))
    assert stored(con, "registry_members") == first
    (tmp_path / "members.csv").write_text(head + a + b + b)  # the same rows, as a set, and as many of them
    store_members(con, read_members(tmp_path))
    assert sorted(r[2] for r in stored(con, "registry_members")) == ["430521199001011234", "430521199201011235",
                                                                   "430521199201011235"]


def test_a_list_saved_by_excel_on_chinese_windows_gb18030_reads_as_the_utf8_one(tmp_path):
    """Excel and WPS save "CSV (逗号分隔)" in GB18030 there: such a list was refused every night (a codec error)."""
    (tmp_path / "admin_units.csv").write_bytes((HEADER + LINES).encode("utf-8-sig"))
    as_utf8 = read_admin_units(tmp_path)
    (tmp_path / "admin_units.csv").write_bytes((HEADER + LINES).encode("gb18030"))
    assert read_admin_units(tmp_path).equals(as_utf8)
    assert "白石村" in as_utf8["name"].to_list()
    (tmp_path / "admin_units.csv").write_bytes(b"\x00\x01" * 10)
    with pytest.raises(ReferenceError, match="unreadable"):
        read_admin_units(tmp_path)
