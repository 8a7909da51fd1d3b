"""The DuckDB store: opening the file, applying the schema, and running the statements of sql/."""
from __future__ import annotations

import ctypes
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from functools import lru_cache
from pathlib import Path

import duckdb
from core import schema
from core.lock import StoreBusy, foreign_holder
from core.project import SQL_DIR

CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


@lru_cache(maxsize=None)
def sql_text(name: str) -> str:
    """The text of sql/<name>.sql (one statement per file)."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def connect(db_path: str | Path, read_only: bool = False, memory_limit: str = "") -> duckdb.DuckDBPyConnection:
    """Open the DuckDB file (creating its folder and schema when writable), its memory capped (limit_memory)."""
    if str(db_path) != ":memory:":
        Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db_path), read_only=read_only, config=CONFIG)
    limit_memory(con, memory_limit)
    if not read_only:
        apply_schema(con)
    return con


def connect_when_free(db_path: str | Path, wait: bool, memory_limit: str = "",
                      poll_seconds: float = 1.0) -> duckdb.DuckDBPyConnection:
    """connect, when another program holds the file's own lock (an analyst's DuckDB shell or database browser,
    which povmon's lock file does not see): StoreBusy naming it, or with wait, tried again until it lets go."""
    while True:
        try:
            return connect(db_path, memory_limit=memory_limit)
        except duckdb.IOException as err:
            holder = foreign_holder(err)
            if holder is None:
                raise
            if not wait:
                raise StoreBusy(f"another program holds {db_path} ({holder}); close it and try again, "
                                "or pass --wait") from None
        time.sleep(poll_seconds)


def limit_memory(con: duckdb.DuckDBPyConnection, limit: str) -> None:
    """Cap DuckDB's memory (its buffer pool and the operators that spill to disk past it), e.g. '3GB'; an empty
    limit keeps DuckDB's default (80 % of the machine's memory), which a long history fills with cached pages."""
    if limit:
        con.execute("SET memory_limit = ?", [limit])


def release_cache(con: duckdb.DuckDBPyConnection, limit: str) -> None:
    """Give back the memory of DuckDB's cached pages (its limit lowered for a moment, then set to `limit` again, or
    to DuckDB's default when empty): DuckDB keeps up to its limit cached after a heavy query, and the steps in
    Python that follow (reading workers, exports, pages) would add their memory on top of it. Pages are read
    again from disk (or the OS cache) when needed."""
    try:
        con.execute("SET memory_limit = '32MB'").fetchall()
    except duckdb.Error:
        pass  # more than that pinned by a query's intermediate results: as much as could be freed was
    finally:
        if limit:
            limit_memory(con, limit)
        else:
            con.execute("RESET memory_limit").fetchall()
    trim_heap()


def trim_heap() -> None:
    """Give the C heap's free pages back to the system: glibc's malloc keeps what freed frames (pandas for Great
    Expectations, the batches' Python objects) held, and DuckDB's cache would then grow on top of it."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL("libc.so.6").malloc_trim(0)
        except (OSError, AttributeError):  # another C library: nothing to trim this way
            pass


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table and view of sql/schema/ that does not exist yet (in file-name order), unless the store
    holds this schema already (core/schema.py). A table with a backfill (sql/schema/backfill/<table>.sql) that a
    store made before it lacks is created and filled from the store's rows in one transaction: no store holds it
    empty beside the rows it stands for."""
    tables = {name for (name,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    backfills = [path for path in schema.backfill_files() if path.stem not in tables]
    if not backfills and schema.is_applied(con, tables):
        return
    with transaction(con) if backfills else nullcontext(con):
        for _, text in schema.schema_files():
            con.execute(text)
        for path in backfills:
            con.execute(path.read_text(encoding="utf-8"))
    schema.record_applied(con)  # once every statement ran: a run killed midway applies them all again


def run(con: duckdb.DuckDBPyConnection, name: str, params: dict | list | None = None) -> None:
    """Run the statement sql/<name>.sql with bound parameters, discarding any result."""
    con.execute(sql_text(name), params or {}).fetchall()


def rows(con: duckdb.DuckDBPyConnection, name: str, params: dict | list | None = None) -> list[tuple]:
    """All rows of the query sql/<name>.sql."""
    return con.execute(sql_text(name), params or {}).fetchall()


def frame(con: duckdb.DuckDBPyConnection, name: str, params: dict | list | None = None):
    """The query sql/<name>.sql as a Polars frame."""
    return con.sql(sql_text(name), params=params or {}).pl()


def scalar(con: duckdb.DuckDBPyConnection, query: str, params: dict | list | None = None):
    """The first value of the first row of an inline query (for small lookups)."""
    found = con.execute(query, params or {}).fetchall()
    return found[0][0] if found else None


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """The block's statements in one transaction: committed when it ends, rolled back when it raises."""
    con.execute("BEGIN TRANSACTION").fetchall()
    try:
        yield con
    except Exception:
        try:
            con.execute("ROLLBACK").fetchall()
        except duckdb.Error:
            pass  # the failure already ended the transaction (e.g. a full disk): report the failure, not this
        raise
    con.execute("COMMIT").fetchall()


def create_empty_temp(con: duckdb.DuckDBPyConnection, table: str, name: str | None = None) -> None:
    """An empty temporary table (under the same name when none is given) with a stored table's columns and
    constraints, made from the stored table's own CREATE statement.

    Not CREATE TEMP TABLE … AS a query DuckDB can prove empty (… LIMIT 0, a filter its statistics rule out): in
    DuckDB 2.0.0 such a table keeps the statistics of an empty table through a later INSERT of a row group (122,880
    rows) or more in the same transaction, and scans, joins, aggregates and filters on it then read none or only
    some of those rows until the store is reopened (tests/test_cases_ledger.py, tests/test_backtest_then.py)."""
    found = rows(con, "marts/stored_tables_ddl", {"tables": [table]})
    prefix = f"CREATE TABLE {table}("
    if len(found) != 1 or not found[0][1].startswith(prefix):
        raise RuntimeError(f"the store has no table {table} with the expected CREATE statement: {found!r:.120}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name or table}(" + found[0][1].removeprefix(prefix)).fetchall()


def relations(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Names of the tables and views in the store."""
    found = con.execute("SELECT table_name FROM duckdb_tables() UNION SELECT view_name FROM duckdb_views()").fetchall()
    return {name for (name,) in found}


def has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether the store holds a table or view of this name (marts exist once a run has built them)."""
    return name in relations(con)
