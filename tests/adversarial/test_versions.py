"""Class 7: the current version must not silently change. At equal rank the latest delivery wins (A, B, then A
again under one name keeps A), never the path order; a store rebuilt from the raw store and the delivery log
picks the same versions."""
from __future__ import annotations

import os

from tests.support.returns import csv_bytes, household, make_city
from tests.support.hostile import V1, V2, query
from tests.support.runs import run_nightly

NAME_1, NAME_2 = f"{V1}_202003_v2.csv", f"{V2}_202003.csv"


def deliver(path, wage: str, stamp: int) -> None:
    """Write a one-household return for the path's village (wage as given) with a distinct modification time."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(csv_bytes([household(path.name[:12], 1, wage=wage)]))
    os.utime(path, ns=(stamp * 10**9, stamp * 10**9))


def wages(root) -> dict[str, float]:
    """The current version's wage per village."""
    return dict(query(root, "SELECT village_code, wage_income FROM households_current"))


def test_latest_delivery_wins_and_a_rebuild_agrees(prefect_harness, tmp_path):
    inbox, _ = make_city(tmp_path)
    deliver(inbox / "z" / NAME_1, "100", 1_600_000_000)     # same rank, delivered first, path sorts last
    deliver(inbox / NAME_2, "1", 1_600_000_000)             # A
    run_nightly(tmp_path)
    deliver(inbox / "a" / NAME_1, "200", 1_600_000_100)     # same rank, delivered later
    deliver(inbox / NAME_2, "2", 1_600_000_100)             # B over A
    run_nightly(tmp_path)
    assert wages(tmp_path) == {V1: 200.0, V2: 2.0}
    deliver(inbox / NAME_2, "1", 1_600_000_200)             # A again: the same bytes as the first time
    run_nightly(tmp_path)
    assert wages(tmp_path) == {V1: 200.0, V2: 1.0}
    history = query(tmp_path, "SELECT count(*) FROM source_files WHERE village_code = ?", [V2])
    (tmp_path / "db.duckdb").unlink()                       # rebuild: the raw store and the delivery log remain
    run_nightly(tmp_path)
    assert wages(tmp_path) == {V1: 200.0, V2: 1.0}
    assert query(tmp_path, "SELECT count(*) FROM source_files WHERE village_code = ?", [V2]) == history  # B too
    assert run_nightly(tmp_path).files_new == 0             # the next night: nothing new, nothing changed
    assert wages(tmp_path) == {V1: 200.0, V2: 1.0}
