"""The year before's gap estimates follow a new or corrected October without being made again whole: only the
estimates after a household's last return of the year depend on it (a household left out of the year's last months
and back in October), so only those are made again (tasks/marts/calendars.amend_gap_tails), and they come out as a
whole recompute makes them."""
from __future__ import annotations

from datetime import datetime

import polars as pl

from core import db
from tasks.ingest.load import ROW_COLUMNS, refresh_every_current_file
from tasks.marts import mart_keys, project
from tests.support.store_builder import (COUNTY, ROW_SCHEMA, VILLAGE, add_correction, build_store, household_row,
                                         linear_year, settings_with, year_periods)

QUIET_VILLAGE = f"{COUNTY}100002"  # sent nothing in the year's last two months
OTHER_COUNTY_VILLAGE = "430522100001"
EVERY_MONTH, BROUGHT_BACK, DROPPED, MIDDLE_GAP, QUARANTINED = (f"{VILLAGE}000{n}" for n in range(1, 6))
QUIET, QUIET_BACK = f"{QUIET_VILLAGE}0001", f"{QUIET_VILLAGE}0002"
ELSEWHERE, ELSEWHERE_ALL = f"{OTHER_COUNTY_VILLAGE}0001", f"{OTHER_COUNTY_VILLAGE}0002"
COLUMNS = ["household_id", "county_code", "income_year", "income_month", "household_size", "before_month",
           "after_month", "wage_income", "business_income", "property_income", "transfer_income", "business_expense",
           "ytd_net_income"]


def months(household_id: str, kept: list[int], **other) -> list[dict]:
    """A household's rows of income year 2020 (wages accruing evenly to 12,000) in the months kept."""
    return [row for month, row in enumerate(linear_year(household_id, 2020, wage=12000.0, **other), start=1)
            if month in kept]


def october(household_id: str) -> dict:
    """A household's row of October 2020, the first month of income year 2021."""
    return household_row(household_id, "202010", wage=1000.0)


def store():
    """A county whose village sends every month and one that sent nothing in August and September, beside another
    county; October's returns list who is back."""
    rows = (months(EVERY_MONTH, list(range(1, 13))) + months(BROUGHT_BACK, [m for m in range(1, 11) if m != 3])
            + months(DROPPED, list(range(1, 12))) + months(MIDDLE_GAP, [m for m in range(1, 13) if m != 5])
            + months(QUARANTINED, list(range(1, 12))) + months(QUIET, list(range(1, 10)))
            + months(QUIET_BACK, list(range(1, 11))) + months(ELSEWHERE, list(range(1, 12)))
            + months(ELSEWHERE_ALL, list(range(1, 13))))
    rows.append(household_row(QUARANTINED, year_periods(2020)[-1], wage=12000.0, is_quarantined=True))
    rows += [october(h) for h in (EVERY_MONTH, DROPPED, MIDDLE_GAP, QUIET_BACK, ELSEWHERE, ELSEWHERE_ALL)]
    return build_store(rows)


def correct_october(con, households: list[str]) -> None:
    """A corrected October return of the first village (_更正) listing these households."""
    con.register("batch_files", pl.DataFrame([{
        "file_id": 9000, "sha256": "corrected", "file_name": f"{VILLAGE}_202010_更正.csv",
        "first_path": f"{VILLAGE}_202010_更正.csv", "size_bytes": 1, "village_code": VILLAGE, "period": "202010",
        "correction_rank": 2, "ingest_run_id": 2, "ingested_at": datetime(2020, 11, 2), "status": "loaded",
        "rows_read": len(households)}]))
    db.run(con, "load/insert_source_files")
    con.unregister("batch_files")
    refresh_every_current_file(con)
    rows = [{**october(h), "file_id": 9000, "source_row": n} for n, h in enumerate(households, start=2)]
    con.register("batch_rows", pl.DataFrame(rows, schema=ROW_SCHEMA).select(ROW_COLUMNS))
    db.run(con, "load/insert_return_rows")
    con.unregister("batch_rows")


def gap_months(con, household_id: str) -> list[int]:
    """The months of income year 2020 estimated for a household."""
    return [m for (m,) in con.execute("SELECT income_month FROM household_month_gaps WHERE household_id = ? "
                                      "AND income_year = 2020 ORDER BY 1", [household_id]).fetchall()]


def gaps(con) -> pl.DataFrame:
    """Every gap estimate of income year 2020, in order."""
    return con.sql(f"SELECT {', '.join(COLUMNS)} FROM household_month_gaps WHERE income_year = 2020").pl().sort(COLUMNS)


def test_a_corrected_october_amends_the_estimates_after_the_last_returns_as_a_recompute_makes_them():
    con, settings = store(), settings_with(share_min_households=1)
    project.project_household_income(con, settings)
    assert gap_months(con, BROUGHT_BACK) == [3]  # left out of September and not in October: gone after
    assert gap_months(con, DROPPED) == [12]  # left out of September, back in October
    assert (gap_months(con, QUIET), gap_months(con, QUIET_BACK)) == ([11, 12], [11, 12])  # its village sent nothing
    assert (gap_months(con, QUARANTINED), gap_months(con, MIDDLE_GAP), gap_months(con, ELSEWHERE)) == ([12], [5], [12])
    # a mark on an estimate the October cannot change: made again whole, it would be gone
    con.execute("UPDATE household_month_gaps SET wage_income = -1 WHERE household_id = ? AND income_month = 5",
                [MIDDLE_GAP]).fetchall()

    correct_october(con, [EVERY_MONTH, BROUGHT_BACK, MIDDLE_GAP])
    project.project_household_income(con, settings)
    amended = gaps(con)
    assert gap_months(con, BROUGHT_BACK) == [3, 11, 12]
    assert gap_months(con, DROPPED) == []
    assert (gap_months(con, QUIET), gap_months(con, QUARANTINED), gap_months(con, ELSEWHERE)) == ([11, 12], [12], [12])
    assert con.execute("SELECT wage_income FROM household_month_gaps WHERE household_id = ? AND income_month = 5",
                       [MIDDLE_GAP]).fetchall() == [(-1,)]  # amended, not made again

    with db.transaction(con):  # the same year made again whole
        mart_keys.forget(con, "gaps", "household_month_gaps", [(COUNTY, "2020"), ("430522", "2020")])
    project.project_household_income(con, settings)
    recomputed = gaps(con)
    marked = (pl.col("household_id") == MIDDLE_GAP) & (pl.col("income_month") == 5)
    assert recomputed.filter(marked)["wage_income"].to_list() != [-1]
    assert amended.filter(~marked).equals(recomputed.filter(~marked))
    assert amended.height == recomputed.height == 10


def test_an_earlier_month_corrected_makes_the_year_again_whole():
    """A correction of the year itself (not only the next October) changes what every estimate reads: the amend
    does not apply and the mark is gone."""
    con, settings = store(), settings_with(share_min_households=1)
    project.project_household_income(con, settings)
    con.execute("UPDATE household_month_gaps SET wage_income = -1 WHERE household_id = ? AND income_month = 5",
                [MIDDLE_GAP]).fetchall()
    stored = {u: k for _, u, k in db.rows(con, "marts/read_keys", {"artifact": "gaps"}) if _ == COUNTY}
    add_correction(con, VILLAGE, year_periods(2020)[3], 1.1)  # January's wages corrected
    project.project_household_income(con, settings)
    changed = {u: k for _, u, k in db.rows(con, "marts/read_keys", {"artifact": "gaps"}) if _ == COUNTY}
    assert not project.october_only(stored["2020"], changed["2020"])
    assert con.execute("SELECT wage_income FROM household_month_gaps WHERE household_id = ? AND income_month = 5",
                       [MIDDLE_GAP]).fetchall() != [(-1,)]
