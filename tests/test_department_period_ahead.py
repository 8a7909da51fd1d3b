"""A department file named for a month after the run's own (its --today's), a year typed wrong: its records are
judged only once the as-of month reaches that month, so it is listed (FILE_PERIOD_AHEAD, a warning, as for a return)
rather than loaded without a word, and the warning goes once its month has come."""
from __future__ import annotations

from tests.support.departments import DEPT_HEADER, RETURN_HEADER, dept_row, id_number, ret_row, table_csv
from tests.support.returns import make_city
from tests.support.runs import problems, run_nightly

V = "430521001001"
HEAD = id_number(1)


def department_problems(root) -> list[tuple[str, str, str, str]]:
    """(file, period, code, level) of the department files' problems in problems.csv."""
    return [(p["file"], p["period"], p["code"], p["level"]) for p in problems(root) if p["file"].startswith("dept_")]


def test_a_department_file_of_a_later_month_is_listed_until_its_month_comes(prefect_harness, tmp_path):
    inbox, _ = make_city(tmp_path)
    (inbox / f"{V}_202003.csv").write_bytes(table_csv(RETURN_HEADER, [ret_row(V, 1, HEAD)]))
    (inbox / "dept_civil_202103.csv").write_bytes(table_csv(DEPT_HEADER, [dept_row(HEAD, "新纳入低保")]))
    summary = run_nightly(tmp_path, today="2020-04-03")
    assert summary.as_of == "202003" and summary.department_findings == {}  # nothing judged: not this month's
    assert department_problems(tmp_path) == [("dept_civil_202103.csv", "202103", "FILE_PERIOD_AHEAD", "warning")]
    run_nightly(tmp_path, today="2021-03-02")
    assert department_problems(tmp_path) == []
