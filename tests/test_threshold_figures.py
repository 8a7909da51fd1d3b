"""A figure a flag found below a limit never reads as the limit where it is quoted: the reasons, flags.csv's
projection, the county page's list (rounding 3999.9967 to 4000.00 or 4,000 would say "below 4,000")."""
from __future__ import annotations

import csv

import fastexcel

from core import db
from tasks.report.data import bound
from tasks.report.exports import write_exports
from tests.support.store_builder import VILLAGE, build_store, linear_year, rebuild_marts, settings_with


def hid(n: int) -> str:
    """A household ID of the test village."""
    return f"{VILLAGE}{n:04d}"


def year_end_store():
    """September 2020 (the projection is the actual): households at and around the line and the near-line limit."""
    rows = linear_year(hid(1), 2020, size=3, wage=11999.99, household_type="监测户")   # 3999.9967: below
    rows += linear_year(hid(2), 2020, size=3, wage=17999.99, household_type="监测户")  # 5999.9967: near
    rows += linear_year(hid(3), 2020, size=1, wage=3999.5, household_type="监测户")    # 3999.50: below, 4,000 whole
    rows += linear_year(hid(4), 2020, size=1, wage=3500.5, household_type="监测户")    # 3500.50: rounded as ever
    rows += linear_year(hid(5), 2019, size=3, wage=11999.99) + linear_year(hid(5), 2020, size=3, wage=90000.0)
    con = build_store(rows)
    rebuild_marts(con, settings_with(share_min_households=1), "202009")
    return con


def test_reasons_exports_and_page_quote_a_figure_below_its_limit_below_it(tmp_path):
    con = year_end_store()
    status = {h: (f, r, p) for h, f, r, p in con.execute(
        "SELECT household_id, flags, reasons, page_reasons FROM household_status WHERE period = '202009'").fetchall()}
    assert status[hid(1)] == ("BELOW_LINE", "【低于监测线】全年人均纯收入3999.99元，低于监测线4000.00元",
                              "全年人均纯收入3,999元，低于监测线4,000元")
    assert status[hid(2)][:2] == ("NEAR_LINE", "【临界边缘】全年人均纯收入5999.99元，不足监测线4000.00元的1.5倍（6000.00元）")
    assert status[hid(2)][2].startswith("全年人均纯收入5,999元，")
    assert status[hid(3)][1:] == ("【低于监测线】全年人均纯收入3999.50元，低于监测线4000.00元",
                                  "全年人均纯收入3,999元，低于监测线4,000元")
    assert status[hid(4)][1:] == ("【低于监测线】全年人均纯收入3500.50元，低于监测线4000.00元",
                                  "全年人均纯收入3,501元，低于监测线4,000元")  # half up where no limit is reached
    assert status[hid(5)][:2] == ("UNSTABLE_LIFTED", "【脱贫不稳定】脱贫户上年人均纯收入3999.99元，低于本年监测线4000.00元")

    written = write_exports(con, tmp_path, "202009", near_line_factor=1.5)
    exported = {r["household_id"]: r["projected_per_capita"]
                for r in csv.DictReader(written["flags"].read_bytes().decode("utf-8-sig").splitlines())}
    assert [exported[hid(n)] for n in (1, 2, 3, 4)] == ["3999.99", "5999.99", "3999.50", "3500.50"]

    params = {"period": "202009", "county_codes": [VILLAGE[:6]], "row_limit": 10, "near_line_factor": 1.5}
    query = db.sql_text("reports/flagged_households").rstrip().rstrip(";")
    listed = dict(con.execute(f"SELECT household_id, projected_text FROM ({query})",
                              bound("reports/flagged_households", params)).fetchall())
    assert [listed[hid(n)] for n in (1, 2, 3, 4)] == ["3,999", "5,999", "3,999", "3,501"]


def test_a_band_crossing_the_line_never_shows_its_low_end_as_the_line(tmp_path):
    """临界待核 marks a band whose low end is below the line: a low end of 3999.998 is quoted 3999.99 in the reasons,
    3,999 on the page and 3999 in flags.xlsx, not 4000.00 / 4,000 (a band "4,000–4,889" would not cross the line)."""
    # a new household of one in March (month 6): the village's calendar is the default (wage 0.52 by then), and a band
    # of projection × (1 ∓ 0.1) (history prior 1, no share-to-come scaling): 2311.11 / 0.52 = 4444.44, low 3999.998
    con = build_store(linear_year(hid(1), 2020, 6, size=1, wage=2311.11 * 2, household_type="监测户"))
    rebuild_marts(con, settings_with(band_default_low=[-0.1] * 11, band_default_high=[0.1] * 11,
                                     band_default_spread_low=[], band_default_spread_high=[],
                                     band_history_prior=[1.0] * 11, band_remaining_power=0.0), "202003")
    low, flags, reasons, page_reasons = con.execute(
        "SELECT projected_low, flags, reasons, page_reasons FROM household_status WHERE period = '202003'").fetchall()[0]
    assert 3999.995 <= low < 4000 and flags == "NEAR_LINE"
    assert "（区间3999.99–4888.89元）" in reasons and "（区间3,999元–4,889元）" in page_reasons

    written = write_exports(con, tmp_path, "202003", near_line_factor=1.5)
    row = fastexcel.read_excel(str(written["flags_xlsx"])).load_sheet(0).to_polars().row(0, named=True)
    assert (row["预计区间下限（元）"], row["区间跨监测线"]) == (3999, "临界待核")

    params = {"period": "202003", "county_codes": [VILLAGE[:6]], "row_limit": 10, "near_line_factor": 1.5}
    query = db.sql_text("reports/flagged_households").rstrip().rstrip(";")
    listed = con.execute(f"SELECT band_text, is_band_crossing FROM ({query})",
                         bound("reports/flagged_households", params)).fetchall()
    assert listed == [("（3,999–4,889）", True)]
