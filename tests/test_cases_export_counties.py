"""`cases export` of every county at once (one query, the books written in forked processes) gives each county the
workbook it gets alone."""
from __future__ import annotations

import os
from datetime import date

import fastexcel
import pytest

from tasks.cases.forked import run_forked
from tasks.cases.workbook import export_workbooks
from tests.support.cases_store import LOW, judge
from tests.support.store_builder import build_store, household_row, settings_with, year_periods

VILLAGES = ("430521100001", "430522200002", "430523300003")


def square_where(n: int) -> tuple[int, int]:
    """n², and the process that computed it."""
    return n * n, os.getpid()


def test_forked_jobs_give_their_results_in_the_jobs_order():
    results = run_forked(square_where, [(n,) for n in range(7)])
    assert [value for value, _ in results] == [n * n for n in range(7)]
    if len(os.sched_getaffinity(0)) > 1:
        assert os.getpid() not in {pid for _, pid in results}


def test_a_failing_job_fails_the_whole_run():
    with pytest.raises(ZeroDivisionError):
        run_forked(divmod, [(1, 1), (1, 0)])


@pytest.fixture()
def counties(tmp_path):
    """A store whose run on 2020-04-05 opened BELOW_LINE cases in three counties (3, 4 and 5 households)."""
    periods = year_periods(2020, 6)
    rows = [household_row(f"{village}{n:04d}", period, wage=LOW * month / 12, household_type="监测户")
            for village in VILLAGES for n in range(1, 4 + VILLAGES.index(village))
            for month, period in enumerate(periods, start=1)]
    con, settings = build_store(rows), settings_with(share_min_households=1).with_paths(out=tmp_path / "out")
    judge(con, settings, "202003", date(2020, 4, 5))
    return con, settings


def test_every_county_gets_the_workbook_it_gets_alone(counties):
    con, settings = counties
    together = {path.name: path.read_bytes() for path in export_workbooks(con, settings, date(2020, 4, 20))}
    assert sorted(together) == [f"{v[:6]}.xlsx" for v in VILLAGES]
    for village in VILLAGES:
        [alone] = export_workbooks(con, settings, date(2020, 4, 20), county=village[:6])
        assert alone.read_bytes() == together[alone.name]
        sheet = fastexcel.read_excel(alone.read_bytes()).load_sheet_eager("待办", dtypes="string")
        assert set(sheet.column("户编号").to_pylist()) == {f"{village}{n:04d}" for n in range(1, 4 + VILLAGES.index(village))}


@pytest.mark.flow
def test_the_books_are_written_in_a_process_whose_prefect_threads_run(prefect_harness, counties):
    from prefect import flow

    @flow
    def warm() -> int:
        return 1

    assert warm() == 1  # as in `povmon demo`, which exports in the process that ran the flows
    con, settings = counties
    assert len(export_workbooks(con, settings, date(2020, 4, 20))) == len(VILLAGES)
