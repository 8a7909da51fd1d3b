"""Row checks done where the files are read: each chunk of files is cleaned, checked by the Polars interpreter of
the row suite and quarantined in the process that parsed it; GX's counts of the same suite are taken in the
reading process, on the chunks as they arrive, and compared with the interpreter's once every chunk is in.

Every row check looks at one row or at rows of one file, and a chunk holds whole files, so checking chunk by
chunk finds exactly what checking the whole batch finds; only one chunk's raw and cleaned frames exist at once."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from tasks.validate.clean import clean_batch
from tasks.validate.expectation_suite import load_suite
from tasks.validate.gx_run import count_failures_with_gx
from tasks.ingest.limits import DEFAULT_LIMITS, ReadLimits
from tasks.ingest.read import FileOutcome, FileSlot, read_chunk
from tasks.ingest.load import ROW_COLUMNS, mark_quarantine
from tasks.validate.checks import PROBLEM_COLUMNS, RESULT_COLUMNS, ROW_SUITE, compare_with_gx, gx_columns, \
    interpret_suite, prepare_checks

GX_PIECES = 2  # GX validates a batch in about this many pieces, as its chunks arrive: each call has a fixed cost
# (the city increment's 147,000 rows: 1.2-1.5 CPU-s in 6 pieces, 0.5-0.65 in 2, 0.6-0.9 in 1), and the last piece is
# validated after the last chunk is read
GX_MAX_ROWS = 400_000  # and never more rows at once (GX's pandas frames cost memory faster than linearly)


@dataclass
class CheckedChunk:
    """One chunk's rows as loaded (typed, quarantine marked), its row problems, the interpreter's counts,
    and the columns GX checks besides the rows' own (gx_extra, row for row)."""

    rows: pl.DataFrame
    problems: pl.DataFrame
    results: pl.DataFrame
    gx_extra: pl.DataFrame


@dataclass
class CheckedRows:
    """A batch's rows as loaded, its row problems and per-expectation counts (GX's agreeing)."""

    rows: pl.DataFrame | None
    problems: pl.DataFrame
    results: pl.DataFrame


def read_and_check_chunk(slots: list[FileSlot], village_codes: set[str], raw_store: Path,
                         limits: ReadLimits = DEFAULT_LIMITS) -> tuple[list[FileOutcome], CheckedChunk]:
    """read.read_chunk, then check_chunk on its rows (in a worker process when there are many files)."""
    outcomes, raw = read_chunk(slots, village_codes, raw_store, limits)
    return outcomes, check_chunk(raw)


def check_chunk(raw: pl.DataFrame) -> CheckedChunk:
    """Clean a chunk's raw rows, find every failing row with the interpreter, mark the quarantined rows."""
    suite = load_suite(ROW_SUITE)
    cleaned = clean_batch(raw)
    checks = prepare_checks(cleaned)
    outcome = interpret_suite(checks, suite)
    rows = mark_quarantine(cleaned.select([c for c in ROW_COLUMNS if c != "is_quarantined"]), outcome.problems)
    # only the columns GX checks that the rows lack travel apart, joined back row for row
    if not checks.select("file_id", "source_row").equals(rows.select("file_id", "source_row")):
        raise RuntimeError("checked rows out of the order of the loaded rows")
    return CheckedChunk(rows, outcome.problems.select(PROBLEM_COLUMNS.keys()), outcome.results,
                        checks.select([c for c in gx_columns(suite) if c not in rows.columns]))


class RowChecker:
    """Collects the checked chunks of a batch in order and has GX count the failures of the same suite on
    them, a few chunks at a time; finish() compares both counts and gives the batch's checked rows."""

    def __init__(self, with_gx: bool = True) -> None:
        """No chunk yet."""
        self.suite = load_suite(ROW_SUITE)
        self.with_gx = with_gx
        self.rows: list[pl.DataFrame] = []
        self.problems: list[pl.DataFrame] = []
        self.results: pl.DataFrame | None = None
        self.gx_waiting: list[pl.DataFrame] = []
        self.gx_counts: list[dict] | None = None
        self.gx_every = 1  # chunks per GX piece

    def plan(self, chunks: int) -> None:
        """Learn how many chunks the batch has, to validate it with GX in about GX_PIECES pieces."""
        self.gx_every = max(1, -(-chunks // GX_PIECES))

    def add(self, chunk: CheckedChunk) -> None:
        """Keep a chunk's rows, problems and counts; GX counts when enough rows wait for it."""
        if chunk.rows.height:
            self.rows.append(chunk.rows)
        if chunk.problems.height:
            self.problems.append(chunk.problems)
        self.results = chunk.results if self.results is None else _sum_counts(self.results, chunk.results)
        if self.with_gx and chunk.rows.height:
            self.gx_waiting.append(pl.concat([chunk.rows, chunk.gx_extra], how="horizontal")
                                   .select(gx_columns(self.suite)))
            if len(self.gx_waiting) >= self.gx_every or sum(f.height for f in self.gx_waiting) >= GX_MAX_ROWS:
                self._count_waiting()

    def finish(self) -> CheckedRows:
        """The batch's rows, row problems and counts, once GX has counted the last chunks and agreed."""
        self._count_waiting()
        if self.gx_counts is not None:
            compare_with_gx(self.suite, self.results["rows_failed"].to_list(), self.gx_counts)
        problems = (pl.concat(self.problems).sort("file_id", "source_row", "code") if self.problems
                    else pl.DataFrame(schema=PROBLEM_COLUMNS))
        if not self.rows:  # as a batch without rows: nothing checked, no counts
            return CheckedRows(None, problems, pl.DataFrame(schema=RESULT_COLUMNS))
        return CheckedRows(pl.concat(self.rows, rechunk=False), problems, self.results)

    def _count_waiting(self) -> None:
        """GX's counts on the chunks waiting, added to the totals."""
        if not self.gx_waiting:
            return
        counts = count_failures_with_gx(pl.concat(self.gx_waiting), self.suite)
        self.gx_waiting = []
        self.gx_counts = counts if self.gx_counts is None else [
            {k: total[k] + part[k] for k in total} for total, part in zip(self.gx_counts, counts)]


def _sum_counts(total: pl.DataFrame, part: pl.DataFrame) -> pl.DataFrame:
    """Per-expectation counts of two parts added (same suite, same order)."""
    return total.with_columns(rows_checked=total["rows_checked"] + part["rows_checked"],
                              rows_failed=total["rows_failed"] + part["rows_failed"])
