"""A department's list re-sent unchanged under another month's name (last month's file copied as this month's): its
records are all of the earlier month, this month's list never came, so the file is loaded and listed as
FILE_SAME_BYTES (warning, naming the other file), as a village return is; a workbook of a sheet per month sent
under each month's name reads another sheet for each month, the same bytes but not the same list: no warning."""
from __future__ import annotations

from tests.support.departments import DEPT_HEADER, RETURN_HEADER, dept_row, id_number, ret_row, table_csv
from tests.support.returns import make_city
from tests.support.runs import problems, run_nightly
from tests.test_parse_sheets import workbook

V = "430521001001"
HEAD, OTHER = id_number(1), id_number(2)


def same_bytes(root) -> list[tuple[str, str]]:
    """(file, detail) of the FILE_SAME_BYTES warnings of department files in problems.csv."""
    return [(p["file"], p["detail"]) for p in problems(root)
            if p["file"].startswith("dept_") and p["code"] == "FILE_SAME_BYTES"]


def test_last_months_department_list_resent_as_this_months_is_listed(prefect_harness, tmp_path):
    inbox, _ = make_city(tmp_path)
    (inbox / f"{V}_202002.csv").write_bytes(table_csv(RETURN_HEADER, [ret_row(V, 1, HEAD), ret_row(V, 2, OTHER)]))
    february = table_csv(DEPT_HEADER, [dept_row(HEAD, "临时救助", "2020-02-10")])
    (inbox / "dept_civil_202002.csv").write_bytes(february)
    months = workbook([("2月", [DEPT_HEADER, dept_row(HEAD, "死亡", "2020-02-11")]),
                       ("3月", [DEPT_HEADER, dept_row(OTHER, "死亡", "2020-03-11")])])
    (inbox / "dept_police_202002.xlsx").write_bytes(months)
    run_nightly(tmp_path, as_of="202002", today="2020-03-03")
    assert same_bytes(tmp_path) == []
    (inbox / f"{V}_202003.csv").write_bytes(table_csv(RETURN_HEADER, [ret_row(V, 1, HEAD), ret_row(V, 2, OTHER)]))
    (inbox / "dept_civil_202003.csv").write_bytes(february)
    (inbox / "dept_police_202003.xlsx").write_bytes(months)  # its 3月 sheet read: March's list
    run_nightly(tmp_path, as_of="202003", today="2020-04-03")
    assert same_bytes(tmp_path) == [
        ("dept_civil_202003.csv", "内容与“dept_civil_202002.csv”完全相同(同一份名单按另一个部门或月份报送?)")]
