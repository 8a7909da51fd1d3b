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
from tasks.ingest import log_writer

LOG_NAME = "case_events.jsonl"
ID = "seq"
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


def read_log(raw_store: Path, columns: tuple[str, ...], schema: dict) -> pl.DataFrame:
    """Every event the log holds (those a later marker voided and a line cut short aside), as case_events' rows."""
    rows = void_log.read_standing(log_path(raw_store), _parse, ID)
    as_text = {c: pl.Utf8 if c in TIMES or schema.get(c) == pl.Date else schema.get(c, pl.Utf8) for c in columns}
    frame = pl.DataFrame([{c: row.get(c) for c in columns} for row in rows], schema=as_text, strict=False)
    return frame.with_columns(
        *(pl.col(c).str.to_datetime(TIME_FORMAT, time_unit="us") for c in TIMES),
        *(pl.col(c).str.to_date("%Y-%m-%d") for c in columns if schema.get(c) == pl.Date),
    ).unique(ID, keep="last", maintain_order=True)  # a seq logged twice: its later line stands


def lines(frame: pl.DataFrame) -> str:
    """Events as log lines (one JSON object each, every column; dates and times as ISO text)."""
    return frame.with_columns(pl.col(c).dt.strftime(TIME_FORMAT) for c in TIMES).write_ndjson()


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


def read_back(con: duckdb.DuckDBPyConnection, raw_store: Path | None, columns: tuple[str, ...], schema: dict) -> int:
    """Before the ledger is judged or written (every run, every import): settle the log with what the store holds
    (settle: a run's or import's lines never committed voided). The first time a store meets the log, read its
    events back (a store without events: new, or rebuilt: the lines a commit marker covers, core/void_log.py) or,
    for a ledger kept before its log, write the store's events into it (the store is the truth: earlier lines
    voided); remembered in case_log_base (committed before any append, so what a killed first update logged is
    voided). Returns how many events were read back."""
    if raw_store is None:
        return 0
    if db.scalar(con, "SELECT max(last_seq) FROM case_log_base") is not None:
        settle(con, raw_store)
        return 0
    path = log_path(raw_store)
    stored = int(db.scalar(con, "SELECT coalesce(max(seq), 0) FROM case_events"))
    logged = read_log(raw_store, columns, schema) if stored == 0 else None
    with db.transaction(con):
        if logged is not None and logged.height:
            con.register("logged_case_events", logged)
            try:
                con.execute(f"INSERT INTO case_events ({', '.join(columns)}) "
                            f"SELECT {', '.join(columns)} FROM logged_case_events ORDER BY seq").fetchall()
            finally:
                con.unregister("logged_case_events")
        elif stored:
            if void_log.last_logged_id(path, _parse, ID):
                void_log.void_after(path, 0)
            void_log.append(path, lines(con.sql(f"SELECT {', '.join(columns)} FROM case_events ORDER BY seq").pl()))
        base = int(db.scalar(con, "SELECT coalesce(max(seq), 0) FROM case_events"))
        con.execute("INSERT INTO case_log_base VALUES (?)", [base]).fetchall()
    settle(con, raw_store)
    return 0 if logged is None else logged.height


def log_events(con: duckdb.DuckDBPyConnection, raw_store: Path | None, frame: pl.DataFrame) -> None:
    """Append events (numbered after the store's) to the log, flushed to disk, before the store commits them; first
    settle the log (a run or import of its own killed or failed before its commit). The caller marks them committed
    once it has (settle)."""
    if raw_store is None or frame.height == 0:
        return
    settle(con, raw_store)
    void_log.append_entries(log_path(raw_store), lines(frame))


def settle(con: duckdb.DuckDBPyConnection, raw_store: Path | None) -> None:
    """Void the log's lines above the highest seq the store holds (or its base, holding none): a run's or import's
    of this store that never committed (the store writes the log alone: log_writer); and mark those up to it
    committed, so a store rebuilt reads back those alone (void_log.settle). After every commit of events too."""
    if raw_store is None:
        return
    committed = int(db.scalar(con, "SELECT greatest(coalesce(max(seq), 0), coalesce((SELECT max(last_seq) "
                                   "FROM case_log_base), 0)) FROM case_events"))
    void_log.settle(log_path(raw_store), _parse, ID, committed)
