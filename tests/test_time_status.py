"""benchmarks/time_status.py recomputes the household_status it forgets, and leaves the store as it found it: its
units are villages (their keys' county_code column holds the village), and a script that forgot no row but every
key inserted each household's month once more per run (a province's 1.5 million rows became 4.5 million)."""
from __future__ import annotations

import duckdb

from benchmarks import time_status
from tests.support.returns import csv_bytes, household, make_city
from tests.support.runs import run_nightly


def status_rows(db) -> tuple:
    """household_status's rows, their digest, and the status keys."""
    with duckdb.connect(str(db), read_only=True) as con:
        return (con.execute("SELECT count(*), sum(hash(t)::HUGEINT) FROM household_status t").fetchone(),
                con.execute("SELECT count(*) FROM mart_keys WHERE artifact = 'status'").fetchone())


def test_a_timed_recompute_leaves_household_status_as_it_was(tmp_path, prefect_harness, capsys):
    inbox, _ = make_city(tmp_path)
    for village in ("430521001001", "430521001002", "430522001001"):
        rows = [household(village, i, wage=wage) for i, wage in ((1, "100"), (2, "1200"), (3, "5000"))]
        (inbox / f"{village}_202003.csv").write_bytes(csv_bytes(rows))
    run_nightly(tmp_path, as_of="202003", today="2020-04-20")
    db = tmp_path / "db.duckdb"
    before = status_rows(db)
    assert before[0][0] == 9 and before[1][0] == 3  # three villages' households, one unit a village

    for counties in ("1", "10"):  # one county of two, then both
        assert time_status.main([str(db), "202003", "--counties", counties]) == 0
        assert status_rows(db) == before
    assert "recomputed in" in capsys.readouterr().out
