"""return_rows holds each (file_id, source_row) once: the load checks each batch (a new store has no primary key,
whose index was ~40 % of the table), so a batch that would store a file's rows twice is refused whole."""
from __future__ import annotations

from datetime import datetime

import polars as pl
import pytest

from core import db
from tasks.ingest.batch import FILE_SCHEMA
from tasks.ingest.load import RowsAlreadyStored, check_rows_new, load_batch, mark_quarantine
from tasks.ingest.parse import parse_return
from tasks.validate.checks import validate_batch
from tasks.validate.clean import clean_batch
from tests.support.returns import csv_bytes, household

VILLAGE = "430521001001"
NO_PATHS = pl.DataFrame(schema={"path": pl.Utf8})


def one_file(file_id: int, households: int = 3) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """A village's 202003 return as the load receives it: its file record, checked rows and problems."""
    name = f"{VILLAGE}_202003.csv"
    parsed = parse_return(csv_bytes([household(VILLAGE, seq) for seq in range(1, households + 1)]), "csv")
    raw = parsed.frame.with_columns(pl.lit(file_id, pl.Int32).alias("file_id"), pl.lit(VILLAGE).alias("village_code"),
                                    pl.lit("202003").alias("period"))
    cleaned = clean_batch(raw)
    problems = validate_batch(cleaned, with_gx=False).problems
    files = pl.DataFrame([{"file_id": file_id, "sha256": f"hash{file_id}", "file_name": name, "first_path": name,
                           "size_bytes": 1, "village_code": VILLAGE, "period": "202003", "correction_rank": 0,
                           "ingest_run_id": 1, "ingested_at": datetime(2020, 4, 5), "status": "loaded",
                           "file_format": "csv", "encoding": "utf-8", "header_row": 1, "rows_read": households,
                           "rows_skipped": 0}], schema=FILE_SCHEMA)
    return files, mark_quarantine(cleaned, problems), problems


def stored(con) -> tuple[int, int]:
    """How many return rows and file records the store holds."""
    return (db.scalar(con, "SELECT count(*) FROM return_rows"), db.scalar(con, "SELECT count(*) FROM source_files"))


def test_a_new_store_keeps_no_index_on_return_rows(tmp_path):
    con = db.connect(tmp_path / "povmon.duckdb")
    kinds = {kind for (kind,) in con.execute("SELECT constraint_type FROM duckdb_constraints() "
                                             "WHERE table_name = 'return_rows'").fetchall()}
    assert kinds == {"NOT NULL"}


def test_a_file_whose_rows_are_stored_is_refused_whole_and_a_reread_is_not(tmp_path):
    con = db.connect(tmp_path / "povmon.duckdb")
    load_batch(con, 1, *one_file(1), NO_PATHS)
    assert stored(con) == (3, 1)
    files, rows, problems = one_file(1)
    with pytest.raises(RowsAlreadyStored, match=r"files \[1\] already have rows stored"):
        load_batch(con, 2, files.with_columns(pl.lit("other").alias("sha256")), rows, problems, NO_PATHS)
    assert stored(con) == (3, 1)  # nothing of the refused batch: its file record neither
    load_batch(con, 2, files, rows, problems, NO_PATHS, reread_file_ids=[1])  # a rerun forgets the rows first
    assert stored(con) == (3, 1)
    load_batch(con, 3, *one_file(2, households=4), NO_PATHS)
    assert stored(con) == (7, 2)


def test_a_batch_repeating_a_row_is_refused(tmp_path):
    con = db.connect(tmp_path / "povmon.duckdb")
    files, rows, problems = one_file(5)
    with pytest.raises(RowsAlreadyStored, match=r"2 rows of the batch share a file and row number, first \(5, 3\)"):
        load_batch(con, 1, files, pl.concat([rows, rows.filter(pl.col("source_row") == 3)]), problems, NO_PATHS)
    assert stored(con) == (0, 0)


def test_department_rows_are_checked_the_same_way(tmp_path):
    con = db.connect(tmp_path / "povmon.duckdb")
    kinds = {kind for (kind,) in con.execute("SELECT constraint_type FROM duckdb_constraints() "
                                             "WHERE table_name = 'department_rows'").fetchall()}
    assert kinds == {"NOT NULL"}
    con.execute("INSERT INTO department_rows (file_id, source_row, department, period, is_quarantined) "
                "VALUES (7, 2, '民政', '202003', false)")
    batch = pl.DataFrame({"file_id": [6, 7, 8], "source_row": [2, 3, 2]}, schema={"file_id": pl.Int32,
                                                                                 "source_row": pl.Int32})
    with pytest.raises(RowsAlreadyStored, match=r"files \[7\] already have rows stored"):
        check_rows_new(con, batch, "departments/files_with_stored_rows")
    check_rows_new(con, batch.filter(pl.col("file_id") != 7), "departments/files_with_stored_rows")


def test_a_reread_forgets_the_files_digest_with_its_rows(tmp_path):
    """The marts key a file by the digest of its stored rows (file_digests): a re-read replacing the rows forgets
    the digest in the same transaction, so a run killed before its projection leaves no stale digest behind."""
    con = db.connect(tmp_path / "povmon.duckdb")
    load_batch(con, 1, *one_file(1), NO_PATHS)
    con.execute(db.sql_text("marts/create_tables")).fetchall()
    db.run(con, "marts/file_digests")
    assert db.scalar(con, "SELECT row_count FROM file_digests WHERE file_id = 1") == 3
    load_batch(con, 2, *one_file(1, households=4), NO_PATHS, reread_file_ids=[1])
    assert db.scalar(con, "SELECT count(*) FROM file_digests WHERE file_id = 1") == 0
    db.run(con, "marts/file_digests")  # what the next run's projection takes first
    assert db.scalar(con, "SELECT row_count FROM file_digests WHERE file_id = 1") == 4
