"""The log of the refused import rows: every row `cases import` appends to case_import_refusals is appended to
<raw store>/case_import_refusals.jsonl before the store commits it, so that a store rebuilt (database deleted, raw
store kept) reads them back with the ledger, and its county pages list the same refused rows (and a file imported
again is checked against the same recorded reasons). Lines are numbered by the import's check (check_seq: one for
all of an import's rows), voided and marked committed as the ledger's (core/void_log.py, tasks/cases/event_log.py),
written by the store that writes the raw store's other logs (tasks/ingest/log_writer.py)."""
from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from core import db, void_log

LOG_NAME = "case_import_refusals.jsonl"
LOG_ID = "log_id"  # a line's check_seq, 0 for a refusal recorded before checks were numbered
COLUMNS = ("file_sha256", "file_name", "file_sheet", "file_row", "case_id", "county_code", "code", "detail",
           "imported_on", "check_seq")
SCHEMA = {"file_sha256": pl.Utf8, "file_name": pl.Utf8, "file_sheet": pl.Utf8, "file_row": pl.Int32,
          "case_id": pl.Utf8, "county_code": pl.Utf8, "code": pl.Utf8, "detail": pl.Utf8, "imported_on": pl.Date,
          "check_seq": pl.Int64}


def log_path(raw_store: Path) -> Path:
    """Where the refusals' log lies: beside the ledger's."""
    return Path(raw_store) / LOG_NAME


def _parse(entry: dict) -> dict:
    """A logged refusal, numbered by its check."""
    return {**entry, LOG_ID: int(entry["check_seq"] or 0)}


def read_log(raw_store: Path) -> pl.DataFrame:
    """Every refusal the log holds that stands (void_log.read_standing), as case_import_refusals' rows."""
    rows = void_log.read_standing(log_path(raw_store), _parse, LOG_ID)
    frame = pl.DataFrame([{c: row.get(c) for c in COLUMNS} for row in rows],
                         schema=SCHEMA | {"imported_on": pl.Utf8}, strict=False)
    return frame.with_columns(pl.col("imported_on").str.to_date("%Y-%m-%d"))


def lines(frame: pl.DataFrame) -> str:
    """Refusals as log lines (one JSON object each, every column; dates as ISO text)."""
    return frame.select(COLUMNS).write_ndjson()


def log_refusals(con: duckdb.DuckDBPyConnection, raw_store: Path | None, frame: pl.DataFrame) -> None:
    """Append an import's refusals (check_seq given) to the log, flushed to disk, before the store commits them;
    first settle the log. The caller marks them committed once it has (settle)."""
    if raw_store is None or frame.height == 0:
        return
    settle(con, raw_store)
    void_log.append_entries(log_path(raw_store), lines(frame))


def read_back(con: duckdb.DuckDBPyConnection, raw_store: Path | None) -> int:
    """Before an import checks rows, and at every run: settle the log with the store. The first time a store meets
    it, read its refusals back (a store holding none: new, or rebuilt) or, for refusals recorded before the log,
    write them into it (earlier lines voided); remembered in refusal_log_base. Returns how many were read back."""
    if raw_store is None:
        return 0
    if db.scalar(con, "SELECT max(last_check_seq) FROM refusal_log_base") is not None:
        settle(con, raw_store)
        return 0
    path = log_path(raw_store)
    holds = bool(db.scalar(con, "SELECT EXISTS (SELECT 1 FROM case_import_refusals)"))
    logged = None if holds else read_log(raw_store)
    columns = ", ".join(COLUMNS)
    with db.transaction(con):
        if logged is not None and logged.height:
            con.register("logged_refusals", logged)
            try:
                con.execute(f"INSERT INTO case_import_refusals ({columns}) "
                            f"SELECT {columns} FROM logged_refusals").fetchall()
            finally:
                con.unregister("logged_refusals")
        elif holds:
            if void_log.last_line(path, _parse) is not None:
                void_log.void_after(path, -1)  # every earlier line, those of unnumbered checks (0) too
            void_log.append(path, lines(con.sql(f"SELECT {columns} FROM case_import_refusals ORDER BY rowid").pl()))
        base = int(db.scalar(con, "SELECT coalesce(max(check_seq), 0) FROM case_import_refusals"))
        con.execute("INSERT INTO refusal_log_base VALUES (?)", [base]).fetchall()
    settle(con, raw_store)
    return 0 if logged is None else logged.height


def settle(con: duckdb.DuckDBPyConnection, raw_store: Path | None) -> None:
    """Void the log's lines above the highest check the store holds (or its base): an import of this store that
    never committed; mark those up to it committed (void_log.settle). After every commit of refusals too."""
    if raw_store is None:
        return
    committed = int(db.scalar(con, "SELECT greatest(coalesce(max(check_seq), 0), coalesce((SELECT max(last_check_seq) "
                                   "FROM refusal_log_base), 0)) FROM case_import_refusals"))
    void_log.settle(log_path(raw_store), _parse, LOG_ID, committed)
