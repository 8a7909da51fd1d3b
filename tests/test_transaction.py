"""db.transaction: all or nothing, and the failure that ended a transaction is the error reported (a full disk
used to surface as DuckDB's "cannot rollback - no transaction is active")."""
from __future__ import annotations

import duckdb
import pytest

from core import db


def test_a_failing_block_leaves_nothing_and_a_good_one_commits():
    con = duckdb.connect()
    con.execute("CREATE TABLE t (x INTEGER)")
    with pytest.raises(ValueError, match="bad row"):
        with db.transaction(con):
            con.execute("INSERT INTO t VALUES (1)")
            raise ValueError("bad row")
    assert con.execute("SELECT count(*) FROM t").fetchone() == (0,)
    with db.transaction(con):
        con.execute("INSERT INTO t VALUES (2)")
    assert con.execute("SELECT x FROM t").fetchall() == [(2,)]


def test_the_error_that_ended_the_transaction_is_reported_not_the_rollback():
    con = duckdb.connect()
    with pytest.raises(OSError, match="No space left on device"):
        with db.transaction(con):
            con.execute("ROLLBACK")  # as a failed write does: the transaction is gone before the handler runs
            raise OSError(28, "No space left on device")
    with db.transaction(con):  # and the connection is usable for the next one
        con.execute("SELECT 1").fetchall()
