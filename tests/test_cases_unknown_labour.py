"""Risk removal needs labour (劳动力人数 ≥ 1) in the latest month on record, or 兜底保障: a latest month whose
劳动力人数 was left blank is unknown labour, not the labour an earlier month reported."""
from __future__ import annotations

from datetime import date

import pytest

from core import db
from tasks.cases import ledger
from tests.support.store_builder import settings_with

HH = "4305211000010001"
MONTHS = ["201910", "201911", "201912", "202001", "202002", "202003"]


def candidate(measures: str, labour: list[int | None]) -> bool:
    """Whether an assisting case whose household stayed above the floor six months, with this labour month by
    month, is a removal candidate in March 2020."""
    con = db.connect(":memory:")
    base = {"case_id": "K1", "event_on": date(2019, 10, 20), "as_of_period": "201910", "run_id": 1,
            "status": "open", "kind": "BELOW_LINE", "subject_key": HH, "household_id": HH, "county_code": "430521",
            "township_code": "430521100", "village_code": HH[:12], "opened_period": "201910",
            "opened_on": date(2019, 10, 20)}
    decided = {"case_id": "K1", "event": "decision", "event_on": date(2019, 10, 25), "status": "assisting",
               "conclusion": "属实", "measures": measures, "actor": "李四", "decided_on": date(2019, 10, 25)}
    ledger.append_events(con, [{**base, "event": "opened"}, decided], None)
    for period, count in zip(MONTHS, labour):
        con.execute("INSERT INTO case_evidence VALUES (?, ?, 6500, 6000, ?, '')", [HH, period, count]).fetchall()
    ledger.derive_cases(con, settings_with(), "202003", date(2020, 4, 5))
    return con.execute("SELECT is_removal_candidate FROM cases").fetchall()[0][0]


@pytest.mark.parametrize("labour, measures, expected", [
    ([1] * 6, "公益岗位", True),
    ([1] * 5 + [None], "公益岗位", False),   # the latest 劳动力人数 blank: unknown, not last month's 1
    ([1] * 5 + [None], "兜底保障", True),    # 兜底保障 stands in for labour
    ([None] * 5 + [1], "公益岗位", True),    # the latest month says 1
])
def test_a_blank_latest_labour_count_is_not_labour(labour, measures, expected):
    assert candidate(measures, labour) is expected
