"""A return without 填报日期 is dated by the inbox time of its bytes' first delivery (sql/reports/reporting_status.sql):
a copy sent over it later and rejected does not re-date it, and a store rebuilt from the raw store and the delivery
log, with the file gone from the inbox, dates it as the store that saw it arrive."""
from __future__ import annotations

import os
import shutil
from datetime import date, datetime, timedelta, timezone

import duckdb
import pytest

from core import db
from tests.support.returns import csv_bytes, household, make_city
from tests.support.runs import settings_for

VILLAGE = "430521001001"
pytestmark = pytest.mark.usefixtures("prefect_harness")


def noon(day: str) -> int:
    """Nanoseconds since the epoch of noon, Asia/Shanghai, on a day."""
    return int(datetime.fromisoformat(day + "T12:00:00").replace(tzinfo=timezone(timedelta(hours=8))).timestamp()) * 10**9


def deliver(root, data: bytes, day: str) -> None:
    """March's return of the village written into the inbox on that day."""
    path = root / "inbox" / f"{VILLAGE}_202003.csv"
    path.write_bytes(data)
    os.utime(path, ns=(noon(day), noon(day)))


def night(root) -> None:
    """A nightly run on 2020-04-20."""
    from flows.nightly import nightly

    nightly(settings=settings_for(root), today="2020-04-20")


def march_status(root) -> tuple:
    """(return status, report date) of the village's March return on the county page."""
    with duckdb.connect(str(root / "db.duckdb"), read_only=True) as con:
        found = db.rows(con, "reports/reporting_status", {"period": "202003", "county_codes": [VILLAGE[:6]],
                                                          "due_day": 5, "today": date(2020, 4, 20)})
    return next((status, day) for _, _, village, _, period, _, day, status, *_ in found
                if village == VILLAGE and period == "202003")


def test_a_rejected_copy_sent_over_a_return_does_not_redate_the_return_that_stands(tmp_path):
    make_city(tmp_path)
    deliver(tmp_path, csv_bytes([household(VILLAGE, 1)]), "2020-04-03")
    night(tmp_path)
    deliver(tmp_path, b"\xef\xbb\xbf", "2020-04-18")  # an empty copy over it, after the due day: rejected
    night(tmp_path)
    assert march_status(tmp_path) == ("on_time", date(2020, 4, 3))


def test_a_store_rebuilt_from_the_log_dates_a_return_gone_from_the_inbox_as_it_arrived(tmp_path):
    make_city(tmp_path)
    deliver(tmp_path, csv_bytes([household(VILLAGE, 1)]), "2020-04-03")
    night(tmp_path)
    (tmp_path / "inbox" / f"{VILLAGE}_202003.csv").unlink()  # archived
    rebuilt = tmp_path / "rebuilt"
    make_city(rebuilt)
    shutil.copytree(tmp_path / "raw", rebuilt / "raw")
    (rebuilt / "raw" / "deliveries.writer.json").unlink(missing_ok=True)  # the old store is retired
    night(rebuilt)
    assert march_status(tmp_path) == march_status(rebuilt) == ("on_time", date(2020, 4, 3))
