"""The reporting-rate table (villages × months: on time, late, rejected, missing) against what the synthetic city
planted: villages that sent nothing, villages whose only file was unreadable, and the day each village dated its
return (the generator delivers a village's first file on the day it writes in the 填报日期 column; a return
without that column counts from the day its usable file was delivered)."""
from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, datetime, timedelta, timezone

import duckdb
import pytest

from core import db
from tasks.report.reporting import reporting_table

pytestmark = pytest.mark.slow  # the small city's nightly run
AS_OF, DUE_DAY, TODAY = "202003", 5, date(2020, 4, 20)
PERIODS = ["201910", "201911", "201912", "202001", "202002", "202003"]


def delivered_day(path) -> date:
    """The day a file was delivered (its time in the inbox, UTC+8)."""
    return datetime.fromtimestamp(path.stat().st_mtime, timezone(timedelta(hours=8))).date()


def has_report_date(path) -> bool:
    """Whether a return has a 填报日期 column (Chinese or English header, looked up in its raw text or an xlsx's XML)."""
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as book:
            return any(header in book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xml")
                       for header in ("填报日期", "report_date"))
    raw = path.read_bytes()
    return any(header.encode(encoding) in raw for header in ("填报日期", "report_date")
               for encoding in ("utf-8", "gb18030", "utf-16-le"))


def planted_truth(city) -> dict[tuple[str, str], str]:
    """Expected status of every village × month of the income year, from the city's inbox and truth/planted.csv."""
    planted = list(csv.DictReader(io.StringIO((city / "truth" / "planted.csv").read_text("utf-8"))))
    unreadable = {(p["village_code"], p["period"]) for p in planted if p["code"] == "FILE_UNREADABLE"}
    corrected = {(p["village_code"], p["period"]) for p in planted if p["kind"] == "correction"}
    villages = [row["code"] for row in csv.DictReader(io.StringIO((city / "reference" / "admin_units.csv")
                                                                   .read_text("utf-8-sig"))) if row["level"] == "village"]
    sent: dict[tuple[str, str], date] = {}
    usable: dict[tuple[str, str], tuple[int, object]] = {}  # the version that wins: a correction over the plain file
    for path in (city / "inbox").rglob("*"):
        found = re.fullmatch(r"(\d{12})_(\d{6})(_v2|_更正)?\.(csv|xlsx)", path.name)
        if found:
            key, rank = (found[1], found[2]), 2 if found[3] else 1
            sent[key] = min(sent.get(key, delivered_day(path)), delivered_day(path))
            if rank >= usable.get(key, (0, None))[0]:
                usable[key] = (rank, path)
    truth = {}
    for village in villages:
        for period in PERIODS:
            key = (village, period)
            due = date(int(period[:4]) + int(period[4:]) // 12, int(period[4:]) % 12 + 1, DUE_DAY)
            if key not in sent:
                truth[key] = "missing"
            elif key in unreadable and key not in corrected:
                truth[key] = "rejected"
            else:
                path = usable[key][1]
                dated = sent[key] if has_report_date(path) else delivered_day(path)
                truth[key] = "on_time" if dated <= due else "late"
    return truth


def test_every_village_month_has_the_status_the_city_planted(small_city, small_city_run):
    truth = planted_truth(small_city)
    with duckdb.connect(str(small_city_run / "db.duckdb"), read_only=True) as con:
        counties = [c for (c,) in con.execute("SELECT code FROM admin_units WHERE level = 'county'").fetchall()]
        rows = db.frame(con, "reports/reporting_status", {"period": AS_OF, "county_codes": counties,
                                                          "due_day": DUE_DAY, "today": TODAY}).to_dicts()
    found = {(r["village_code"], r["period"]): r["return_status"] for r in rows}
    assert found == truth
    statuses = set(truth.values())
    assert statuses == {"on_time", "late", "rejected", "missing"}  # the city plants every kind
    missing = [r for r in rows if r["return_status"] == "missing" and r["period"] == AS_OF]
    assert missing and all(r["days_overdue"] == 15 for r in missing)  # due 2020-04-05, today 2020-04-20
    late = [r for r in rows if r["return_status"] == "late"]
    assert all(r["days_late"] == (r["report_date"] - r["due_date"]).days > 0 for r in late)


def test_the_countys_monthly_rates_count_its_villages(small_city, small_city_run):
    truth = planted_truth(small_city)
    with duckdb.connect(str(small_city_run / "db.duckdb"), read_only=True) as con:
        rows = db.frame(con, "reports/reporting_status", {"period": AS_OF, "county_codes": ["430521"],
                                                          "due_day": DUE_DAY, "today": TODAY})
    table = reporting_table(rows)
    villages = [v for v, _ in truth if v.startswith("430521") and _ == AS_OF]
    assert table["villages_count"] == len(villages) and len(table["months"]) == len(PERIODS)
    for index, period in enumerate(PERIODS):
        statuses = [truth[(v, period)] for v in villages]
        rate = table["rates"][index]
        assert rate["on_time"] == statuses.count("on_time") and rate["missing"] == statuses.count("missing")
        assert rate["reported_share"] == (statuses.count("on_time") + statuses.count("late")) / len(villages)
    assert ">△ 迟" in table["body"] and ">✗ 未报<" in table["body"]
