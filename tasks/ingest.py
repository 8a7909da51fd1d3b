"""Ingest: turn the new deliveries of a run into one batch of file records, raw rows and file problems."""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import polars as pl

from tasks.discover import Delivery, keep_raw, parse_return_name
from tasks.parse import RAW_SCHEMA, parse_return

PROBLEM_SCHEMA = {"file_id": pl.Int32, "source_row": pl.Int32, "household_id": pl.Utf8,
                  "code": pl.Utf8, "level": pl.Utf8, "detail": pl.Utf8}


@dataclass
class Batch:
    """What one run read: a record per new file, the raw rows of the readable ones, and file problems."""

    files: list[dict] = field(default_factory=list)
    raw_columns: dict[str, list] = field(default_factory=dict)  # the readable files' rows, column by column
    problems: list[dict] = field(default_factory=list)
    reread_file_ids: list[int] = field(default_factory=list)
    unavailable: dict[str, str] = field(default_factory=dict)  # inbox path -> why it could not be read now

    def files_frame(self) -> pl.DataFrame:
        """The file records as a frame shaped like source_files."""
        return pl.DataFrame(self.files, schema=FILE_SCHEMA)

    def rows_frame(self) -> pl.DataFrame | None:
        """All raw rows of the batch in one frame (source_row, the text columns, extra_columns, then file_id,
        village_code, period), or None."""
        if not self.raw_columns:
            return None
        return pl.DataFrame(self.raw_columns, schema=RAW_SCHEMA | {"file_id": pl.Int32, "village_code": pl.Utf8,
                                                                    "period": pl.Utf8})

    def add_rows(self, columns: dict[str, list], file_id: int, village_code: str, period: str) -> None:
        """Append one parsed file's text columns, each row tagged with its file, village and period."""
        count = len(columns["source_row"])
        tags = {"file_id": [file_id] * count, "village_code": [village_code] * count, "period": [period] * count}
        for name, values in (columns | tags).items():
            self.raw_columns.setdefault(name, []).extend(values)

    def problems_frame(self) -> pl.DataFrame:
        """The file-level problems as a frame shaped like problems (without run_id)."""
        return pl.DataFrame(self.problems, schema=PROBLEM_SCHEMA)


FILE_SCHEMA = {
    "file_id": pl.Int32, "sha256": pl.Utf8, "file_name": pl.Utf8, "first_path": pl.Utf8,
    "size_bytes": pl.Int64, "village_code": pl.Utf8, "period": pl.Utf8, "correction_rank": pl.Int32,
    "ingest_run_id": pl.Int32, "ingested_at": pl.Datetime("us"), "status": pl.Utf8,
    "file_format": pl.Utf8, "encoding": pl.Utf8, "header_row": pl.Int32, "rows_read": pl.Int32,
    "rows_skipped": pl.Int32,
}


@dataclass(frozen=True)
class FileSlot:
    """A file to read in this run: a new one (new id, this run) or a known one re-read (its id and first run)."""

    delivery: Delivery
    file_id: int
    ingest_run_id: int
    ingested_at: datetime
    is_reread: bool = False


def plan_reads(deliveries: list[Delivery], known: dict[tuple[str, str], tuple[int, int, datetime]],
               reread: Callable[[str], bool], run_id: int, first_file_id: int, now: datetime) -> list[FileSlot]:
    """One slot per distinct file (hash × name) to read: every unseen one, and the known ones `reread` selects."""
    slots: dict[tuple[str, str], FileSlot] = {}
    next_id = first_file_id
    for delivery in deliveries:
        key = (delivery.sha256, delivery.file_name)
        if key in slots:
            continue
        if key not in known:
            slots[key] = FileSlot(delivery, next_id, run_id, now)
            next_id += 1
        elif reread(delivery.file_name):
            file_id, first_run, first_at = known[key]
            slots[key] = FileSlot(delivery, file_id, first_run, first_at, is_reread=True)
    return list(slots.values())


def read_files(slots: list[FileSlot], village_codes: set[str], raw_store: Path) -> Batch:
    """Keep each file's bytes, check its name, parse it; give each unusable file its FILE_* code."""
    batch = Batch()
    for slot in slots:
        delivery, file_id = slot.delivery, slot.file_id
        data = read_settled_bytes(delivery, batch)
        if data is None:
            continue
        if slot.is_reread:
            batch.reread_file_ids.append(file_id)
        keep_raw(data, delivery.sha256, raw_store)
        name = parse_return_name(delivery.file_name)
        record = {"file_id": file_id, "sha256": delivery.sha256, "file_name": delivery.file_name,
                  "first_path": delivery.rel_path, "size_bytes": delivery.size_bytes,
                  "village_code": name.village_code, "period": name.period,
                  "correction_rank": name.correction_rank, "ingest_run_id": slot.ingest_run_id,
                  "ingested_at": slot.ingested_at, "status": "rejected", "file_format": name.extension,
                  "encoding": None, "header_row": None, "rows_read": 0, "rows_skipped": 0}
        batch.files.append(record)
        if name.invalid_reason:
            _file_problem(batch, file_id, "FILE_NAME_INVALID", name.invalid_reason)
            continue
        if name.village_code not in village_codes:
            _file_problem(batch, file_id, "FILE_UNKNOWN_VILLAGE", f"村代码{name.village_code}不在行政区划名单中")
            continue
        parsed = parse_return(data, name.extension)
        record.update(encoding=parsed.encoding, header_row=parsed.header_row,
                      rows_read=parsed.rows_read, rows_skipped=parsed.rows_skipped)
        if parsed.problem_code:
            _file_problem(batch, file_id, parsed.problem_code, parsed.problem_detail)
            continue
        record["status"] = "loaded"
        batch.add_rows(parsed.columns, file_id, name.village_code, name.period)
    return batch


def read_settled_bytes(delivery: Delivery, batch: Batch) -> bytes | None:
    """A file's bytes, or None (noted in batch.unavailable) when it is locked, gone, or changed since hashed."""
    try:
        data = delivery.path.read_bytes()
    except OSError as err:
        batch.unavailable[delivery.rel_path] = f"{type(err).__name__}: {err.strerror or err}"
        return None
    if hashlib.sha256(data).hexdigest() != delivery.sha256:
        batch.unavailable[delivery.rel_path] = "changed while being read (still arriving?)"
        return None
    return data


def _file_problem(batch: Batch, file_id: int, code: str, detail: str) -> None:
    """Record a file-level error."""
    batch.problems.append({"file_id": file_id, "source_row": None, "household_id": None,
                           "code": code, "level": "error", "detail": detail})
