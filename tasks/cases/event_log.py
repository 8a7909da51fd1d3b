"""The case ledger's log: every row appended to case_events (by a run, a rerun or `cases import`) is appended to
<raw store>/case_events.jsonl before the store commits it, so that a store rebuilt (database deleted, raw store kept)
reads the ledger back before it is judged: the same cases, ids, decisions and closings (cases.md: "a rebuild replays
it"). A line of a run or import killed or failed before its commit is not read back: only lines a commit marker
(appended after each commit) covers are, and the next run or import voids the others, as the delivery log's
(core/void_log.py), and the log is written only by the store that writes the raw store's delivery log
(tasks/ingest/log_writer.py): a copy of the store, or another one, is refused before it writes a line. A store in
memory has no raw store and keeps no log."""
from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from core import db, void_log
from core.settings import Settings
from tasks.cases import logged_table
from tasks.ingest import log_writer

LOG_NAME = "case_events.jsonl"
ID = "seq"
COLUMNS = ("seq", "case_id", "event", "recorded_at", "event_on", "as_of_period", "run_id", "file_sha256",
           "file_name", "file_row", "actor", "status", "conclusion", "measures", "decided_on", "note",
           "closed_on", "close_reason", "evidence_value", "kind", "subject_key", "county_code", "township_code",
           "village_code", "household_id", "subject_period", "opened_period", "opened_on", "previous_case_id",
           "detail", "file_sheet")  # case_events' columns, as logged
SCHEMA = {"seq": pl.Int64, "run_id": pl.Int32, "file_row": pl.Int32, "evidence_value": pl.Float64,
          "recorded_at": pl.Datetime("us"), "event_on": pl.Date, "decided_on": pl.Date, "closed_on": pl.Date,
          "opened_on": pl.Date}  # the types of those not text
PLANNED_SCHEMA = {c: SCHEMA.get(c, pl.Utf8) for c in COLUMNS if c not in ("seq", "recorded_at")}
# an event as a run or an import plans it (ledger.append_events numbers and dates it)
TIMES = ("recorded_at",)  # written to the microsecond, read back as they were
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S%.6f"


def log_path(raw_store: Path) -> Path:
    """Where the ledger's log lies: beside the delivery log."""
    return Path(raw_store) / LOG_NAME


def raw_store_of(con: duckdb.DuckDBPyConnection, settings: Settings) -> Path | None:
    """The raw store the ledger of this store is logged in: the settings' for a store in a file, None in memory."""
    path = db.scalar(con, "SELECT path FROM duckdb_databases() WHERE database_name = current_database()")
    return Path(settings.raw_store) if path else None


def _parse(entry: dict) -> dict:
    """A logged event, its seq a number (the other values typed with the frame: read_log)."""
    return {**entry, ID: int(entry[ID])}


def read_log(raw_store: Path) -> pl.DataFrame:
    """Every event the log holds (those a later marker voided and a line cut short aside), as case_events' rows in
    the order of their seq."""
    rows = void_log.read_standing(log_path(raw_store), _parse, ID)
    as_text = {c: pl.Utf8 if c in TIMES or SCHEMA.get(c) == pl.Date else SCHEMA.get(c, pl.Utf8) for c in COLUMNS}
    frame = pl.DataFrame([{c: row.get(c) for c in COLUMNS} for row in rows], schema=as_text, strict=False)
    return frame.with_columns(
        *(pl.col(c).str.to_datetime(TIME_FORMAT, time_unit="us") for c in TIMES),
        *(pl.col(c).str.to_date("%Y-%m-%d") for c in COLUMNS if SCHEMA.get(c) == pl.Date),
    ).unique(ID, keep="last", maintain_order=True).sort(ID)  # a seq logged twice: its later line stands


def planned(events: pl.DataFrame | list[dict]) -> pl.DataFrame:
    """Events (dicts, or a frame of some of their columns) as a frame of every planned column, typed as logged; keys
    an event lacks are NULL."""
    if isinstance(events, list):
        return pl.DataFrame(events, schema=PLANNED_SCHEMA)
    return events.select(pl.col(c) if c in events.columns else pl.lit(None).alias(c)
                         for c in PLANNED_SCHEMA).cast(PLANNED_SCHEMA)


def lines(frame: pl.DataFrame) -> bytes:
    """Events as log lines (one JSON object each, every column; dates and times as ISO text), UTF-8."""
    return logged_table.ndjson(frame.with_columns(pl.col(c).dt.strftime(TIME_FORMAT) for c in TIMES))


def claim(con: duckdb.DuckDBPyConnection, settings: Settings) -> Path | None:
    """For a command writing the ledger outside a run (`cases import`): make this store the writer of the raw store's
    logs as a run does (log_writer.take_log: RawStoreTaken, changing nothing, for a copy or another store), and refuse
    a raw store other than its runs' (its record names no store while the store holds deliveries: the raw store the
    command was given is not theirs, and a rebuild from theirs would miss what it logged). Returns the raw store."""
    raw_store = raw_store_of(con, settings)
    if raw_store is None:
        return None
    holds = db.scalar(con, "SELECT EXISTS (SELECT 1 FROM deliveries)")
    if holds and log_writer.read_record(raw_store.resolve()) is None:
        raise log_writer.RawStoreTaken(
            f"the raw store {raw_store} is not the one the runs of the store {settings.db} keep (it names no store "
            f"writing its logs): give the command the runs' raw store ({log_writer.OWN_RAW_STORE})")
    log_writer.take_log(con, settings.db, raw_store)
    return raw_store


def read_back(con: duckdb.DuckDBPyConnection, raw_store: Path | None) -> int:
    """Before the ledger is judged or written (every run, every import): settle the log with what the store holds
    (settle: a run's or import's lines never committed voided). The first time a store meets the log, read its
    events back (a store without events: new, or rebuilt: the lines a commit marker covers, core/void_log.py) or,
    for a ledger kept before its log, write the store's events into it (the store is the truth: earlier lines
    voided); remembered in case_log_base (committed before any append, so what a killed first update logged is
    voided: logged_table.read_back). Returns how many events were read back."""
    return logged_table.read_back(con, raw_store, LEDGER)


def log_events(con: duckdb.DuckDBPyConnection, raw_store: Path | None, frame: pl.DataFrame) -> None:
    """Append events (numbered after the store's) to the log, flushed to disk, before the store commits them; first
    settle the log (a run or import of its own killed or failed before its commit). The caller marks them committed
    once it has (settle)."""
    logged_table.append(con, raw_store, LEDGER, frame)


def settle(con: duckdb.DuckDBPyConnection, raw_store: Path | None) -> None:
    """Void the log's lines above the highest seq the store holds (or its base, holding none): a run's or import's
    of this store that never committed (the store writes the log alone: log_writer); and mark those up to it
    committed, so a store rebuilt reads back those alone (void_log.settle). After every commit of events too."""
    logged_table.settle(con, raw_store, LEDGER)


def _void_earlier(path: Path) -> None:
    """Void every line of a log holding any (its last line's id not 0) before a ledger kept without it is written."""
    if void_log.last_logged_id(path, _parse, ID):
        void_log.void_after(path, 0)


LEDGER = logged_table.LoggedTable(
    log_name=LOG_NAME, table="case_events", columns=COLUMNS, number=ID, base_table="case_log_base",
    base_column="last_seq", parse=_parse, id_key=ID, read=read_log, lines=lines, void_earlier=_void_earlier,
    order=ID)
