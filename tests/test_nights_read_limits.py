"""Nights in sequence against one rebuild: a return or department file refused for a read limit ([ingest]) is read
again once the city raises the limit, as one run over the same inbox with the new limit reads it on a fresh
database."""
from __future__ import annotations

from tests.support.departments import DEPT_HEADER, dept_row, id_number, ret_row, table_csv
from tests.support.nights import VILLAGE, differences, fresh_copy, return_row, send
from tests.support.returns import make_city
from tests.support.runs import problems, query, run_nightly


def refused_then_read(kept, fresh, problems_table: str) -> None:
    """A night under a max_cell_chars of 20 (the file refused for it, FILE_UNREADABLE), a night under the default
    limits, and one run over the same inbox on a fresh store."""
    strict = kept.parent / "strict.toml"
    strict.write_text("[ingest]\nmax_cell_chars = 20\n", encoding="utf-8")
    run_nightly(kept, today="2019-11-10", settings_file=strict)
    assert query(kept, f"SELECT code FROM {problems_table}") == [("FILE_UNREADABLE",)]
    run_nightly(kept, today="2019-11-11")
    run_nightly(fresh_copy(kept, fresh), today="2019-11-11")


def test_a_return_refused_for_a_limit_is_read_once_the_limit_is_raised(prefect_harness, tmp_path):
    """A head's name of 30 characters is over a max_cell_chars of 20: FILE_UNREADABLE naming the setting. The
    city raises the limit back; the next night must read the return (its household flagged, the refusal gone),
    not keep telling the village its file cannot be read while its household is missed."""
    kept = tmp_path / "kept"
    make_city(kept)
    row = return_row(VILLAGE, 1, 900)
    row[1] = "张" * 30
    send(kept, VILLAGE, "201910", [row])
    fresh = tmp_path / "fresh"
    refused_then_read(kept, fresh, "problems")

    assert problems(kept) == problems(fresh) == []
    assert differences(kept / "db.duckdb", fresh / "db.duckdb", "household_status") == ([], [])


def test_a_department_file_refused_for_a_limit_is_read_once_the_limit_is_raised(prefect_harness, tmp_path):
    """The same for a department's list: its note of 30 characters over a max_cell_chars of 20 refuses the file;
    raised back, the next night reads its records (the finding made), as a fresh store does."""
    kept = tmp_path / "kept"
    make_city(kept)
    head = id_number(1)
    send(kept, VILLAGE, "201910", [ret_row(VILLAGE, 1, head, wage=900)[:11]])
    (kept / "inbox" / "dept_civil_201910.csv").write_bytes(
        table_csv(DEPT_HEADER, [dept_row(head, "DIBAO_NEW", "2019-10-05", note="说" * 30)]))
    fresh = tmp_path / "fresh"
    refused_then_read(kept, fresh, "department_problems")

    assert query(fresh, "SELECT finding FROM department_findings") == [("CLUE",)]
    assert problems(kept) == problems(fresh)
    assert differences(kept / "db.duckdb", fresh / "db.duckdb", "department_findings") == ([], [])
