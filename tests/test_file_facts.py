"""What the pages read of each file's rows is noted as the file loads (file_missing_households, file_report_dates):
the same as the whole store's return rows and problems give, after a rerun re-reads a file, and in a store made
before the tables (filled when it is opened)."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from core import db
from tests.support.runs import run_rerun

# households_data_missing as it was a view over every return row (before the table): the expectation, test-side
MISSING_FROM_EVERY_ROW = """
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
# the table (or view) the pages read, and what every return row says it holds
FACTS = {
    "file_missing_households": ("SELECT * FROM households_data_missing", MISSING_FROM_EVERY_ROW),
    "file_report_dates": ("SELECT file_id, report_date FROM file_report_dates",
                          "SELECT file_id, max(report_date) FROM return_rows GROUP BY file_id"),
}


def rows_of(con: duckdb.DuckDBPyConnection, query: str) -> list[tuple]:
    """A query's rows, sorted."""
    return sorted(con.execute(query).fetchall(), key=repr)


def copy_of_run(small_city_run: Path, tmp_path: Path) -> Path:
    """A copy of the shared small city's work folder (store, raw store, outputs) that a test may change."""
    copy = tmp_path / "work"
    shutil.copytree(small_city_run, copy)
    return copy


def test_the_facts_loaded_are_those_every_return_row_gives(small_city_run):
    with duckdb.connect(str(small_city_run / "db.duckdb"), read_only=True) as con:
        for table, (read, expected) in FACTS.items():
            assert rows_of(con, read) == rows_of(con, expected), table
        missing = rows_of(con, FACTS["file_missing_households"][0])
        assert len({r[4] for r in missing}) >= 3  # several files' households, or the comparison is weak
        dates = rows_of(con, FACTS["file_report_dates"][0])
        assert len(dates) == con.execute("SELECT count(DISTINCT file_id) FROM return_rows").fetchone()[0]
        assert sum(date is not None for _, date in dates) > len(dates) / 2


def test_a_rerun_that_rereads_the_files_leaves_one_row_each(small_city_run, small_city, tmp_path):
    root = copy_of_run(small_city_run, tmp_path)
    with duckdb.connect(str(root / "db.duckdb"), read_only=True) as con:
        first = {table: rows_of(con, read) for table, (read, _) in FACTS.items()}
        village = con.execute("SELECT min(village_code) FROM households_data_missing").fetchone()[0]
    summary = run_rerun(root, village=village, inbox=small_city / "inbox", reference=small_city / "reference")
    assert summary.files_reread >= 2
    with duckdb.connect(str(root / "db.duckdb"), read_only=True) as con:
        for table, (read, expected) in FACTS.items():
            assert rows_of(con, read) == first[table] == rows_of(con, expected), table
        assert con.execute("SELECT count(*) FROM (SELECT file_id, household_id, source_rows FROM "
                           "file_missing_households GROUP BY ALL HAVING count(*) > 1)").fetchall() == [(0,)]
        assert con.execute("SELECT count(*) - count(DISTINCT file_id) FROM file_report_dates").fetchall() == [(0,)]


@pytest.mark.parametrize("table", list(FACTS))
def test_a_store_made_before_the_table_fills_it_when_opened(small_city_run, tmp_path, table):
    root = copy_of_run(small_city_run, tmp_path)
    read, expected = FACTS[table]
    con = db.connect(root / "db.duckdb")
    first = rows_of(con, read)
    con.execute(f"DROP TABLE {table}")  # as a store made by the code before it
    con.close()
    con = db.connect(root / "db.duckdb")
    try:
        assert rows_of(con, read) == first == rows_of(con, expected)
        assert first
    finally:
        con.close()
