"""A run's exports are those of the store as the run left it: the department step's measures included, whatever
runs beside them (the exports are written in a thread of their own)."""
from __future__ import annotations

import duckdb

from tasks.report.exports import write_exports
from tests.support.runs import query, run_flow
from tests.test_department_flow import V, write_city


def test_a_runs_exports_equal_those_written_from_the_store_it_left(prefect_harness, tmp_path):
    write_city(tmp_path)
    summary = run_flow(tmp_path)
    assert query(tmp_path, "SELECT count(*) FROM cases WHERE kind LIKE 'DEPT_%'") == [(3,)]  # the ledger ran too
    with duckdb.connect(str(tmp_path / "db.duckdb"), read_only=True) as con:
        again = write_exports(con, tmp_path / "again", summary.as_of)
    published = tmp_path / "out" / "exports"
    for name in ("problems", "flags", "village_signals"):
        assert (published / f"{name}.csv").read_bytes() == again[name].read_bytes(), name
    flags = (published / "flags.csv").read_text(encoding="utf-8-sig")
    # the clue's measure: household_status changed by the department checks, before the exports
    assert any(line.startswith(f"430521,{V[:9]},{V},{V}0004,") and "医疗救助" in line for line in flags.splitlines())
