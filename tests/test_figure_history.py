"""county_month_figures: every key-figure card of a store holding 13+ months carries its change from last month and
from the same month last year, equal to that month's figures computed independently (the month flagged on its own
store, household_status counted directly); the same rows whether the runs went month by month or the store was
bootstrapped at once, and recomputed when a past month's file is corrected."""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from core import db
from tasks.report.data import fetch_dicts
from tasks.report.changes import signed
from tasks.report.history import record_figures
from tasks.report.pages import render_reports
from tests.support.store_builder import build_store, linear_year, rebuild_marts, settings_with

SETTINGS = settings_with(share_min_households=1)
COUNTY, OTHER = "430521", "430522"
# household -> (income year 2019 keyword arguments or None, income year 2020 ones); amounts are year totals
HOUSEHOLDS = {
    "4305211000010001": (dict(wage=15000.0), dict(wage=30000.0)),                       # below, then lifted
    "4305211000010002": (dict(wage=20000.0), dict(wage=12000.0)),                       # near, then below + drop
    "4305211000010003": (dict(wage=60000.0, housing_safe=False), dict(wage=60000.0)),   # a gap, then none
    "4305211000010004": (None, dict(wage=10000.0, household_type="监测户")),             # new in 2020, below
    "4305211000020001": (dict(wage=100000.0), dict(wage=100000.0)),
    "4305211000020002": (dict(wage=16000.0, household_type="监测户"), dict(wage=16000.0, household_type="监测户")),
    "4305221000010001": (dict(wage=9000.0), dict(wage=9000.0)),                         # another county
}
FIGURES = ["households_count", "flagged_count", "below_line_count", "near_line_count", "sudden_drop_count",
           "unstable_lifted_count", "guarantee_gap_count"]
LABELS = dict(zip(FIGURES, ["监测户数", "标记户", "低于监测线", "临界边缘", "收入骤减", "脱贫不稳定", "三保障及饮水问题"]))


def rows(last_month_2020: int = 3, corrected: float | None = None) -> list[dict]:
    """Return rows: all of income year 2019 (Oct 2018 – Sep 2019) and 2020 up to a month; corrected: another
    2019 wage for the first household (a corrected return of every month)."""
    found = []
    for hid, (last_year, this_year) in HOUSEHOLDS.items():
        if last_year is not None:
            if corrected is not None and hid.endswith("10001"):
                last_year = {**last_year, "wage": corrected}
            found += linear_year(hid, 2019, **{"household_type": "脱贫户", **last_year})
        found += linear_year(hid, 2020, last_month=last_month_2020, **{"household_type": "脱贫户", **this_year})
    return found


def run(con, as_of: str) -> None:
    """The projection, flag and record steps of a run, as the nightly flow does them."""
    rebuild_marts(con, SETTINGS, as_of)
    record_figures(con, SETTINGS, as_of)


@cache  # each month's own store is built once for the module
def flagged_alone(period: str) -> dict[str, dict[str, int]]:
    """A month's figures computed independently: the month flagged as the as-of month of its own store, and its
    household_status rows counted here, by county."""
    con = build_store(rows())
    rebuild_marts(con, SETTINGS, period)
    found = con.execute("""
        SELECT county_code, count(*), count(*) FILTER (WHERE flags <> ''), count(*) FILTER (WHERE is_below_line),
               count(*) FILTER (WHERE is_near_line), count(*) FILTER (WHERE is_sudden_drop),
               count(*) FILTER (WHERE is_unstable_lifted), count(*) FILTER (WHERE has_guarantee_gap)
        FROM household_status WHERE period = ? GROUP BY county_code""", [period]).fetchall()
    return {r[0]: dict(zip(FIGURES, r[1:])) for r in found}


def table(con, periods: list[str]) -> list[tuple]:
    """county_month_figures rows of these periods, keys left out."""
    return con.execute("SELECT * EXCLUDE (unit_key) FROM county_month_figures WHERE list_contains(?, period) "
                       "ORDER BY ALL", [periods]).fetchall()


def cards(page: Path, section: str = "figures") -> dict[str, list[str]]:
    """The key-figure cards of a page's section: label -> notes."""
    html = page.read_text(encoding="utf-8")
    found = re.findall(r'<div class="card[^"]*"><div class="label">([^<]+)</div>(.*?)</div>(?=<div class="card|\n</div>)',
                       html[html.index(f'<section id="{section}">'):], re.S)
    return {label: re.findall(r'<div class="sub">([^<]+)</div>', body) for label, body in found}


@pytest.fixture(scope="module")
def bootstrapped(tmp_path_factory):
    """A store of 15 months run once, as of 201912 (October–December of income year 2020), and its pages."""
    con = build_store(rows())
    run(con, "201912")
    out = render_reports(con, tmp_path_factory.mktemp("pages"), "201912", 1, SETTINGS)
    return con, out


def test_every_card_carries_the_change_from_the_same_month_last_year_as_computed_alone(bootstrapped):
    con, out = bootstrapped
    now, year_ago = flagged_alone("201912")[COUNTY], flagged_alone("201812")[COUNTY]
    assert now != year_ago  # the comparison is not trivially equal
    shown = cards(out["counties"][COUNTY])
    assert set(LABELS.values()) <= set(shown)
    for key, label in LABELS.items():
        expected = f"较上年同期 {signed(now[key] - year_ago[key], '户')}"
        assert any(note.startswith(expected) for note in shown[label]), (label, expected, shown[label])
        if key != "households_count":  # with the change of the share of households
            change = now[key] / now["households_count"] - year_ago[key] / year_ago["households_count"]
            assert f"{expected}（{signed(change * 100, '个百分点', 1)}）" in shown[label]
    assert all("无可比数据" not in note for notes in shown.values() for note in notes), shown
    assert "较上年同期" in " ".join(shown["本月报送村"])


def test_the_city_page_carries_the_changes_of_its_counties_summed(bootstrapped):
    _, out = bootstrapped
    now, year_ago = flagged_alone("201912"), flagged_alone("201812")
    shown = cards(out["index"], "totals")
    for key, label in LABELS.items():
        change = sum(now[c][key] - year_ago[c][key] for c in (COUNTY, OTHER))
        assert any(note.startswith(f"较上年同期 {signed(change, '户')}") for note in shown[label]), (label, shown[label])
    assert all("无可比数据" not in note for notes in shown.values() for note in notes), shown
    html = out["index"].read_text(encoding="utf-8")
    below = now[COUNTY]["below_line_count"] - year_ago[COUNTY]["below_line_count"]
    assert f"<small>较上年同期 {signed(below, '户')}" in html  # the county table: the change beside the share


def test_october_compares_with_september_and_the_trend_with_last_years_months(tmp_path):
    con = build_store(rows(last_month_2020=1))
    run(con, "201910")
    september = flagged_alone("201909")[COUNTY]
    shown = cards(render_reports(con, tmp_path, "201910", 1, SETTINGS)["counties"][COUNTY])
    now = flagged_alone("201910")[COUNTY]
    assert f"较上月 {signed(now['below_line_count'] - september['below_line_count'], '户')}" in " ".join(shown["低于监测线"])
    assert all("无可比数据" not in note for notes in shown.values() for note in notes), shown
    trend = [(r["income_month"], r["last_year_below_line_share"]) for r in fetch_dicts(
        con, "reports/flag_trend", {"period": "201910", "county_codes": [COUNTY]}, db.relations(con))]
    assert [m for m, _ in trend] == list(range(1, 13)) and all(v is not None for _, v in trend)
    march = flagged_alone("201903")[COUNTY]
    assert trend[5][1] == pytest.approx(march["below_line_count"] / march["households_count"])


def test_month_by_month_runs_and_a_bootstrapped_store_hold_the_same_figures(bootstrapped):
    stepwise = build_store(rows())
    for period in ("201812", "201906", "201909", "201910", "201912"):
        run(stepwise, period)
    periods = [f"{y}{m:02d}" for y, m in [(2018, 10), (2018, 11), (2018, 12)] + [(2019, m) for m in range(1, 13)]]
    assert table(stepwise, periods) == table(bootstrapped[0], periods)
    assert len(table(stepwise, periods)) == 2 * 15
    assert record_figures(stepwise, SETTINGS, "201912") == 0  # nothing changed: nothing recomputed
    assert stepwise.execute("SELECT count(*) FROM household_status WHERE income_year = 2019").fetchall() == [(0,)]


def test_last_years_figures_follow_a_change_of_its_line_and_a_lost_month_is_made_again():
    con = build_store(rows())
    run(con, "201912")
    lower = settings_with(share_min_households=1, lines={**SETTINGS.lines, 2019: 5500.0})  # 4000 and 5000 a head: below
    rebuild_marts(con, lower, "201912")
    assert record_figures(con, lower, "201912") == 2 * 15  # every month's key names the settings
    con.execute("DELETE FROM county_month_figures WHERE period = '201811' AND county_code = ?", [COUNTY])  # lost: made again
    assert record_figures(con, lower, "201912") == 1
    alone = build_store(rows())
    rebuild_marts(alone, lower, "201812")
    below = alone.execute("SELECT count(*) FILTER (WHERE is_below_line) FROM household_status "
                          "WHERE period = '201812' AND county_code = ?", [COUNTY]).fetchall()[0][0]
    assert con.execute("SELECT below_line_count FROM county_month_figures WHERE county_code = ? AND period = '201812'",
                       [COUNTY]).fetchall() == [(below,)]
    assert below > flagged_alone("201812")[COUNTY]["below_line_count"]


def test_a_county_at_a_time_holds_the_same_figures(bootstrapped, monkeypatch):
    from tasks.marts import mart_keys

    con, _ = bootstrapped
    groups = []
    split = mart_keys.county_groups
    monkeypatch.setattr(mart_keys, "GROUP_COUNTY_MONTHS", 1)  # the past year's months flagged a county at a time
    monkeypatch.setattr(mart_keys, "county_groups", lambda units, cost: groups.append(g := split(units, cost)) or g)
    apart = build_store(rows())
    run(apart, "201912")
    assert any(len(found) > 1 for found in groups)
    periods = [f"{y}{m:02d}" for y in (2018, 2019) for m in range(1, 13)]
    assert table(apart, periods) == table(con, periods) != []


def test_months_flagged_only_to_be_counted_have_the_same_flags_without_their_text():
    from tasks.marts import calendars, flag, mart_keys, project

    con = build_store(rows())
    rebuild_marts(con, SETTINGS, "201912")  # October–December of income year 2020, with their text
    text = ["head_name", "head_id_number", "reasons", "page_reasons", "suggested_measure", "risk_causes",
            "guarantee_gaps"]
    kept = f"SELECT * EXCLUDE ({', '.join(text)}) FROM household_status ORDER BY ALL"
    counted = f"SELECT {', '.join(f'count({c})' for c in text)} FROM household_status"
    with_text = con.execute(kept).fetchall()
    assert all(con.execute(counted).fetchall()[0][:5])  # names, reasons and measures were written
    units = dict.fromkeys(con.execute("SELECT DISTINCT county_code, period FROM household_status").fetchall(), "")
    con.execute("DELETE FROM household_status")
    mart_keys.register_units(con, units)
    project.register_settings(con, SETTINGS, [2019, 2020])
    calendars.project_periods(con, SETTINGS)
    assert flag.insert_status(con, SETTINGS, 2020, with_text=False) == len(with_text) > 0
    assert con.execute(kept).fetchall() == with_text  # every flag and figure as before
    assert con.execute(counted).fetchall() == [(0,) * len(text)]
