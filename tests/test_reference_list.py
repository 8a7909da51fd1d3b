"""The reference list: a code listed twice with different lines is refused; a village taken off it keeps its
data-error cases' sources (only a correction closes them)."""
from __future__ import annotations

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
