"""The households listed as data missing come from file_missing_households, written as files load: the same rows as
the whole store's return rows and problems give, after a rerun re-reads a file, and in a store made before the table
(filled when it is opened)."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from core import db
from tests.support.runs import run_flow, run_rerun

FIXTURES = Path(__file__).parent / "fixtures" / "validation"

# households_data_missing as it was a view over every return row (before the table): the expectation, test-side
FROM_EVERY_ROW = """
SELECT left(c.village_code, 6), c.village_code, r.household_id, c.period, c.file_id, c.file_name,
       list(DISTINCT r.source_row ORDER BY r.source_row),
       array_to_string(list_sort(list_distinct(list(p.code))), ';')
FROM return_rows r
JOIN current_files c USING (file_id)
JOIN problems p ON p.file_id = r.file_id AND p.source_row = r.source_row AND p.level = 'error'
WHERE r.is_quarantined
  AND NOT EXISTS (SELECT 1 FROM return_rows u
                  WHERE u.file_id = r.file_id AND u.household_id = r.household_id AND NOT u.is_quarantined)
GROUP BY c.village_code, r.household_id, c.period, c.file_id, c.file_name,
         CASE WHEN r.household_id IS NULL THEN r.source_row END"""


def fixture_city(tmp_path: Path) -> Path:
    """A copy of the validation fixtures (quarantined rows of several codes, a household twice in one file)."""
    shutil.copytree(FIXTURES / "inbox", tmp_path / "inbox")
    shutil.copytree(FIXTURES / "reference", tmp_path / "reference")
    return tmp_path


def listed(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """The view's rows, sorted."""
    return sorted(con.execute("SELECT * FROM households_data_missing").fetchall(), key=repr)


def expected(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """What every return row and problem of the store say, sorted."""
    return sorted(con.execute(FROM_EVERY_ROW).fetchall(), key=repr)


def test_the_rows_loaded_are_those_every_return_row_gives(prefect_harness, tmp_path):
    root = fixture_city(tmp_path)
    run_flow(root)
    with duckdb.connect(str(root / "db.duckdb"), read_only=True) as con:
        rows = listed(con)
        assert rows == expected(con)
        assert ("4305211010030001", [2, 4], "ROW_DUPLICATE") in [(r[2], r[6], r[7]) for r in rows]
        assert len({r[4] for r in rows}) >= 3  # several files' households, or the comparison is weak


def test_a_rerun_that_rereads_the_files_leaves_one_row_per_household(prefect_harness, tmp_path):
    root = fixture_city(tmp_path)
    run_flow(root)
    before = db.connect(root / "db.duckdb")
    first = listed(before)
    before.close()
    summary = run_rerun(root, village="430521101003")
    assert summary.files_reread >= 1
    with duckdb.connect(str(root / "db.duckdb"), read_only=True) as con:
        assert listed(con) == first == expected(con)
        assert con.execute("SELECT count(*) FROM (SELECT file_id, household_id, source_rows FROM "
                           "file_missing_households GROUP BY ALL HAVING count(*) > 1)").fetchall() == [(0,)]


def test_a_store_made_before_the_table_fills_it_when_opened(prefect_harness, tmp_path):
    root = fixture_city(tmp_path)
    run_flow(root)
    con = db.connect(root / "db.duckdb")
    first = listed(con)
    con.execute("DROP TABLE file_missing_households")  # as a store made by the code before it
    con.close()
    con = db.connect(root / "db.duckdb")
    try:
        assert listed(con) == first == expected(con)
        assert first
    finally:
        con.close()
