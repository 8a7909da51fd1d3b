"""The as-of month of a run without --as-of is the latest month up to its own with a usable return: a return whose
every row is in error (quarantined: MISSING_RETURN, 无可用数据) does not move the whole city's month on."""
from __future__ import annotations

import csv

import pytest

from tests.support.returns import csv_bytes, household, make_city
from tests.support.runs import run_nightly

V1, V2 = "430521001001", "430521001002"
pytestmark = pytest.mark.usefixtures("prefect_harness")


def test_a_next_month_return_of_rows_all_in_error_does_not_become_the_as_of_month(tmp_path):
    inbox, _ = make_city(tmp_path)
    for village in (V1, V2):  # March: a household of three at 1,650 a year so far each, below the line
        (inbox / f"{village}_202003.csv").write_bytes(csv_bytes([household(village, 1)]))
    # April's return sent early with the other village's 户编号 on every row (ROW_HOUSEHOLD_ID: quarantined)
    (inbox / f"{V1}_202004.csv").write_bytes(csv_bytes([household(V2, 1), household(V2, 2)]))
    summary = run_nightly(tmp_path, today="2020-04-20")

    assert summary.as_of == "202003"
    flags = list(csv.DictReader((tmp_path / "out" / "exports" / "flags.csv").read_text(encoding="utf-8-sig")
                                .splitlines()))
    assert sorted((f["household_id"], f["period"]) for f in flags) == [(f"{V1}0001", "202003"), (f"{V2}0001", "202003")]
