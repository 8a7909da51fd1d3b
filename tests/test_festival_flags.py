"""SUDDEN_DROP and 稳岗就业 where the Spring Festival moved (README "Flags"): nights of the real flow over a village
whose migrant households bring their wages home at the festival, in January 2020, February 2021 and January 2022
(the shipped settings). In a month between the two years' festival months the year to date of one year holds the
lump and the other's not yet: both years' wages are compared through the month before both festival months."""
from __future__ import annotations

import csv

import pytest

from core.income_year import period_of
from tests.support.migrants import FESTIVAL_MONTH, migrant_year
from tests.support.returns import csv_bytes, make_city
from tests.support.runs import query, run_nightly

VILLAGE = "430521001001"
FULL, POOR = (300.0, 12000.0, 400.0, 100.0), (100.0, 3000.0, 100.0, 50.0)  # (wage, lump, business, transfer) a month


def scaled(amounts: tuple[float, ...], wage_factor: float, other_factor: float | None = None) -> tuple[float, ...]:
    """A household's monthly amounts with its wages (and lump) and, unless other_factor is given, the rest scaled."""
    wage, lump, business, transfer = amounts
    other = wage_factor if other_factor is None else other_factor
    return wage * wage_factor, lump * wage_factor, business * other, transfer * other


# household number -> its monthly amounts per income year
PLAN = {
    1: {2020: FULL, 2021: FULL, 2022: FULL},                                    # the lump moved, nothing lost
    2: {2020: FULL, 2021: scaled(FULL, 0.5), 2022: scaled(FULL, 0.5)},          # half of everything from 2021
    3: {2020: FULL, 2021: FULL, 2022: scaled(FULL, 0.5)},                       # half of everything in 2022
    4: {2020: POOR, 2021: POOR, 2022: POOR},                                    # below the line, wages kept
    5: {2020: POOR, 2021: POOR, 2022: scaled(POOR, 0.7, 1.0)},                  # below the line, wages down 30 %
}


def household_id(n: int) -> str:
    """The test village's household number n."""
    return f"{VILLAGE}{n:04d}"


def send_months(root, income_year: int, months) -> None:
    """The village's returns of months of an income year into root's inbox, every household of PLAN in each."""
    years = {n: dict(migrant_year(income_year, *plan[income_year])) for n, plan in PLAN.items()}
    for month in months:
        period = period_of(income_year, month)
        rows = [[household_id(n), "张三", "11010519491231002X", "4", "1", "监测户", f"{ytd[period]['wage']:g}",
                 f"{ytd[period]['business']:g}", "", f"{ytd[period]['transfer']:g}", "0"]
                for n, ytd in sorted(years.items())]
        (root / "inbox" / f"{VILLAGE}_{period}.csv").write_bytes(csv_bytes(rows))


def compared(n: int, income_year: int, month: int, wage_month: int) -> float:
    """Household n's year to date at a month with its wages through wage_month, as PLAN says."""
    ytd = dict(migrant_year(income_year, *PLAN[n][income_year]))
    at, wages_at = ytd[period_of(income_year, month)], ytd[period_of(income_year, wage_month)]
    return at["business"] + at["transfer"] + wages_at["wage"]


def flagged(root) -> dict[str, dict]:
    """The run's flags.csv rows by household."""
    text = (root / "out" / "exports" / "flags.csv").read_text(encoding="utf-8-sig")
    return {row["household_id"]: row for row in csv.DictReader(text.splitlines())}


def drop_reason(now: float, before: float, note: str = "") -> str:
    """SUDDEN_DROP's reason as the exports word it."""
    return f"【收入骤减】截至本月累计纯收入{note}{now:.2f}元，比上年同期{before:.2f}元减少{100 * (before - now) / before:.1f}%"


@pytest.fixture(scope="module")
def nights(prefect_harness, tmp_path_factory):
    """Three nights: as of January 2021 (festival wages in February, last year's in January), February 2021 (both
    years' in), January 2022 (this year's in January, last year's in February); each night's flags.csv, and the
    January 2021 key figures as the third night holds them (last income year's months flagged again)."""
    assert (FESTIVAL_MONTH[2020], FESTIVAL_MONTH[2021], FESTIVAL_MONTH[2022]) == (4, 5, 4)  # the test's premise
    root = tmp_path_factory.mktemp("festival")
    make_city(root)
    send_months(root, 2020, range(1, 13))
    send_months(root, 2021, range(1, 5))
    run_nightly(root, today="2021-02-10")
    january = flagged(root)
    send_months(root, 2021, [5])
    run_nightly(root, today="2021-03-10")
    february = flagged(root)
    send_months(root, 2021, range(6, 13))
    send_months(root, 2022, range(1, 5))
    run_nightly(root, today="2022-02-10")
    figures = query(root, "SELECT sum(sudden_drop_count) FROM county_month_figures WHERE period = '202101'")[0][0]
    return {"202101": january, "202102": february, "202201": flagged(root), "figures_202101": figures}


def test_a_migrant_whose_lump_moved_to_february_is_no_sudden_drop_in_january(nights):
    """January 2021's year to date lacks the lump January 2020's held: no drop, as in February when both hold it."""
    for period in ("202101", "202102", "202201"):
        assert "SUDDEN_DROP" not in nights[period].get(household_id(1), {}).get("flags", "")


def test_a_household_whose_income_halved_is_a_sudden_drop_in_the_shifted_month_too(nights):
    """Halved in 2021: flagged in January on the years to date with wages through December (the month before both
    festival months), the reason saying so and quoting those figures; in February on the plain years to date."""
    january = nights["202101"][household_id(2)]
    assert "SUDDEN_DROP" in january["flags"].split(";")
    note = "（春节务工收入本年2月、上年1月到账，工资性收入两年均计至12月）"
    assert drop_reason(compared(2, 2021, 4, 3), compared(2, 2020, 4, 3), note) in january["reasons"]
    february = nights["202102"][household_id(2)]
    assert drop_reason(compared(2, 2021, 5, 5), compared(2, 2020, 5, 5)) in february["reasons"]


def test_a_lump_that_came_earlier_this_year_does_not_hide_a_real_drop(nights):
    """Halved in 2022, its lump in January 2022 against February 2021: January 2022's year to date holds a lump
    January 2021's did not, and still the household is flagged, on wages through December."""
    row = nights["202201"][household_id(3)]
    assert "SUDDEN_DROP" in row["flags"].split(";")
    note = "（春节务工收入本年1月、上年2月到账，工资性收入两年均计至12月）"
    assert drop_reason(compared(3, 2022, 4, 3), compared(3, 2021, 4, 3), note) in row["reasons"]


def test_stable_employment_is_suggested_on_wages_compared_through_the_month_before_both_festivals(nights):
    """稳岗就业 needs wages below last year's: a household below the line whose lump only moved gets 公益岗位 in
    January 2021; one whose wages fell by 30 % gets 稳岗就业 in January 2022, though this January holds its lump."""
    kept, fell = nights["202101"][household_id(4)], nights["202201"][household_id(5)]
    assert (kept["flags"], kept["suggested_measure"]) == ("BELOW_LINE", "公益岗位")
    assert (fell["flags"], fell["suggested_measure"]) == ("BELOW_LINE", "稳岗就业")


def test_the_key_figures_count_the_same_flags(nights):
    """January 2021's SUDDEN_DROP count, made again a year later for the same-month comparison, is the flags that
    night's export listed."""
    listed = sum("SUDDEN_DROP" in row["flags"].split(";") for row in nights["202101"].values())
    assert nights["figures_202101"] == listed == 1
