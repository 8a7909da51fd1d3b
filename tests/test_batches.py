"""A bootstrap read in batches of one village's files each comes out as one read in a single batch: the same files,
versions, rows, problems (history checks included), marts and exports."""
from __future__ import annotations

import hashlib
import os
from dataclasses import replace
from pathlib import Path

import duckdb

from tests.support.returns import csv_bytes, household, make_city
from tests.support.runs import query, run_nightly, settings_for

VILLAGES = ["430521001001", "430521001002", "430522001001"]
MONTHS = ["201907", "201908", "201909", "201910", "201911"]
TABLES = {  # table -> columns left out (times of day differ between two runs)
    "source_files": "ingested_at", "return_rows": "", "problems": "", "deliveries": "delivered_at, mtime_ns",
    "delivered_paths": "mtime_ns", "validation_results": "", "history_problems": "", "household_months": "",
    "household_status": "", "village_signals": "",
}


def month_rows(village: str, month: str, bump: int = 0) -> list[list[str]]:
    """Twelve households' year-to-date rows of a month (wages growing through the income year from October)."""
    index = (int(month[4:]) - 10) % 12 + 1
    return [household(village, seq, wage=str(100 * index * seq + bump)) for seq in range(1, 13)]


def write_inbox(root: Path) -> None:
    """Five months of three villages across an income year's end, with corrections of one month (plain, 更正,
    _v3), the same bytes under two names, a year-to-date fall (a history problem) and a badly named file."""
    inbox, _ = make_city(root)
    for village in VILLAGES:
        for month in MONTHS:
            rows = month_rows(village, "201910", -50) if (village, month) == ("430522001001", "201911") else \
                month_rows(village, month)  # wages fall below the month before's
            (inbox / f"{village}_{month}.csv").write_bytes(csv_bytes(rows))
    (inbox / "430521001001_201908_更正.csv").write_bytes(csv_bytes(month_rows("430521001001", "201908", 5000)))
    (inbox / "430521001001_201908_v3.csv").write_bytes(csv_bytes(month_rows("430521001001", "201908", 7)))
    (inbox / "430521001002_201909_v2.csv").write_bytes((inbox / "430521001002_201909.csv").read_bytes())
    (inbox / "月报.csv").write_bytes(csv_bytes(month_rows("430521001002", "201909")))


def table_rows(db: Path) -> dict[str, list[tuple]]:
    """Every row of the compared tables, in order."""
    with duckdb.connect(str(db), read_only=True) as con:
        return {table: con.execute(f"SELECT * {f'EXCLUDE ({left_out})' if left_out else ''} FROM {table} "
                                   "ORDER BY ALL").fetchall()
                for table, left_out in TABLES.items()}


def test_one_village_per_batch_gives_what_one_batch_gives(prefect_harness, tmp_path):
    from flows.nightly import nightly

    results = {}
    for name, batch_bytes in (("one-batch", 1 << 40), ("tiny-batches", 1)):
        root = tmp_path / name
        write_inbox(root)
        summary = nightly(settings=replace(settings_for(root), batch_bytes=batch_bytes))
        exports = {p.name: p.read_bytes() for p in sorted((root / "out" / "exports").glob("*.csv"))}
        results[name] = (summary.files_loaded, summary.files_rejected, summary.rows_loaded, table_rows(root / "db.duckdb"),
                         exports)
    assert results["tiny-batches"][:3] == results["one-batch"][:3] == (18, 1, 216)
    for table in TABLES:
        assert results["tiny-batches"][3][table] == results["one-batch"][3][table], table
    assert results["tiny-batches"][4] == results["one-batch"][4]
    assert any("ROW_YTD_DECREASE" in row for row in results["one-batch"][3]["history_problems"])


def deliver(path: Path, wage: str, stamp: int) -> None:
    """Write a one-household return for the path's village (wage as given) with a distinct modification time."""
    path.write_bytes(csv_bytes([household(path.name[:12], 1, wage=wage)]))
    os.utime(path, ns=(stamp * 10**9, stamp * 10**9))


def test_a_rebuild_killed_before_it_read_an_old_version_reads_it_the_next_night(prefect_harness, tmp_path):
    inbox, _ = make_city(tmp_path)
    path = inbox / f"{VILLAGES[0]}_201910.csv"
    for wage, stamp in (("1", 1), ("2", 2)):        # A, then B over A: A is left in the raw store only
        deliver(path, wage, 1_600_000_000 + stamp)
        run_nightly(tmp_path)
    versions = query(tmp_path, "SELECT file_id, sha256, status FROM source_files ORDER BY ALL")
    (tmp_path / "db.duckdb").unlink()
    run_nightly(tmp_path)                           # the rebuild reads A back from the raw store
    first = hashlib.sha256(csv_bytes([household(VILLAGES[0], 1, wage="1")])).hexdigest()
    with duckdb.connect(str(tmp_path / "db.duckdb")) as con:  # as if killed before its batch of A committed
        (file_id,), = con.execute("SELECT file_id FROM source_files WHERE sha256 = ?", [first]).fetchall()
        for table in ("return_rows", "problems", "source_files"):
            con.execute(f"DELETE FROM {table} WHERE file_id = ?", [file_id])
    assert query(tmp_path, "SELECT count(*) FROM source_files") == [(1,)]
    assert run_nightly(tmp_path).files_new == 1
    assert query(tmp_path, "SELECT sha256, status FROM source_files ORDER BY ALL") == sorted(
        (sha, status) for _, sha, status in versions)
    assert query(tmp_path, "SELECT wage_income FROM households_current") == [(2.0,)]
