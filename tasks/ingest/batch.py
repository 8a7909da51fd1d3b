"""Ingest: turn a batch of a run's new files into file records, raw (or checked) rows and file problems."""
from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import polars as pl

from core import progress
from core.clock import NO_LATER_MONTH
from tasks.ingest.discover import Delivery
from tasks.ingest.limits import DEFAULT_LIMITS, ReadLimits
from tasks.ingest.read import FileOutcome, FileSlot, read_chunk
from tasks.ingest.row_check import CheckedRows, RowChecker, read_and_check_chunk
from tasks.ingest.worker_process import single_threaded_polars, start_worker

PROBLEM_SCHEMA = {"file_id": pl.Int32, "source_row": pl.Int32, "household_id": pl.Utf8,
                  "code": pl.Utf8, "level": pl.Utf8, "detail": pl.Utf8}


@dataclass
class Batch:
    """What one run read: a record per new file, the raw rows of the readable ones, and file problems.
    A flow hands it to tasks wrapped in prefect's `quote`, so Prefect does not walk its rows."""

    files: list[dict] = field(default_factory=list)
    raw_frames: list[pl.DataFrame] = field(default_factory=list)  # the readable files' rows, a frame per chunk
    checked: CheckedRows | None = None  # instead, once they are cleaned and checked
    problems: list[dict] = field(default_factory=list)
    reread_file_ids: list[int] = field(default_factory=list)
    unavailable: dict[str, str] = field(default_factory=dict)  # inbox path -> why it could not be read now

    def loaded_file_ids(self) -> list[int]:
        """The ids of the files of the batch that loaded (not rejected)."""
        return [f["file_id"] for f in self.files if f["status"] == "loaded"]

    def files_frame(self) -> pl.DataFrame:
        """The file records as a frame shaped like source_files."""
        return pl.DataFrame(self.files, schema=FILE_SCHEMA)

    def rows_frame(self) -> pl.DataFrame | None:
        """All raw rows of the batch in one frame (source_row, the text columns, extra_columns, then file_id,
        village_code, period), or None."""
        frames = [f for f in self.raw_frames if f.height]
        return pl.concat(frames, rechunk=True) if frames else None

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


def plan_reads(deliveries: list[Delivery], known: dict[tuple[str, str], tuple[int, int, datetime]],
               reread: Callable[[str], bool], run_id: int, first_file_id: int, now: datetime,
               latest_period: str = NO_LATER_MONTH) -> list[FileSlot]:
    """One slot per distinct file (hash × name) to read: every unseen one, and the known ones `reread` selects;
    each knows the other names its bytes came under (known or in this run), and the run's month."""
    chosen: dict[tuple[str, str], Delivery] = {}
    for delivery in deliveries:
        key = (delivery.sha256, delivery.file_name)
        if key not in chosen and (key not in known or reread(delivery.file_name)):
            chosen[key] = delivery
    names_of = _names_of({sha256 for sha256, _ in chosen}, known, deliveries)
    slots = []
    next_id = first_file_id
    for key, delivery in chosen.items():
        others = tuple(sorted(names_of[delivery.sha256] - {delivery.file_name}))
        if key not in known:
            slots.append(FileSlot(delivery, next_id, run_id, now, same_bytes_as=others, latest_period=latest_period))
            next_id += 1
        else:
            file_id, first_run, first_at = known[key]
            slots.append(FileSlot(delivery, file_id, first_run, first_at, is_reread=True, same_bytes_as=others,
                                  latest_period=latest_period))
    return slots


def _names_of(wanted: set[str], known: Iterable[tuple[str, str]], deliveries: list[Delivery]) -> dict[str, set[str]]:
    """Every name each wanted hash came under, known or in this run (only the files read: a province's inbox holds
    462,000; nothing to look up when none is read)."""
    names_of: dict[str, set[str]] = {sha256: set() for sha256 in wanted}
    if not names_of:
        return names_of
    for sha256, file_name in known:
        if sha256 in names_of:
            names_of[sha256].add(file_name)
    for delivery in deliveries:
        if delivery.sha256 in names_of:
            names_of[delivery.sha256].add(delivery.file_name)
    return names_of


PARALLEL_MIN_FILES = 1000  # below this, starting worker processes costs more than it saves
CHUNK_FILES = 250  # files framed together: a frame per file is slow, a list per batch holds gigabytes of str


class ReadingWorkers:
    """The worker processes that read many files (one per core), started when a batch first needs them, or ahead
    of it (start_ahead), and kept for the run's next batches (starting them costs seconds); stopped when the block
    ends."""

    def __init__(self) -> None:
        """No worker yet."""
        self._stack = ExitStack()
        self.pool: ProcessPoolExecutor | None = None
        self.count = min(os.cpu_count() or 1, 8)

    def __enter__(self) -> "ReadingWorkers":
        return self

    def __exit__(self, *exc) -> None:
        self._stack.close()

    def start_ahead(self, files: int) -> None:
        """Start the workers now when a batch of this many files would start them: a worker's start (a fresh
        interpreter importing Polars and the readers, ~0.7 s) then overlaps the rest of the run's discovery
        instead of delaying its first chunk. Once started they read every batch of the run, however small."""
        pool = self.pool_for(files)
        if pool is not None:
            for _ in range(self.count):  # the pool spawns a process for each task no idle worker is free for
                pool.submit(os.getpid)

    def pool_for(self, files: int) -> ProcessPoolExecutor | None:
        """The pool to read this many files with, or None to read them in this process."""
        if self.pool is not None and files:
            return self.pool
        if files < PARALLEL_MIN_FILES or self.count < 2:
            return None
        if self.pool is None:  # spawn, not fork: the parent runs Polars' and Prefect's threads
            self._stack.enter_context(single_threaded_polars())
            self.pool = self._stack.enter_context(ProcessPoolExecutor(
                self.count, mp_context=multiprocessing.get_context("spawn"), initializer=start_worker))
        return self.pool


def read_files(slots: list[FileSlot], village_codes: set[str], raw_store: Path,
               checker: RowChecker | None = None, limits: ReadLimits = DEFAULT_LIMITS,
               workers: ReadingWorkers | None = None) -> Batch:
    """Keep each file's bytes, check its name, parse it; give each unusable file its FILE_* code.
    Many files are read by the worker processes given (else started for this call), in order. With a checker,
    each chunk's rows are cleaned and checked where they are read (see row_check) and the batch keeps them
    checked, not raw."""
    if workers is None:
        with ReadingWorkers() as own:
            return read_files(slots, village_codes, raw_store, checker, limits, own)
    batch = Batch()
    outcomes: list[FileOutcome] = []
    if checker is not None:
        checker.plan(-(-len(slots) // CHUNK_FILES))
    progress.expect(len(slots))
    for chunk_outcomes, rows in _read_all(slots, village_codes, raw_store, checker is not None, limits, workers):
        outcomes += chunk_outcomes
        if checker is None:
            batch.raw_frames.append(rows)
        else:
            checker.add(rows)
        progress.advance(len(chunk_outcomes), rows=(rows if checker is None else rows.rows).height)
    if checker is not None:
        batch.checked = checker.finish()
    for slot, outcome in zip(slots, outcomes):
        if outcome.unavailable:
            batch.unavailable[slot.delivery.rel_path] = outcome.unavailable
            continue
        if slot.is_reread:
            batch.reread_file_ids.append(slot.file_id)
        batch.files.append(outcome.record)
        if outcome.problem:
            _file_problem(batch, slot.file_id, *outcome.problem)
        for code, detail in outcome.warnings or ():
            _file_problem(batch, slot.file_id, code, detail, "warning")
    return batch


def _read_all(slots: list[FileSlot], village_codes: set[str], raw_store: Path, check: bool,
              limits: ReadLimits, workers: ReadingWorkers) -> Iterator[tuple]:
    """read_chunk (or row_check.read_and_check_chunk) over chunks of the slots, in order: in this process, or in
    the worker processes when there are many, a few chunks ahead of the one being collected."""
    read = read_and_check_chunk if check else read_chunk
    chunks = [slots[i:i + CHUNK_FILES] for i in range(0, len(slots), CHUNK_FILES)]
    pool = workers.pool_for(len(slots))
    if pool is None:
        yield from (read(chunk, village_codes, raw_store, limits) for chunk in chunks)
        return
    ahead: deque = deque()  # bounded: results not yet collected wait in this process's memory
    for chunk in chunks:
        ahead.append(pool.submit(read, chunk, village_codes, raw_store, limits))
        if len(ahead) > 2 * workers.count:
            yield ahead.popleft().result()
    while ahead:
        yield ahead.popleft().result()


def _file_problem(batch: Batch, file_id: int, code: str, detail: str, level: str = "error") -> None:
    """Record a file-level problem (an error unless said otherwise)."""
    batch.problems.append({"file_id": file_id, "source_row": None, "household_id": None,
                           "code": code, "level": level, "detail": detail})
