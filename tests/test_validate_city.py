"""Validation end to end on the small synthetic city: planted bad rows found with code, level, file and row;
no error on a clean row; outliers on clean rows rare; rows read = used + quarantined + skipped."""
from __future__ import annotations

import csv

import duckdb
import pytest

@pytest.fixture
def city_run(small_city, small_city_run):
    """The shared nightly run over the small city: (city root, run folder)."""
    return small_city, small_city_run


def read_csv(path) -> list[dict]:
    """A CSV (BOM or not) as dicts."""
    return list(csv.DictReader(path.read_bytes().decode("utf-8-sig").splitlines()))


def test_planted_rows_of_current_files_found_and_clean_rows_not_in_error(city_run):
    city, out = city_run
    with duckdb.connect(str(out / "db.duckdb"), read_only=True) as con:
        current = {name for (name,) in con.execute("SELECT file_name FROM current_files UNION ALL "
                                                   "SELECT file_name FROM current_department_files").fetchall()}
        used_rows = con.execute("SELECT count(*) FROM households_current").fetchall()[0][0]
    planted = {(r["file"], r["row"], r["code"], r["level"]) for r in read_csv(city / "truth" / "planted.csv")
               if r["kind"] == "row" and r["file"] in current}
    found = {(p["file"], p["row"], p["code"], p["level"]) for p in read_csv(out / "out" / "exports" / "problems.csv")
             if p["code"].startswith("ROW_")}
    assert len(planted) > 100
    assert planted - found == set()
    unplanted = found - planted
    assert {p for p in unplanted if p[3] == "error"} == set()
    assert {p for p in unplanted if p[2] not in ("ROW_OUTLIER", "ROW_YTD_DECREASE")} == set()
    assert len([p for p in unplanted if p[2] == "ROW_OUTLIER"]) < 0.01 * used_rows


def test_row_accounting_holds_for_every_file(city_run):
    _, out = city_run
    with duckdb.connect(str(out / "db.duckdb"), read_only=True) as con:
        broken = con.execute("SELECT file_name FROM source_files "
                             "WHERE rows_read <> rows_used + rows_quarantined + rows_skipped").fetchall()
        stored = con.execute("SELECT f.file_id FROM source_files f LEFT JOIN return_rows r USING (file_id) "
                             "WHERE f.status = 'loaded' GROUP BY f.file_id, f.rows_read, f.rows_skipped "
                             "HAVING count(r.source_row) <> f.rows_read - f.rows_skipped").fetchall()
        totals = con.execute("SELECT sum(rows_read), sum(rows_quarantined) FROM source_files").fetchall()[0]
    assert broken == [] and stored == []
    assert totals[0] > 10_000 and totals[1] > 100
