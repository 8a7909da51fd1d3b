"""The logs' lines appended as the UTF-8 bytes Polars writes (core/void_log.append, tasks/cases/logged_table.ndjson):
the same lines as its text gave, read back whole, after a line a crash cut short too."""
from __future__ import annotations

import json
from datetime import date, datetime

import polars as pl

from core import void_log
from tasks.cases import event_log


def parse(entry: dict) -> dict:
    """A logged line of this test's log: its id a number."""
    return {**entry, "id": int(entry["id"])}


def test_a_frames_lines_as_bytes_are_its_text_encoded():
    events = event_log.planned([{"case_id": "K1", "event": "opened", "event_on": date(2020, 4, 5), "run_id": 3,
                                 "detail": "预计人均3000元，低于监测线；\u2028𠀀", "evidence_value": 1.5}])
    frame = events.with_columns(pl.lit(1, dtype=pl.Int64).alias("seq"),
                                pl.lit(datetime(2020, 4, 5, 1, 2, 3, 456789)).alias("recorded_at"))
    written = event_log.lines(frame.select(event_log.COLUMNS))
    text = frame.select(event_log.COLUMNS).with_columns(
        pl.col("recorded_at").dt.strftime(event_log.TIME_FORMAT)).write_ndjson()
    assert isinstance(written, bytes) and written == text.encode("utf-8")
    assert json.loads(written)["detail"] == "预计人均3000元，低于监测线；\u2028𠀀"


def test_bytes_appended_to_a_new_log_and_after_a_cut_line_are_read_back(tmp_path):
    log = tmp_path / "raw" / "log.jsonl"
    void_log.append_entries(log, b'{"id": 1, "name": "\xe6\x9d\x91"}\n')
    assert log.read_text(encoding="utf-8").splitlines()[0] == json.dumps({void_log.COMMITTED: 0})
    void_log.settle(log, parse, "id", 1)
    with open(log, "ab") as handle:
        handle.write(b'{"id": 2, "na')  # a crash in the middle of a line
    void_log.settle(log, parse, "id", 1)  # the next writer voids what was never committed
    void_log.append_entries(log, '{"id": 2, "name": "乡"}\n'.encode())
    void_log.settle(log, parse, "id", 2)
    assert [(e["id"], e["name"]) for e in void_log.read_standing(log, parse, "id")] == [(1, "村"), (2, "乡")]
