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

from core import void_log
from tasks.cases import logged_table

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


def lines(frame: pl.DataFrame) -> bytes:
    """Refusals as log lines (one JSON object each, every column; dates as ISO text), UTF-8."""
    return logged_table.ndjson(frame.select(COLUMNS))


def log_refusals(con: duckdb.DuckDBPyConnection, raw_store: Path | None, frame: pl.DataFrame) -> None:
    """Append an import's refusals (check_seq given) to the log, flushed to disk, before the store commits them;
    first settle the log. The caller marks them committed once it has (settle)."""
    logged_table.append(con, raw_store, REFUSALS, frame)


def read_back(con: duckdb.DuckDBPyConnection, raw_store: Path | None) -> int:
    """Before an import checks rows, and at every run: settle the log with the store. The first time a store meets
    it, read its refusals back (a store holding none: new, or rebuilt) or, for refusals recorded before the log,
    write them into it (earlier lines voided); remembered in refusal_log_base (logged_table.read_back). Returns how
    many were read back."""
    return logged_table.read_back(con, raw_store, REFUSALS)


def settle(con: duckdb.DuckDBPyConnection, raw_store: Path | None) -> None:
    """Void the log's lines above the highest check the store holds (or its base): an import of this store that
    never committed; mark those up to it committed (void_log.settle). After every commit of refusals too."""
    logged_table.settle(con, raw_store, REFUSALS)


def _void_earlier(path: Path) -> None:
    """Void every line of a log holding any, those of unnumbered checks (0) too, before the store's are written."""
    if void_log.last_line(path, _parse) is not None:
        void_log.void_after(path, -1)


REFUSALS = logged_table.LoggedTable(
    log_name=LOG_NAME, table="case_import_refusals", columns=COLUMNS, number="check_seq",
    base_table="refusal_log_base", base_column="last_check_seq", parse=_parse, id_key=LOG_ID, read=read_log,
    lines=lines, void_earlier=_void_earlier, order="rowid")
