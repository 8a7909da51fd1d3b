"""The marts computed a county at a time (the smallest groups) equal them computed in one group: no mart unit
depends on another county's units being computed with it."""
from __future__ import annotations

from tasks.marts import mart_keys
from tests.support.store_builder import add_correction, build_store, linear_year, rebuild_marts, settings_with

COUNTIES = ["430521", "430522", "430523"]
MARTS = ["household_months", "seasonal_shares", "calendar_sums", "calendar_wage_shifts", "calendar_shares",
         "household_month_gaps", "projection_backtest", "backtest_bands_then", "backtest_month_spreads",
         "projection_bands", "projection_accuracy",
         "household_status", "village_signals"]


def store():
    """Three counties, two villages each, four households a village, two complete income years and a third begun."""
    rows = []
    for c, county in enumerate(COUNTIES):
        for v in (1, 2):
            for h in range(1, 5):
                household = f"{county}100{v:03d}{h:04d}"
                for year, months in ((2018, 12), (2019, 12), (2020, 3)):
                    rows += linear_year(household, year, months, wage=3000.0 + 900 * h + 400 * c + 50 * year % 7,
                                        transfer=600.0 * v)
    return build_store(rows)


def marts(con) -> dict[str, list[tuple]]:
    """Every row of every mart, in order."""
    return {table: con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall() for table in MARTS}


def test_a_county_at_a_time_equals_one_group(monkeypatch):
    settings = settings_with(share_min_households=1)
    whole = store()
    rebuild_marts(whole, settings, "201912")
    calls = []
    grouped = mart_keys.county_groups
    monkeypatch.setattr(mart_keys, "GROUP_COUNTY_MONTHS", 1)
    monkeypatch.setattr(mart_keys, "county_groups", lambda units, cost: calls.append(g := grouped(units, cost)) or g)
    apart = store()
    rebuild_marts(apart, settings, "201912")
    assert any(len(groups) == len(COUNTIES) for groups in calls)
    # a group holds one county's units (household_status's are its villages')
    assert all(len({mart_keys.county_of(unit) for unit in group}) == 1
               for groups in calls for group in groups if group[0][0] != "*")
    expected = marts(whole)
    # even wages, no festival lump: no wage shifts; no missing month, no village signal; no late correction
    assert all(expected[table] for table in MARTS
               if table not in ("village_signals", "household_month_gaps", "calendar_wage_shifts", "backtest_bands_then"))
    assert marts(apart) == expected


def test_groups_hold_whole_counties_within_the_budget():
    units = [(c, p) for c in ("a", "b", "c") for p in ("201910", "201911")]
    assert mart_keys.county_groups(units, lambda unit: 50) == [units[:2], units[2:4], units[4:]]
    assert mart_keys.county_groups(units, lambda unit: 1) == [units]
    assert mart_keys.county_groups(units, lambda unit: 500) == [units[:2], units[2:4], units[4:]]


def test_a_run_failing_midway_keeps_the_groups_it_finished_and_the_next_run_does_the_rest(monkeypatch):
    import pytest

    from tasks.marts import calendars, project

    settings = settings_with(share_min_households=1)
    whole = store()
    rebuild_marts(whole, settings, "201912")
    monkeypatch.setattr(mart_keys, "GROUP_COUNTY_MONTHS", 1)  # a county per group: a transaction each
    real, calls = calendars.inserted, []

    def killed_in_second_county(con, name, params=None):
        if name == "marts/calendar_shares":
            calls.append(name)
            if len(calls) == 2:
                raise RuntimeError("killed")
        return real(con, name, params)

    con = store()
    monkeypatch.setattr(calendars, "inserted", killed_in_second_county)
    with pytest.raises(RuntimeError, match="killed"):
        project.project_household_income(con, settings)
    counties_of = lambda sql: {c for (c,) in con.execute(sql).fetchall()}  # noqa: E731
    assert counties_of("SELECT DISTINCT county_code FROM calendar_shares") == {COUNTIES[0]}
    assert counties_of("SELECT DISTINCT county_code FROM mart_keys WHERE artifact = 'calendars'") == {COUNTIES[0]}
    assert counties_of("SELECT DISTINCT county_code FROM household_months") == set(COUNTIES)  # done before
    assert not con.execute("SELECT count(*) FROM projection_bands").fetchone()[0]  # after: not begun
    monkeypatch.setattr(calendars, "inserted", real)
    rebuild_marts(con, settings, "201912")
    assert marts(con) == marts(whole)


def test_a_villages_correction_recomputes_its_households_and_no_other_villages():
    """household_status is kept by village × period: a late return of one village replaces its own rows (new
    row ids) and leaves its county's other villages' rows where they were; the result equals a rebuild."""
    settings = settings_with(share_min_households=1)
    con = store()
    rebuild_marts(con, settings, "201912")
    row_ids = """SELECT village_code, list(rowid ORDER BY rowid) FROM household_status
                 WHERE period = '201912' GROUP BY ALL ORDER BY ALL"""
    before = dict(con.execute(row_ids).fetchall())
    corrected = f"{COUNTIES[1]}100001"
    add_correction(con, corrected, "201912", 3.0)
    rebuild_marts(con, settings, "201912")
    after = dict(con.execute(row_ids).fetchall())
    assert set(after) == set(before) and len(after) == 2 * len(COUNTIES)
    assert [v for v in after if after[v] != before[v]] == [corrected]
    fresh = store()  # the same files built in one go
    add_correction(fresh, corrected, "201912", 3.0)
    rebuild_marts(fresh, settings, "201912")
    assert marts(con) == marts(fresh)


def test_household_months_are_stored_by_month_then_village():
    """A month inserted for every county at once (a night) is stored in village order, so a row group holds a few
    counties and a group of counties' statements skip the others' row groups (sql/marts/household_months.sql)."""
    from tasks.marts import project

    households = [f"{county}100{v:03d}{h:04d}" for county in COUNTIES for v in range(1, 9) for h in range(1, 301)]
    rows = [row for household in reversed(households) for row in linear_year(household, 2020, 2, wage=4000.0)]
    con = build_store(rows)
    project.project_household_income(con, settings_with(share_min_households=1))
    stored = con.execute("SELECT period, village_code FROM household_months ORDER BY rowid").fetchall()
    assert len(stored) == len(households) * 2
    assert stored == sorted(stored)
