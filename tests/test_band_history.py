"""The band scaled to each household's history (issue 17, coverage): the backtest's errors are learned as relative
error × √(history years + band_history_prior), and a household's band is that over its own √(k + prior), so a
household with more years of its own calendar gets a narrower band, a new household a wider one."""
from __future__ import annotations

import math

import numpy as np
import pytest

from core import db
from core.settings import load_settings
from povmon.synth.calendars import MIXES, QUARTER_ENDS, household_calendars, village_harvest
from tests.support.store_builder import VILLAGE, build_store, household_row, rebuild_marts, settings_with, year_periods

PROFILE = [0.05, 0.10, 0.15, 0.45, 0.60, 0.65, 0.70, 0.75, 0.80, 0.85, 0.92, 1.0]


def bent_year(n: int, year: int, last_month: int = 12) -> list[dict]:
    """A household whose wage calendar bends differently each year (so its own calendar errs)."""
    bend = ((n * 37 + year * 11) % 21 - 10) / 20
    return [household_row(f"{VILLAGE}{n:04d}", p, wage=(30000.0 + 100 * n) * s * (1 + bend * (1 - s)))
            for s, p in zip(PROFILE, year_periods(year, last_month))]


def widths(con, households: range) -> list[float]:
    """Relative band widths ((high − low) / projection) of the households given at month 3 of 2020."""
    rows = con.execute("SELECT household_id, (projected_high - projected_low) / abs(projected_per_capita) "
                       "FROM household_status WHERE period = '201912' ORDER BY household_id").fetchall()
    wanted = {f"{VILLAGE}{n:04d}" for n in households}
    return [w for h, w in rows if h in wanted]


@pytest.mark.parametrize("prior", [1.5, 0.5, tuple(3.0 - 0.25 * m for m in range(11))])
def test_a_household_with_more_history_gets_a_narrower_band_by_the_square_root_of_its_years(prior):
    rows = []
    for n in range(1, 41):      # three years of their own: 2018 and 2019 are history for 2020
        rows += bent_year(n, 2018) + bent_year(n, 2019) + bent_year(n, 2020, last_month=3)
    for n in range(41, 61):     # split off in 2019: one year of history for 2020
        rows += bent_year(n, 2019) + bent_year(n, 2020, last_month=3)
    for n in range(61, 71):     # new in 2020: no history, its village's calendar
        rows += bent_year(n, 2020, last_month=3)
    con = build_store(rows)
    rebuild_marts(con, settings_with(share_min_households=1, band_history_prior=prior, band_remaining_power=0.0),
                  "201912")
    assert con.execute("SELECT count(*) FROM projection_bands WHERE income_year = 2020").fetchall()[0][0] == 11
    two, one, new = widths(con, range(1, 41)), widths(con, range(41, 61)), widths(con, range(61, 71))
    assert len(two) == 40 and len(one) == 20 and len(new) == 10 and min(two) > 0
    assert max(two) == pytest.approx(min(two)) and max(one) == pytest.approx(min(one))  # one band per county
    march = prior if isinstance(prior, float) else prior[2]  # the prior of month 3 (December, '201912')
    assert one[0] / two[0] == pytest.approx(math.sqrt((2 + march) / (1 + march)))
    assert new[0] / two[0] == pytest.approx(math.sqrt((2 + march) / march))
    # the backtest of 2020 reads the same years of history the band was scaled with
    years = dict(con.execute("SELECT household_id, max(history_years) FROM projection_backtest "
                             "WHERE income_year = 2020 GROUP BY ALL").fetchall())
    assert years == {}  # 2020 is not complete: no backtest rows yet
    learned = dict(con.execute("SELECT household_id, max(history_years) FROM projection_backtest "
                               "WHERE income_year = 2019 GROUP BY ALL").fetchall())
    assert learned == {f"{VILLAGE}{n:04d}": int(n <= 40) for n in range(1, 61)}  # 41-60: new in 2019, no 2018


def test_the_unseen_calendar_mix_differs_from_the_demo_s_and_keeps_each_calendar_whole():
    labor, welfare = np.ones(4000, int), np.ones(4000, bool)
    made = {}
    for name in ("demo", "unseen"):
        rng = np.random.default_rng(5)
        made[name] = household_calendars(rng, labor, welfare, village_harvest(rng, MIXES[name]), MIXES[name])
    for calendars, _ in made.values():
        assert np.allclose(calendars.sum(axis=2), 1.0)
    demo, unseen = (made[n][1] for n in ("demo", "unseen"))
    assert abs(np.mean([a.startswith("festival/") for a in demo]) - 0.35) < 0.03
    assert abs(np.mean([a.startswith("festival/") for a in unseen]) - 0.20) < 0.03
    assert abs(np.mean([a.endswith("/livestock") for a in unseen]) - 0.40) < 0.03
    # 低保 paid in other months: the welfare transfer's quarterly part lands elsewhere
    demo_transfer, unseen_transfer = made["demo"][0][0, 0, :, 3], made["unseen"][0][0, 0, :, 3]
    assert 3 not in QUARTER_ENDS and demo_transfer[3] == pytest.approx(demo_transfer[1])  # January: nothing quarterly
    assert unseen_transfer[3] > unseen_transfer[1] + 0.1  # January: a quarter's 低保


def test_a_new_household_gets_the_band_of_the_new_households_backtest_errors_when_there_were_enough():
    rows = []
    for n in range(1, 41):      # history since 2018
        rows += bent_year(n, 2018) + bent_year(n, 2019) + bent_year(n, 2020, last_month=3)
    for n in range(41, 61):     # new in 2019: the 2019 backtest's new households (history years 0)
        rows += bent_year(n, 2019) + bent_year(n, 2020, last_month=3)
    for n in range(61, 71):     # new in 2020
        rows += bent_year(n, 2020, last_month=3)
    con = build_store(rows)
    rebuild_marts(con, settings_with(share_min_households=1, band_min_new_households=20, band_remaining_power=0.0),
                  "201912")
    low, high, count = con.execute(
        "SELECT quantile_cont(e, 0.1), quantile_cont(e, 0.9), count(*) FROM ("
        " SELECT (actual_per_capita - projected_per_capita) / abs(projected_per_capita) AS e FROM projection_backtest"
        " WHERE income_year = 2019 AND income_month = 3 AND history_years = 0)").fetchall()[0]
    assert count == 20 and low < 0 < high
    stored = con.execute("SELECT new_backtest_count, new_low_scaled_error, new_high_scaled_error FROM projection_bands"
                         " WHERE income_year = 2020 AND income_month = 3").fetchall()
    march = load_settings(None, environ={}).band_history_prior[2]  # the shipped prior of month 3
    assert stored == [(20, pytest.approx(low * math.sqrt(march)), pytest.approx(high * math.sqrt(march)))]
    new, one = widths(con, range(61, 71)), widths(con, range(41, 61))
    assert len(new) == 10 and new[0] == pytest.approx(high - low)  # the new households' own 10-90 % spread
    # one household short of the minimum: the county's band for everybody, scaled to no history
    rebuild_marts(con, settings_with(share_min_households=1, band_min_new_households=21, band_remaining_power=0.0),
                  "201912")
    assert con.execute("SELECT new_low_scaled_error FROM projection_bands WHERE income_year = 2020 "
                       "AND income_month = 3").fetchall() == [(None,)]
    assert widths(con, range(61, 71))[0] / widths(con, range(41, 61))[0] == pytest.approx(math.sqrt((1 + march) / march))
    assert one == widths(con, range(41, 61))  # households with history keep the county's band either way


def test_a_county_with_no_backtest_yet_gets_the_settings_default_band_by_month_and_history():
    """2019 has only 2018 to learn from and no backtest before it: every household's band is the projection ×
    the month's default scaled errors (band_default_low/high; no per-spread ones) over √(its history years +
    prior)."""
    rows = []
    for n in range(1, 21):      # 2018 is their own history
        rows += bent_year(n, 2018) + bent_year(n, 2019, last_month=9)
    for n in range(21, 26):     # new in 2019
        rows += bent_year(n, 2019, last_month=9)
    low = tuple(-0.05 * m for m in range(1, 12))
    high = tuple(0.02 * m + 0.01 for m in range(1, 12))
    con = build_store(rows)
    prior = 1.5
    rebuild_marts(con, settings_with(share_min_households=1, band_history_prior=prior, band_remaining_power=0.0,
                                     band_default_low=low, band_default_high=high, band_default_spread_low=(),
                                     band_default_spread_high=()), "201906")
    assert con.execute("SELECT count(*) FROM projection_bands WHERE income_year = 2019").fetchall()[0][0] == 0
    status = con.execute("SELECT household_id, income_month, projected_low, projected_per_capita, projected_high "
                         "FROM household_status WHERE income_year = 2019").fetchall()
    assert {m for _, m, *_ in status} == set(range(1, 10)) and len(status) == 25 * 9
    for household, month, band_low, projected, band_high in status:
        years = 1 if int(household[-4:]) <= 20 else 0
        scale = abs(projected) / math.sqrt(years + prior)
        assert band_low == pytest.approx(projected + low[month - 1] * scale)
        assert band_high == pytest.approx(projected + high[month - 1] * scale)


@pytest.mark.parametrize("entry", ["band_default_low = [-0.1, -0.1]",
                                   "band_default_high = [0.1, 0.1, 0.1, 0.1, 0.1, -0.1, 0.1, 0.1, 0.1, 0.1, 0.1]",
                                   "band_default_spread_low = [-1.0, -1.0]",
                                   "band_default_spread_high = [1.0, 1.0, 1.0, 1.0, 1.0, -1.0, 1.0, 1.0, 1.0, 1.0, 1.0]",
                                   "band_default_spread_low = []"])  # the per-spread pair: both or neither
def test_a_default_band_of_the_wrong_length_or_sign_or_half_a_pair_is_refused_by_name(tmp_path, entry):
    settings_file = tmp_path / "povmon.toml"
    settings_file.write_text(f"[projection]\n{entry}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=entry.split(" ")[0]):
        load_settings(settings_file, environ={})


def test_a_band_widens_with_the_share_of_the_projection_still_to_come():
    """The error is in what is still to come: households of one county with the same history get bands whose width
    over the projection is the same multiple of their share still to come (at least band_remaining_min)."""
    rows = []
    for n in range(1, 41):
        rows += bent_year(n, 2018) + bent_year(n, 2019) + bent_year(n, 2020, last_month=3)
    con = build_store(rows)
    rebuild_marts(con, settings_with(share_min_households=1, band_remaining_power=1.0, band_remaining_min=0.05),
                  "201912")
    rows = con.execute("SELECT (projected_high - projected_low) / abs(projected_per_capita),"
                       " greatest(1 - ytd_net_income / household_size / projected_per_capita, 0.05)"
                       " FROM household_status WHERE period = '201912'").fetchall()
    assert len(rows) == 40 and max(r for _, r in rows) > 1.05 * min(r for _, r in rows)  # the shares differ
    assert max(w for w, _ in rows) > 1.05 * min(w for w, _ in rows)                   # and so do the bands
    per_share = [w / r for w, r in rows]
    assert max(per_share) == pytest.approx(min(per_share))
    # with the power 0 every household of the county has the same relative band again
    rebuild_marts(con, settings_with(share_min_households=1, band_remaining_power=0.0), "201912")
    widths_now = [w for (w,) in con.execute("SELECT (projected_high - projected_low) / abs(projected_per_capita) "
                                            "FROM household_status WHERE period = '201912'").fetchall()]
    assert max(widths_now) == pytest.approx(min(widths_now))


@pytest.mark.parametrize(("ytd", "projected", "share"), [(50, 100, 0.5), (120, 100, 0.05), (99, 100, 0.05),
                                                         (None, 100, 1.0), (10, -5, 1.0), (10, None, 1.0)])
def test_the_share_still_to_come_is_floored_and_whole_where_the_year_to_date_or_projection_says_nothing(
        ytd, projected, share):
    con = db.connect(":memory:")  # the store's schema holds the macro
    found = con.execute("SELECT remaining_share(?::DOUBLE, ?::DOUBLE, 0.05)", [ytd, projected]).fetchall()[0][0]
    assert found == pytest.approx(share)


@pytest.mark.parametrize("entry", ["band_remaining_power = -1", "band_remaining_min = 0", "band_remaining_min = 1.5"])
def test_a_remaining_share_scaling_out_of_range_is_refused_by_name(tmp_path, entry):
    settings_file = tmp_path / "povmon.toml"
    settings_file.write_text(f"[projection]\n{entry}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="band_remaining"):
        load_settings(settings_file, environ={})


@pytest.mark.parametrize("entry", ["band_history_prior = [1.0, 1.0]", "band_history_prior = 0",
                                   "band_history_prior = [1.0, 1.0, 1.0, 1.0, 1.0, -1.0, 1.0, 1.0, 1.0, 1.0, 1.0]"])
def test_a_history_prior_of_the_wrong_length_or_not_above_zero_is_refused_by_name(tmp_path, entry):
    settings_file = tmp_path / "povmon.toml"
    settings_file.write_text(f"[projection]\n{entry}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="band_history_prior"):
        load_settings(settings_file, environ={})


def test_one_history_prior_in_a_settings_file_is_every_month_s(tmp_path):
    settings_file = tmp_path / "povmon.toml"
    settings_file.write_text("[projection]\nband_history_prior = 2\n", encoding="utf-8")
    assert load_settings(settings_file, environ={}).band_history_prior == (2.0,) * 11
    shipped = load_settings(None, environ={}).band_history_prior
    assert len(shipped) == 11 and shipped[0] > shipped[-1] > 0  # the year's level early, the calendar late


def test_the_shipped_default_band_is_eleven_months_that_narrow_to_the_year_end():
    settings = load_settings(None, environ={})
    assert len(settings.band_default_low) == len(settings.band_default_high) == 11
    # for a household earning evenly (its share still to come (12 − m) / 12, at month m) the band narrows to the end
    even = [(high - low) * max((12 - m) / 12, settings.band_remaining_min) ** settings.band_remaining_power
            for m, low, high in zip(range(1, 12), settings.band_default_low, settings.band_default_high)]
    assert even[-1] < even[3] / 4 and even[-1] < 0.1
