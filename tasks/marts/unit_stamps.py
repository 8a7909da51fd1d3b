"""The village × months' stamps of their files (unit_stamps_kept, sql/schema/093_unit_stamps.sql), brought up to
date before they are read: the statements that write source_files, deliveries or file_digests name the village ×
months they touched in unit_stamps_stale (load/refresh_current_files for a batch's files and deliveries,
load/forget_file_digests, marts/file_digests, which takes again in the same transaction the digests a rerun's
marts/forget_file_digests forgot), and only those are computed again, where every file on record was digested by
three statements each run (tests/test_unit_stamps_kept.py)."""
from __future__ import annotations

import duckdb

from core import db


def fresh(con: duckdb.DuckDBPyConnection) -> None:
    """Compute again the stamps of the stale village × months, in one transaction (call outside one: a reader's
    first step; needs the marts' file_digests)."""
    with db.transaction(con):
        if db.scalar(con, "SELECT count(*) FROM unit_stamps_stale"):
            db.run(con, "marts/keep_unit_stamps")
