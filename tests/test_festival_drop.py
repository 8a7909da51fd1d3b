"""SUDDEN_DROP where the Spring Festival moved, on hand-built stores (the nights of the real flow:
tests/test_festival_flags.py): a year missing from the festival table keeps the plain comparison, festival months
so early that no month comes before both compare no wages, and a household left out of this year's month before
both festivals is compared through its latest month on record before them."""
from __future__ import annotations

from tasks.report.history import record_figures
from tests.support.migrants import SHIPPED, migrant_year
from tests.support.store_builder import (VILLAGE, add_correction, build_store, household_row, rebuild_marts,
                                         settings_with, status_of)

FULL = (300.0, 12000.0, 400.0, 100.0)  # (wage, lump, business, transfer) a month


def rows_of(n: int, income_year: int, amounts: tuple[float, ...], last_month: int = 12,
            left_out: frozenset[int] = frozenset()) -> list[dict]:
    """Return rows of household n for an income year up to last_month (months left_out not sent)."""
    household = f"{VILLAGE}{n:04d}"
    return [household_row(household, period, wage=ytd["wage"], business=ytd["business"], transfer=ytd["transfer"])
            for m, (period, ytd) in enumerate(migrant_year(income_year, *amounts, last_month), start=1)
            if m not in left_out]


def halved(amounts: tuple[float, ...]) -> tuple[float, ...]:
    """Every amount halved."""
    return tuple(a / 2 for a in amounts)


def test_a_year_missing_from_the_festival_table_keeps_the_same_month_comparison():
    """Without 2021's festival date January 2021 is compared with January 2020 as it stands, lump or not."""
    con = build_store(rows_of(1, 2020, FULL) + rows_of(1, 2021, FULL, last_month=4))
    table = {year: day for year, day in SHIPPED.spring_festival.items() if year != 2021}
    rebuild_marts(con, settings_with(share_min_households=1, spring_festival=table), "202101")
    row = status_of(con, "202101")[f"{VILLAGE}0001"]
    assert "截至本月累计纯收入3200.00元，比上年同期15200.00元减少78.9%" in row["reasons"]


def test_festival_wages_arriving_in_november_leave_october_without_wages_to_compare():
    """90 days ahead, 2021's festival wages arrive in November 2020 and 2020's in October 2019: October compares the
    years' other income alone, and says so."""
    rows = rows_of(1, 2020, FULL) + rows_of(1, 2021, halved(FULL), last_month=1)
    con = build_store(rows)
    rebuild_marts(con, settings_with(share_min_households=1, festival_lead_days=90), "202010")
    row = status_of(con, "202010")[f"{VILLAGE}0001"]
    assert "SUDDEN_DROP" in row["flags"].split(";")
    assert ("【收入骤减】截至本月累计纯收入（春节务工收入本年11月、上年10月到账，两年均不计工资性收入）"
            "250.00元，比上年同期500.00元减少50.0%") in row["reasons"]


def test_a_household_left_out_of_the_month_before_both_festivals_is_compared_through_its_month_before():
    """A household left out of December 2020's return has no wages through December to compare in January 2021:
    both years' wages are compared through November, its latest month on record before it."""
    rows = rows_of(1, 2020, FULL) + rows_of(1, 2021, FULL, last_month=4, left_out=frozenset({3}))
    fifth = tuple(a / 5 for a in FULL)
    rows += rows_of(2, 2020, FULL) + rows_of(2, 2021, fifth, last_month=4, left_out=frozenset({3}))
    con = build_store(rows)
    rebuild_marts(con, settings_with(share_min_households=1), "202101")
    status = status_of(con, "202101")
    assert not status[f"{VILLAGE}0001"]["is_sudden_drop"]
    def compared(income_year: int, amounts: tuple[float, ...]) -> float:
        ytd = dict(migrant_year(income_year, *amounts))
        return ytd[f"{income_year}01"]["business"] + ytd[f"{income_year}01"]["transfer"] + ytd[f"{income_year - 1}11"]["wage"]
    assert (f"截至本月累计纯收入（春节务工收入本年2月、上年1月到账，工资性收入两年均计至11月）{compared(2021, fifth):.2f}元，"
            f"比上年同期{compared(2020, FULL):.2f}元减少80.0%") in status[f"{VILLAGE}0002"]["reasons"]


def test_a_correction_of_a_month_before_both_festivals_judges_the_shifted_month_again():
    """January 2021 compares wages through November for a household left out of December: a correction of November's
    return (its wages now a tenth) is read by January's flags at the next run."""
    waged = (2000.0, 12000.0, 100.0, 0.0)
    rows = rows_of(1, 2020, waged) + rows_of(1, 2021, waged, last_month=4, left_out=frozenset({3}))
    con = build_store(rows)
    settings = settings_with(share_min_households=1)
    rebuild_marts(con, settings, "202101")
    assert not status_of(con, "202101")[f"{VILLAGE}0001"]["is_sudden_drop"]
    add_correction(con, VILLAGE, "202011", 0.1)
    rebuild_marts(con, settings, "202101")
    kept = status_of(con, "202101")[f"{VILLAGE}0001"]
    assert kept["is_sudden_drop"] and "工资性收入两年均计至11月" in kept["reasons"]


def test_a_correction_of_a_month_before_both_festivals_recounts_last_years_shifted_month():
    """The key figures of January 2021, last income year's month as of January 2022, are counted again when November
    2020's return is corrected (its wages, which January compares through, now a tenth), as the flags are."""
    waged = (2000.0, 12000.0, 100.0, 0.0)
    rows = rows_of(1, 2020, waged) + rows_of(1, 2021, waged, left_out=frozenset({3})) + rows_of(1, 2022, waged, 4)
    con = build_store(rows)
    settings = settings_with(share_min_households=1)

    def sudden_drops_of_january_2021() -> int:
        rebuild_marts(con, settings, "202201")
        record_figures(con, settings, "202201")
        return con.execute("SELECT sum(sudden_drop_count) FROM county_month_figures WHERE period = '202101'"
                           ).fetchall()[0][0]

    assert sudden_drops_of_january_2021() == 0
    add_correction(con, VILLAGE, "202011", 0.1)
    assert sudden_drops_of_january_2021() == 1
