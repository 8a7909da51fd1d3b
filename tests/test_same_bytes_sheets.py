"""FILE_SAME_BYTES says the same data came under another village's or month's name: not when the same workbook of a
sheet per month came under two months' names and each file read its own month's sheet (named by FILE_OTHER_SHEETS)."""
from __future__ import annotations

import hashlib
from datetime import datetime

import pytest

from tasks.ingest.discover import Delivery
from tasks.ingest.read import FileSlot, read_one
from tasks.ingest.raw_store import RawKeeper
from tests.support.returns import csv_bytes, household
from tests.test_parse_sheets import month_table, workbook

V1, V2 = "430521001001", "430521001002"
MONTHS = [(f"{m}月", month_table(str(100 * m))) for m in range(1, 13)]


def read_as(tmp_path, data: bytes, name: str, *others: str):
    """read_one of bytes under a name, the same bytes having come under the other names too."""
    path = tmp_path / name
    path.write_bytes(data)
    delivery = Delivery(str(path), name, name, len(data), 0, hashlib.sha256(data).hexdigest())
    return read_one(FileSlot(delivery, 1, 1, datetime(2020, 5, 1), same_bytes_as=others), {V1, V2}, RawKeeper(tmp_path / "raw"))


def codes(outcome) -> list[str]:
    """The warnings' codes."""
    return [code for code, _ in outcome.warnings]


def test_a_workbook_of_a_sheet_per_month_under_two_months_names_reads_each_its_month_without_same_bytes(tmp_path):
    """Both files were told "the same data sent under another month's name?", yet one read March, the other April."""
    data = workbook(MONTHS)
    march = read_as(tmp_path, data, f"{V1}_202003.xlsx", f"{V1}_202004.xlsx")
    april = read_as(tmp_path, data, f"{V1}_202004.xlsx", f"{V1}_202003.xlsx")
    assert (march.columns["wage_income"], april.columns["wage_income"]) == (("300",), ("400",))
    assert codes(march) == codes(april) == ["FILE_OTHER_SHEETS"]
    assert "读取了“3月”" in march.warnings[0][1] and "读取了“4月”" in april.warnings[0][1]


SAME = "(同一份数据按另一个村或月份报送?)"
TWO_MONTHS = [("1月", month_table("1")), ("3月", month_table("3"))]


@pytest.mark.parametrize("sheets, name, other, same", [
    (MONTHS, f"{V1}_202003", f"{V2}_202003", True),  # another village's name, the same month: the same sheet
    (MONTHS, f"{V1}_202003", f"{V2}_202004", True),  # another village's name, another month: still one village's book
    (TWO_MONTHS, f"{V1}_202003", f"{V1}_202004", False),  # 3月 read here; the other file has no sheet 4月: 1月
    (TWO_MONTHS, f"{V1}_202004", f"{V1}_202003", False),
    (TWO_MONTHS, f"{V1}_202004", f"{V1}_202005", True),  # neither month named: the first sheet read by both
    ([("甲", month_table("1")), ("乙", month_table("2"))], f"{V1}_202004", f"{V1}_202003", True),
    ([("Sheet1", month_table("1"))], f"{V1}_202004", f"{V1}_202003", True),
    ([("3月", month_table("1"))], f"{V1}_202004", f"{V1}_202003", True),  # one sheet: read whatever the name
    (None, f"{V1}_202004", f"{V1}_202003", True),  # a CSV
])
def test_same_bytes_is_said_when_the_other_name_reads_the_same_table(tmp_path, sheets, name, other, same):
    extension = "csv" if sheets is None else "xlsx"
    data = csv_bytes([household(V1, 1)]) if sheets is None else workbook(sheets)
    outcome = read_as(tmp_path, data, f"{name}.{extension}", f"{other}.{extension}")
    assert outcome.record["status"] == "loaded"
    said = [detail for code, detail in outcome.warnings if code == "FILE_SAME_BYTES"]
    assert said == ([f"内容与“{other}.{extension}”完全相同{SAME}"] if same else [])
