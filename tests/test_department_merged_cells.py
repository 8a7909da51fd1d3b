"""A department workbook as Excel shows it: a 事项 or 发生日期 cell merged down over the records of one event or one
day (a batch approved at one meeting) is each record's value, as for a village return's text and date columns, not
an empty cell quarantining every record but the first; a merged 金额 stays empty (it may be the records' total)."""
from __future__ import annotations

import csv

import xlsxwriter

from tests.support.departments import DEPT_HEADER, RETURN_HEADER, id_number, ret_row, table_csv
from tests.support.returns import make_city
from tests.support.runs import problems, run_nightly

V = "430521001001"
HEADS = [id_number(1), id_number(2), id_number(3)]


def write_merged_workbook(path) -> None:
    """A 民政局 list of three new 低保 cases: 事项 and 发生日期 merged over the three, a 金额 merged over two."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("新增低保")
    sheet.write_row(0, 0, ["序号", *DEPT_HEADER])
    for index, head in enumerate(HEADS):
        sheet.write_row(1 + index, 0, [index + 1, head, f"张{index}"])
    sheet.merge_range(1, 3, 3, 3, "新纳入低保")
    sheet.merge_range(1, 4, 3, 4, "2020-03-15")
    sheet.merge_range(1, 5, 2, 5, "1200")
    book.close()


def test_an_event_and_a_date_merged_down_over_records_are_each_records(prefect_harness, tmp_path):
    inbox, _ = make_city(tmp_path)
    rows = [ret_row(V, i + 1, head) for i, head in enumerate(HEADS)]
    (inbox / f"{V}_202003.csv").write_bytes(table_csv(RETURN_HEADER, rows))
    write_merged_workbook(inbox / "dept_civil_202003.xlsx")
    run_nightly(tmp_path, as_of="202003", today="2020-04-03")
    found = list(csv.DictReader((tmp_path / "out/exports/department_checks.csv").read_bytes().decode("utf-8-sig")
                                .splitlines()))
    assert sorted((r["household_id"], r["event"], r["event_date"], r["finding"]) for r in found) == [
        (f"{V}{i:04d}", "DIBAO_NEW", "2020-03-15", "CLUE") for i in (1, 2, 3)]
    assert [p for p in problems(tmp_path) if p["file"].startswith("dept_")] == []
