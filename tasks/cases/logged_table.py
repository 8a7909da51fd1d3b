"""A table of the store whose rows are logged in the raw store before the store commits them (core/void_log.py) and
read back by a store rebuilt: the one read-back, settling and appending of the case ledger's log (event_log.py) and
the refused import rows' log (refusal_log.py), which differ only in what a LoggedTable names."""
from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from core import db, void_log


@dataclass(frozen=True)
class LoggedTable:
    """What a logged table's read-back depends on: its log, its table and columns, and how their lines are read."""
    log_name: str  # the log's file in the raw store
    table: str
    columns: tuple[str, ...]
    number: str  # the table's column numbering the log's lines (the store holds those up to its highest)
    base_table: str  # one row: the highest number the store held when it first met the log
    base_column: str
    parse: void_log.Parse  # a logged line as an entry, its number under id_key
    id_key: str
    read: Callable[[Path], pl.DataFrame]  # the log's standing rows (of a raw store), as the table's, in their order
    lines: Callable[[pl.DataFrame], bytes]  # the table's rows as log lines (ndjson)
    void_earlier: Callable[[Path], None]  # void a log's lines before the store's rows are written into it
    order: str  # the order of the store's rows written into the log

    def path(self, raw_store: Path) -> Path:
        """Where the log lies in a raw store."""
        return Path(raw_store) / self.log_name


def read_back(con: duckdb.DuckDBPyConnection, raw_store: Path | None, logged: LoggedTable) -> int:
    """Settle the log with the store (settle). The first time a store meets the log (no base row yet): a store whose
    table holds no row (new, or rebuilt) reads the log's standing rows back; one holding rows kept before the log
    writes them into it (the store is the truth: earlier lines voided). The base is committed with them, before any
    append, so what a killed first writer logged is voided. Returns how many rows were read back."""
    if raw_store is None:
        return 0
    if db.scalar(con, f"SELECT max({logged.base_column}) FROM {logged.base_table}") is not None:
        settle(con, raw_store, logged)
        return 0
    path, columns = logged.path(raw_store), ", ".join(logged.columns)
    holds = bool(db.scalar(con, f"SELECT EXISTS (SELECT 1 FROM {logged.table})"))
    rows = None if holds else logged.read(raw_store)
    with db.transaction(con):
        if rows is not None and rows.height:
            view = f"logged_{logged.table}"
            con.register(view, rows)
            try:
                con.execute(f"INSERT INTO {logged.table} ({columns}) SELECT {columns} FROM {view}").fetchall()
            finally:
                con.unregister(view)
        elif holds:
            logged.void_earlier(path)
            void_log.append(path, logged.lines(con.sql(
                f"SELECT {columns} FROM {logged.table} ORDER BY {logged.order}").pl()))
        base = int(db.scalar(con, f"SELECT coalesce(max({logged.number}), 0) FROM {logged.table}"))
        con.execute(f"INSERT INTO {logged.base_table} VALUES (?)", [base]).fetchall()
    settle(con, raw_store, logged)
    return 0 if rows is None else rows.height


def append(con: duckdb.DuckDBPyConnection, raw_store: Path | None, logged: LoggedTable, frame: pl.DataFrame) -> None:
    """Append rows (numbered after the store's) to the log, flushed to disk, before the store commits them; first
    settle the log (a writer of this store killed or failed before its commit). The caller settles again once it
    has committed them."""
    if raw_store is None or frame.height == 0:
        return
    settle(con, raw_store, logged)
    void_log.append_entries(logged.path(raw_store), logged.lines(frame))


def settle(con: duckdb.DuckDBPyConnection, raw_store: Path | None, logged: LoggedTable) -> None:
    """Void the log's lines above the highest number the store holds (or its base, holding none): a writer of this
    store that never committed (the store writes the log alone: tasks/ingest/log_writer.py); and mark those up to it
    committed, so a store rebuilt reads back those alone (void_log.settle). After every commit too."""
    if raw_store is None:
        return
    committed = int(db.scalar(con, f"SELECT greatest(coalesce(max({logged.number}), 0), coalesce((SELECT "
                                   f"max({logged.base_column}) FROM {logged.base_table}), 0)) FROM {logged.table}"))
    void_log.settle(logged.path(raw_store), logged.parse, logged.id_key, committed)


def ndjson(frame: pl.DataFrame) -> bytes:
    """A frame's rows as JSON lines, the UTF-8 bytes Polars writes (its text would be decoded and encoded again: a
    province's 500,000 events, ~350 MB, copied twice more)."""
    buffer = io.BytesIO()
    frame.write_ndjson(buffer)
    return buffer.getvalue()
