"""Whether the case ledger must be updated again: the digests of what its last update read (the store's tables it
reads and never writes, the as-of month, today, the settings, the ledger's code) and of the ledger it left (its
events, cases and evidence), kept after each update. A run whose inputs and ledger are those (a night with nothing
new; another run of the same day) keeps the ledger as it is: an update is a fixed point of itself (nothing it left
opens or closes again, tests/test_ledger_kept.py), and it read 0.5-1.0 s of a city night, ~5 s at province."""
from __future__ import annotations

import hashlib
from datetime import date

import duckdb
import polars as pl

from core import db
from core.project import PROJECT_DIR, SQL_DIR
from core.settings import Settings
from tasks.report.freshness import digest_of, step_inputs_digest, table_digests

# read by an update, never written: the flags and signals of household_status and village_signals (by the marts'
# keys, with the measures department clues changed: freshness.VOUCHED), the returns' files and problems (data
# errors; the heads of department_records by the files' digests), the department findings and records, the roster
READ_TABLES = ("mart_keys", "department_measures", "source_files", "deliveries", "file_digests", "problems",
               "department_files", "department_rows", "department_findings", "registry_members")
# read and written by an update (and by a decisions import, which appends events and derives the cases again)
LEDGER_TABLES = ("cases", "case_events", "case_evidence")
CODE = (PROJECT_DIR / "tasks" / "cases", SQL_DIR / "cases")


def inputs_digest(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: str, today: date,
                  findings: pl.DataFrame | None) -> str:
    """The digest of what an update for this as-of month and today, given these department findings (None: not
    checked), would read, the ledger itself aside."""
    given = None if findings is None else findings.sort(findings.columns, nulls_last=True).write_csv()
    return step_inputs_digest(con, READ_TABLES, CODE, as_of=as_of, today=today.isoformat(), settings=repr(settings),
                              findings=None if given is None else hashlib.sha256(given.encode()).hexdigest())


def ledger_digest(con: duckdb.DuckDBPyConnection) -> str:
    """The digest of the ledger's own tables as they are."""
    return digest_of({"ledger": table_digests(con, LEDGER_TABLES)})


def updated_already(con: duckdb.DuckDBPyConnection, inputs: str) -> bool:
    """Whether the last update read these inputs and the ledger is still as it left it."""
    recorded = con.execute("SELECT inputs_digest, ledger_digest FROM ledger_judged").fetchall()
    return len(recorded) == 1 and recorded[0][0] == inputs and recorded[0][1] == ledger_digest(con)


def remember_update(con: duckdb.DuckDBPyConnection, inputs: str) -> None:
    """Record what an update just read and the ledger it left (after it committed: a run stopped between updates
    again)."""
    with db.transaction(con):
        con.execute("DELETE FROM ledger_judged").fetchall()
        con.execute("INSERT INTO ledger_judged VALUES (?, ?)", [inputs, ledger_digest(con)]).fetchall()
