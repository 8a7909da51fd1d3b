"""The first year's band in proportion to the county's own year-over-year spread (issue 17, coverage): while a county
has no backtest to learn its band from, a household's band is band_default_spread_low/high × the 10–90 % spread of
the county's households' log(year to date ÷ the same month a year before), at that month, over √(k + prior); the
constant band_default_low/high where too few households have both; the backtest measures it as it was run."""
from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import pytest

from core.settings import load_settings
from tasks.ingest.load import refresh_every_current_file
from tasks.ingest.scope import Scope
from tasks.marts import flag, project
from tests.support.store_builder import VILLAGE, build_store, linear_year, rebuild_marts, settings_with, year_periods
from tests.test_band_history import bent_year

SHIPPED = load_settings(None, environ={})
MOVED = {2018: date(2018, 2, 16), 2019: date(2019, 2, 5)}    # wages in February 2018, January 2019 (10 days ahead)
STILL = {2018: date(2018, 2, 16), 2019: date(2019, 2, 18)}   # February both years

PER_SPREAD_LOW = tuple(-1.0 - 0.1 * m for m in range(1, 12))
PER_SPREAD_HIGH = tuple(0.5 + 0.2 * m for m in range(1, 12))
CONSTANT_LOW, CONSTANT_HIGH = (-0.2,) * 11, (0.3,) * 11
OTHER_VILLAGE = "430521100002"  # the same county


def first_year_settings(**changes):
    """Settings with known defaults, no remaining-share scaling and one history prior for every month."""
    chosen = {"band_default_spread_low": PER_SPREAD_LOW, "band_default_spread_high": PER_SPREAD_HIGH, **changes}
    return settings_with(share_min_households=1, band_history_prior=1.5, band_remaining_power=0.0,
                         band_default_low=CONSTANT_LOW, band_default_high=CONSTANT_HIGH, **chosen)


def festival_income_month(day: date) -> int:
    """The month of the income year (October = 1) the festival wages arrive in: the festival less the lead days."""
    return ((day - timedelta(days=SHIPPED.festival_lead_days)).month + 2) % 12 + 1


def measured_month(month: int, festival: dict[int, date]) -> int:
    """The month a 2019 month's spread is measured at: before the earlier festival month where the two years'
    years to date differ by the festival's wages (between the two festival months), else the month itself."""
    this, last = festival_income_month(festival[2019]), festival_income_month(festival[2018])
    return min(this, last) - 1 if min(this, last) <= month < max(this, last) else month


def expected_spread(households: range, month: int) -> float:
    """The 10–90 % spread of log(2019's year to date ÷ 2018's) at a month, from the rows bent_year made (size 4)."""
    def ytd(n: int, year: int) -> float:
        return bent_year(n, year)[month - 1]["wage_income"]
    changes = [math.log(ytd(n, 2019) / ytd(n, 2018)) for n in households]
    return float(np.quantile(changes, 0.9) - np.quantile(changes, 0.1))  # linear, as quantile_cont


def store_with_first_year(last_month: int):
    """40 households with 2018 behind them and 2019 up to last_month, 5 new in 2019."""
    rows = []
    for n in range(1, 41):
        rows += bent_year(n, 2018) + bent_year(n, 2019, last_month=last_month)
    for n in range(41, 46):
        rows += bent_year(n, 2019, last_month=last_month)
    return build_store(rows)


@pytest.mark.parametrize("festival", [MOVED, STILL])
def test_a_county_s_first_year_band_is_the_per_spread_default_times_its_year_over_year_spread(festival):
    """...measured at the month itself, but where the Spring Festival moved (its wages in January one year, February
    the other), at the month before both: a January that holds the wages against one that does not."""
    con = store_with_first_year(last_month=9)
    rebuild_marts(con, first_year_settings(spring_festival=festival), "201906")
    assert con.execute("SELECT count(*) FROM projection_bands WHERE income_year = 2019").fetchall()[0][0] == 0
    status = con.execute("SELECT household_id, income_month, projected_low, projected_per_capita, projected_high "
                         "FROM household_status WHERE income_year = 2019").fetchall()
    assert len(status) == 45 * 9
    spreads = {m: expected_spread(range(1, 41), measured_month(m, festival)) for m in range(1, 10)}
    assert min(spreads.values()) > 0.01  # the households' years differ from their last
    assert (measured_month(4, festival) == 3) == (festival is MOVED)
    for household, month, band_low, projected, band_high in status:
        years = 1 if int(household[-4:]) <= 40 else 0  # the new households: no history, the county's spread still
        scale = abs(projected) * spreads[month] / math.sqrt(years + 1.5)
        assert band_low == pytest.approx(projected + PER_SPREAD_LOW[month - 1] * scale)
        assert band_high == pytest.approx(projected + PER_SPREAD_HIGH[month - 1] * scale)


def test_a_correction_of_the_month_a_spread_is_measured_at_moves_the_band_it_stands_for():
    """January's band (festival moved) is measured at December: December's returns read again into other figures
    recompute January's band too, as a rebuild from scratch has it."""
    settings = first_year_settings(spring_festival=MOVED)
    kept = store_with_first_year(last_month=5)
    rebuild_marts(kept, settings, "201902")
    before = kept.execute("SELECT projected_low FROM household_status WHERE income_month = 4 ORDER BY household_id"
                          ).fetchall()
    changed = "UPDATE return_rows SET wage_income = wage_income * (1 + (hash(household_id) % 7) / 10) WHERE period = '201812'"
    kept.execute(changed).fetchall()
    project.project_household_income(kept, settings, Scope(village=VILLAGE))
    flag.flag_households(kept, settings, "201902")
    scratch = store_with_first_year(last_month=5)
    scratch.execute(changed).fetchall()
    rebuild_marts(scratch, settings, "201902")
    bands = "SELECT household_id, income_month, projected_low, projected_high FROM household_status ORDER BY ALL"
    assert kept.execute(bands).fetchall() == scratch.execute(bands).fetchall()
    assert kept.execute("SELECT projected_low FROM household_status WHERE income_month = 4 ORDER BY household_id"
                        ).fetchall() != before


def two_villages_first_year() -> list[dict]:
    """Two villages of one county, 20 households each, with 2018 behind them and 2019 up to December, their years
    differing from their last by household."""
    rows = []
    for village in (VILLAGE, OTHER_VILLAGE):
        for n in range(1, 21):
            growth = 0.8 + 0.02 * n + (0.1 if village == OTHER_VILLAGE else 0.0)
            rows += linear_year(f"{village}{n:04d}", 2018, wage=20000.0 + 300 * n)
            rows += linear_year(f"{village}{n:04d}", 2019, last_month=3, wage=20000.0 * growth + 300 * n)
    return rows


def test_a_village_s_first_year_band_follows_its_county_s_spread_when_another_village_sends_the_month_later():
    """A first-year band is × the county's spread at the month, measured on every village's households. One village's
    December alone is too few households (20 < 30): the constant default. When the other village's December comes a
    night later the county has 40, and the first village's bands are the spread's too, as a rebuild has them."""
    settings = first_year_settings()
    kept = build_store(two_villages_first_year())
    held = "FROM source_files WHERE village_code = '430521100002' AND period = '201812'"
    kept.execute(f"CREATE TEMP TABLE held_files AS SELECT * {held}").fetchall()
    kept.execute("CREATE TEMP TABLE held_rows AS SELECT * FROM return_rows SEMI JOIN held_files USING (file_id)"
                 ).fetchall()
    kept.execute("DELETE FROM return_rows WHERE file_id IN (SELECT file_id FROM held_files)").fetchall()
    kept.execute(f"DELETE {held}").fetchall()
    refresh_every_current_file(kept)
    rebuild_marts(kept, settings, "201812")
    kept.execute("INSERT INTO source_files SELECT * REPLACE (2 AS ingest_run_id) FROM held_files").fetchall()
    refresh_every_current_file(kept)
    kept.execute("INSERT INTO return_rows SELECT * FROM held_rows").fetchall()
    rebuild_marts(kept, settings, "201812")
    scratch = build_store(two_villages_first_year())
    rebuild_marts(scratch, settings, "201812")
    bands = ("SELECT household_id, projected_per_capita, projected_low, projected_high FROM household_status "
             "WHERE period = '201812' ORDER BY household_id")
    rebuilt = scratch.execute(bands).fetchall()
    assert len(rebuilt) == 40
    assert kept.execute(bands).fetchall() == rebuilt
    low, projected = rebuilt[0][2], rebuilt[0][1]  # the first village's first household: the spread's band
    spread = kept.execute("""SELECT quantile_cont(c, 0.9) - quantile_cont(c, 0.1) FROM (
                                 SELECT ln(m.ytd_net_income / l.ytd_net_income) AS c FROM household_months m
                                 JOIN household_months l ON l.household_id = m.household_id AND l.period = '201712'
                                 WHERE m.period = '201812')""").fetchall()[0][0]
    assert low == pytest.approx(projected + PER_SPREAD_LOW[2] * spread * abs(projected) / math.sqrt(2.5))


def test_with_fewer_households_to_measure_the_spread_on_than_the_minimum_the_constant_default_holds():
    con = store_with_first_year(last_month=3)
    rebuild_marts(con, first_year_settings(band_spread_min_households=41), "201812")
    rows = con.execute("SELECT household_id, income_month, projected_low, projected_per_capita "
                       "FROM household_status WHERE income_year = 2019").fetchall()
    assert len(rows) == 45 * 3
    for household, month, band_low, projected in rows:
        years = 1 if int(household[-4:]) <= 40 else 0
        assert band_low == pytest.approx(projected + CONSTANT_LOW[month - 1] * abs(projected) / math.sqrt(years + 1.5))
    rebuild_marts(con, first_year_settings(band_spread_min_households=40), "201812")  # 40 is enough
    spread = expected_spread(range(1, 41), 3)
    low, projected = con.execute("SELECT projected_low, projected_per_capita FROM household_status "
                                 "WHERE household_id = ? AND income_month = 3", [f"{VILLAGE}0001"]).fetchall()[0]
    assert low == pytest.approx(projected + PER_SPREAD_LOW[2] * spread * abs(projected) / math.sqrt(2.5))


def test_the_backtest_measures_the_first_year_s_coverage_with_the_spread_as_each_month_was_run():
    rows = []
    for n in range(1, 41):
        rows += bent_year(n, 2018) + bent_year(n, 2019) + bent_year(n, 2020, last_month=1)
    con = build_store(rows)
    # narrow enough that some actuals fall outside (at month 4, measured at month 3, a little wider)
    narrow_low = tuple(-0.3 if m == 4 else -0.1 for m in range(1, 12))
    narrow_high = tuple(0.3 if m == 4 else 0.1 for m in range(1, 12))
    rebuild_marts(con, first_year_settings(band_default_spread_low=narrow_low, band_default_spread_high=narrow_high,
                                           spring_festival=MOVED), "201910")
    backtest = con.execute("SELECT income_month, projected_per_capita, actual_per_capita, ytd_per_capita, history_years "
                           "FROM projection_backtest WHERE income_year = 2019").fetchall()
    assert len(backtest) == 40 * 11
    measured = dict(con.execute("SELECT month, coverage FROM projection_accuracy "
                                "WHERE income_year = 2019 AND method = 'seasonal'").fetchall())
    for month in range(1, 12):
        spread = expected_spread(range(1, 41), measured_month(month, MOVED))  # month 4: at month 3
        inside = []
        for m, projected, actual, _ytd, years in backtest:
            if m == month:
                scale = abs(projected) * spread / math.sqrt(years + 1.5)
                inside.append(projected + narrow_low[m - 1] * scale <= actual <= projected + narrow_high[m - 1] * scale)
        assert measured[month] == pytest.approx(sum(inside) / len(inside))
    assert 0 < measured[1] < 1  # a band that holds some actuals and not others
    assert 0 < measured[4] < 1  # ... at the month measured at the month before the festivals (month 4 at month 3)


def year_with_leavers(last_month: int) -> list[dict]:
    """40 households with 2018 behind them and 2019 up to last_month; 10 more whose 2019 runs at 1.6 times their
    2018 and who leave before September (their village's return lists them up to May)."""
    rows = []
    for n in range(1, 41):
        rows += bent_year(n, 2018) + bent_year(n, 2019, last_month=last_month)
    for n in range(41, 51):
        rows += bent_year(n, 2018) + [row | {"wage_income": 1.6 * row["wage_income"]}
                                      for row in bent_year(n, 2019, last_month=min(last_month, 8))]
    return rows


@pytest.mark.parametrize("month", [3, 6])
def test_the_backtest_measures_the_first_year_band_the_pipeline_showed_with_households_that_left_before_september(
        month):
    """Coverage is the share of year-end actuals inside the band shown at the month. A first-year band is × the
    county's spread over every household of the month as run, those that left before September too: the backtest
    measures that band, not one whose spread forgot them."""
    settings = first_year_settings(band_default_spread_low=(-0.25,) * 11, band_default_spread_high=(0.25,) * 11)
    then = build_store(year_with_leavers(last_month=month))
    rebuild_marts(then, settings, year_periods(2019)[month - 1])
    shown = {h: (low, high) for h, low, high in then.execute(
        "SELECT household_id, projected_low, projected_high FROM household_status WHERE income_month = ?", [month]
    ).fetchall()}
    assert len(shown) == 50
    complete = build_store(year_with_leavers(last_month=12))
    rebuild_marts(complete, settings, "201909")
    actuals = complete.execute("SELECT household_id, actual_per_capita FROM projection_backtest "
                               "WHERE income_year = 2019 AND income_month = ?", [month]).fetchall()
    assert len(actuals) == 40
    inside = [shown[h][0] <= actual <= shown[h][1] for h, actual in actuals]
    assert 0 < sum(inside) < len(inside)  # a band that holds some actuals and not others
    coverage = complete.execute("SELECT coverage FROM projection_accuracy WHERE income_year = 2019 AND month = ? "
                                "AND method = 'seasonal'", [month]).fetchall()[0][0]
    assert coverage == pytest.approx(sum(inside) / len(inside))


def test_the_shipped_per_spread_defaults_are_eleven_months_around_zero():
    settings = load_settings(None, environ={})
    assert len(settings.band_default_spread_low) == len(settings.band_default_spread_high) == 11
    assert all(low < 0 < high for low, high in zip(settings.band_default_spread_low, settings.band_default_spread_high))
