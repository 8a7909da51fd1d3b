"""The fast paths give the same answers as the plain ones: files read by worker processes, GX run on chunks,
and Prefect passing a batch between tasks without walking its rows."""
from __future__ import annotations

from datetime import datetime

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from tasks.ingest import batch as ingest
from tasks.validate import gx_run
from tasks.ingest import row_check
from tasks.validate.by_county import check_rows
from tasks.ingest.load import ROW_COLUMNS, mark_quarantine
from tasks.ingest.listing import list_inbox
from tasks.validate.expectation_suite import load_suite
from tasks.validate.gx_run import SuiteDisagreement
from tasks.validate.checks import ROW_SUITE, gx_columns, prepare_checks
from tasks.validate.clean import clean_batch
from tests.support.returns import HEADER, csv_bytes, household, make_city

VILLAGES = [f"43052100100{n}" for n in range(1, 4)]


def read_inbox(tmp_path, monkeypatch, parallel: bool, checker: row_check.RowChecker | None = None) -> ingest.Batch:
    """Read the test inbox, in worker processes or in this one, in chunks of 2 files (checked as read with a checker)."""
    monkeypatch.setattr(ingest, "PARALLEL_MIN_FILES", 1 if parallel else 10**9)
    monkeypatch.setattr(ingest, "CHUNK_FILES", 2)
    deliveries, _ = list_inbox(tmp_path / "inbox", {}, settle_seconds=0)
    slots = ingest.plan_reads(deliveries, {}, lambda _name: False, 1, 1, datetime(2020, 4, 1))
    return ingest.read_files(slots, set(VILLAGES), tmp_path / ("raw-par" if parallel else "raw"), checker)


def write_returns(tmp_path) -> None:
    """Seven returns (one with a bad name, one empty, one with a bad amount) of three villages."""
    inbox, _ = make_city(tmp_path)
    for month in ("202001", "202002"):
        for v in VILLAGES:
            wage = "1200" if month == "202001" else "2400"  # year to date: the same bytes twice would be warned of
            rows = [household(v, seq, wage="12x" if (v, seq) == (VILLAGES[1], 2) else wage) for seq in (1, 2, 3)]
            (inbox / f"{v}_{month}.csv").write_bytes(csv_bytes(rows))
    (inbox / f"{VILLAGES[0]}_2020-03.csv").write_bytes(csv_bytes([household(VILLAGES[0], 1)]))
    (inbox / f"{VILLAGES[2]}_202003.csv").write_bytes(b"")


def test_worker_processes_read_the_same_batch_in_the_same_order(tmp_path, monkeypatch):
    write_returns(tmp_path)
    serial = read_inbox(tmp_path, monkeypatch, parallel=False)
    parallel = read_inbox(tmp_path, monkeypatch, parallel=True)
    assert serial.rows_frame().height == 18
    assert_frame_equal(parallel.rows_frame(), serial.rows_frame())
    assert_frame_equal(parallel.files_frame(), serial.files_frame())
    assert_frame_equal(parallel.problems_frame(), serial.problems_frame())
    assert sorted(serial.problems_frame()["code"].to_list()) == ["FILE_NAME_INVALID", "FILE_UNREADABLE"]


def test_the_run_s_workers_read_batch_after_batch_started_once(tmp_path, monkeypatch):
    write_returns(tmp_path)
    whole = read_inbox(tmp_path, monkeypatch, parallel=False)
    deliveries, _ = list_inbox(tmp_path / "inbox", {}, settle_seconds=0)
    slots = ingest.plan_reads(deliveries, {}, lambda _name: False, 1, 1, datetime(2020, 4, 1))
    with ingest.ReadingWorkers() as workers:
        monkeypatch.setattr(ingest, "PARALLEL_MIN_FILES", 1)
        first = ingest.read_files(slots[:4], set(VILLAGES), tmp_path / "raw-par", workers=workers)
        pool = workers.pool
        second = ingest.read_files(slots[4:], set(VILLAGES), tmp_path / "raw-par", workers=workers)
        assert pool is not None and workers.pool is pool
    assert_frame_equal(pl.concat([first.rows_frame(), second.rows_frame()]), whole.rows_frame())
    assert_frame_equal(pl.concat([first.files_frame(), second.files_frame()]), whole.files_frame())


def spawned_workers(expected: int | None = None) -> int:
    """The reading worker processes this process has started (multiprocessing's spawned interpreters); with
    expected, waited for a few seconds to reach it (a child just forked shows its parent's command line until it
    execs)."""
    import time

    import psutil

    def command(child: psutil.Process) -> str:
        try:
            return " ".join(child.cmdline())
        except psutil.Error:  # gone meanwhile
            return ""

    deadline = time.monotonic() + 10
    while True:
        count = sum("spawn_main" in command(child) for child in psutil.Process().children())
        if expected is None or count == expected or time.monotonic() > deadline:
            return count
        time.sleep(0.05)


def test_workers_started_ahead_are_up_before_the_first_batch_and_read_every_batch(tmp_path, monkeypatch):
    write_returns(tmp_path)
    whole = read_inbox(tmp_path, monkeypatch, parallel=False)
    deliveries, _ = list_inbox(tmp_path / "inbox", {}, settle_seconds=0)
    slots = ingest.plan_reads(deliveries, {}, lambda _name: False, 1, 1, datetime(2020, 4, 1))
    monkeypatch.setattr(ingest, "PARALLEL_MIN_FILES", 5)
    before = spawned_workers()
    with ingest.ReadingWorkers() as workers:
        workers.count = 2  # whatever this machine's cores
        workers.start_ahead(4)  # fewer new paths than a batch read by workers: nothing started
        assert workers.pool is None and spawned_workers() == before
        workers.start_ahead(len(slots))
        pool = workers.pool
        assert pool is not None and spawned_workers(before + 2) == before + 2  # before any batch asked for them
        assert workers.pool_for(2) is pool  # once up, a batch of two files is read by them too
        first = ingest.read_files(slots[:2], set(VILLAGES), tmp_path / "raw-par", workers=workers)
        second = ingest.read_files(slots[2:], set(VILLAGES), tmp_path / "raw-par", workers=workers)
        assert workers.pool is pool
    assert spawned_workers() == before  # stopped with the block
    assert_frame_equal(pl.concat([first.rows_frame(), second.rows_frame()]), whole.rows_frame())
    assert_frame_equal(pl.concat([first.files_frame(), second.files_frame()]), whole.files_frame())


def test_reading_workers_start_with_their_modules_frozen_and_the_collector_on(monkeypatch):
    import gc

    monkeypatch.setattr(ingest, "PARALLEL_MIN_FILES", 1)
    with ingest.ReadingWorkers() as workers:
        pool = workers.pool_for(2)
        assert pool is not None
        enabled, frozen = pool.submit(gc.isenabled).result(60), pool.submit(gc.get_freeze_count).result(60)
    assert enabled and frozen > 10_000  # the reading modules' objects (Polars and ours), out of the collections


def test_gx_counts_summed_over_chunks_of_whole_files_equal_one_run(tmp_path, monkeypatch):
    write_returns(tmp_path)
    raw = read_inbox(tmp_path, monkeypatch, parallel=False).rows_frame()
    suite = load_suite(ROW_SUITE)
    frame = prepare_checks(clean_batch(raw)).select(gx_columns(suite))
    whole = gx_run.count_failures_with_gx(frame, suite)
    monkeypatch.setattr(gx_run, "CHUNK_ROWS", 4)  # 3 rows a file: one or two files a chunk
    chunks = gx_run.file_chunks(frame, 4)
    files = [set(chunk["file_id"].to_list()) for chunk in chunks]
    assert len(chunks) > 2 and sum(len(f) for f in files) == len(set().union(*files)) == 6  # no file split
    assert gx_run.count_failures_with_gx(frame, suite) == whole
    assert sum(c["unexpected_count"] for c in whole) >= 1  # the bad amount is counted


def walked_by_prefect(parameters: dict) -> list:
    """What Prefect's parameter walk visits (visit_collection, stopping at a quote as Prefect's task-input
    collection does)."""
    from prefect.utilities.annotations import quote
    from prefect.utilities.collections import StopVisiting, visit_collection

    seen: list = []

    def visit(item):
        seen.append(item)
        if isinstance(item, quote):
            raise StopVisiting

    visit_collection(parameters, visit, return_data=False)
    return seen


def test_prefect_does_not_walk_the_rows_of_a_quoted_batch(tmp_path, monkeypatch):
    from prefect.utilities.annotations import quote

    write_returns(tmp_path)
    batch = read_inbox(tmp_path, monkeypatch, parallel=False)
    bare = walked_by_prefect({"batch": batch})
    assert sum(isinstance(item, dict) and "sha256" in item for item in bare) == len(batch.files) > 0
    quoted = walked_by_prefect({"batch": quote(batch)})  # as the flow hands it to its tasks
    assert not any(isinstance(item, (dict, pl.DataFrame)) and item is not quoted[0] for item in quoted)


def write_faulty_returns(tmp_path) -> None:
    """Returns with a problem of every kind the row suite finds, spread over chunks of 2 files, one chunk with no
    readable file, blank and total rows, short rows and a column outside the contract."""
    write_returns(tmp_path)
    inbox = tmp_path / "inbox"
    v = VILLAGES[0]
    bad = [household(v, 1), household(v, 1, wage="-5"), household(v, 2, size="0"), household(v, 3, name=""),
           household(v, 4, wage="1，200元"), household(VILLAGES[1], 5), [f"{v}0006", "李四", "110105194912310021"],
           ["", "", ""], ["合计", "", "", "", "", "", "9999"], household(v, 7, wage="１２００")]
    bad[1][5] = "富裕户"
    (inbox / f"{v}_202004.csv").write_bytes(csv_bytes(bad, encoding="gb18030"))
    (inbox / f"{v}_202005.csv").write_bytes(csv_bytes([household(v, 1) + ["备注"]], header=HEADER + ["备注"]))
    for name in ("9_202004.csv", "8_202004.csv"):  # two unreadable names: a chunk without rows
        (inbox / name).write_bytes(b"x")


def test_rows_checked_as_read_equal_the_whole_batch_checked_at_once(tmp_path, monkeypatch):
    write_faulty_returns(tmp_path)
    raw_batch = read_inbox(tmp_path, monkeypatch, parallel=False)
    whole = check_rows(raw_batch.rows_frame())
    expected_rows = mark_quarantine(whole.cleaned, whole.problems).select(ROW_COLUMNS)
    assert whole.problems["code"].n_unique() >= 6 and expected_rows["is_quarantined"].sum() >= 5
    monkeypatch.setattr(row_check, "GX_MAX_ROWS", 5)  # GX on several pieces, counts summed
    for parallel in (False, True):
        checked = read_inbox(tmp_path, monkeypatch, parallel, row_check.RowChecker()).checked
        assert_frame_equal(checked.rows.select(ROW_COLUMNS), expected_rows)
        assert_frame_equal(checked.problems, whole.problems)
        assert_frame_equal(checked.results, whole.results)


def test_a_batch_without_rows_checked_as_read_has_no_rows_and_no_counts(tmp_path, monkeypatch):
    make_city(tmp_path)
    for name in ("9_202004.csv", "8_202004.csv", f"{VILLAGES[0]}_202004.csv"):
        (tmp_path / "inbox" / name).write_bytes(b"x")
    for parallel in (False, True):
        batch = read_inbox(tmp_path, monkeypatch, parallel, row_check.RowChecker())
        assert batch.rows_frame() is None and batch.checked.rows is None
        assert batch.checked.results.height == 0 and batch.checked.problems.height == 0
        assert len(batch.files) == 3 and batch.problems_frame().height == 3


def test_gx_disagreeing_with_the_interpreter_on_any_chunk_stops_the_read(tmp_path, monkeypatch):
    write_faulty_returns(tmp_path)
    checker = row_check.RowChecker()
    original = row_check.interpret_suite

    def undercount(frame, suite):
        """The interpreter's outcome with one failing row less on its first failing expectation."""
        outcome = original(frame, suite)
        failed = outcome.results["rows_failed"]
        first = next((i for i, n in enumerate(failed) if n), None)
        if first is not None:
            outcome.results = outcome.results.with_columns(failed.scatter(first, failed[first] - 1))
        return outcome

    monkeypatch.setattr(row_check, "interpret_suite", undercount)
    with pytest.raises(SuiteDisagreement):
        read_inbox(tmp_path, monkeypatch, parallel=False, checker=checker)


def test_numbers_cast_directly_equal_the_full_number_rules():
    from tasks.validate.clean import _number, number_series

    values = ["1", "-1", "1.", ".5", "1.5e3", "1,200", "1，200元", "1 000", "١٢", "abc", "", None, "-0", "00012",
              "1.2.3", "+5", "inf", "NaN", "12元", "--1", "1_000", "0x10", "5.00", "3.7", "99999999999999999999"]
    text = pl.Series("wage_income__text", values * 3)
    assert_frame_equal(number_series(text).to_frame("n"), text.to_frame().select(_number("wage_income__text").alias("n")))


def test_first_sheet_read_by_fastexcel_equals_polars_read_excel(tmp_path):
    import io

    import xlsxwriter

    from tasks.ingest.workbook_cells import read_first_sheet
    from tests.support.returns import write_xlsx

    sparse = tmp_path / "sparse.xlsx"
    book = xlsxwriter.Workbook(str(sparse))
    sheet = book.add_worksheet()
    sheet.write_row(3, 2, ["户编号", 12.5, 3, None, "=1+1", True])  # empty rows and columns, numbers, a formula
    sheet.write(6, 0, 1200)
    book.close()
    books = [write_xlsx(tmp_path / "r.xlsx", [household(VILLAGES[0], i) + [1200.0, 0.1 + 0.2] for i in (1, 2)]),
             sparse]
    whole = books[0].read_bytes()
    for data in [b.read_bytes() for b in books] + [whole[: len(whole) // 2], b"PK\x03\x04 not really a zip"]:
        try:
            expected = pl.read_excel(io.BytesIO(data), sheet_id=1, has_header=False, infer_schema_length=0,
                                     drop_empty_rows=False, drop_empty_cols=False, raise_if_empty=False)
        except Exception as err:  # the same failure, reported under the same name
            with pytest.raises(type(err)):
                read_first_sheet(data)
            continue
        assert expected.height > 1
        sheet = read_first_sheet(data)  # its columns are named by fastexcel, not renamed: only cells are used
        assert sheet.dtypes == expected.dtypes and sheet.rows() == expected.rows()


def test_reading_workers_end_without_printing_duckdbs_leak_report(monkeypatch, capfd):
    # the workers import DuckDB: a normal interpreter exit has its bindings print "nanobind: leaked …" on stderr
    monkeypatch.setattr(ingest, "PARALLEL_MIN_FILES", 1)
    with ingest.ReadingWorkers() as workers:
        pool = workers.pool_for(2)
        assert pool.submit(loaded_duckdb).result(60)
    err = capfd.readouterr().err
    assert "leaked" not in err and "nanobind" not in err, err[:500]


def loaded_duckdb() -> bool:
    """In a worker: whether DuckDB is imported there (what makes the exit print its leak report)."""
    import sys

    return "duckdb" in sys.modules
