"""The projection by each household's own calendar (issue 17): moving festival lumps, quarterly payments not yet
made, new households, shrinkage of thin history, and a backtest that knows only what each month knew of its own
year (its earlier years: tests/test_backtest_then.py)."""
from __future__ import annotations

import pytest

from tasks.ingest.load import refresh_every_current_file
from tasks.marts import mart_keys, project
from tests.support.store_builder import (VILLAGE, add_correction, build_store, household_row, linear_year,
                                         rebuild_marts, settings_with, status_of, year_periods)

OTHER_VILLAGE = "430521100002"  # the same county
HARVEST = [0.0, 0.0, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 1.0]  # most of the year's business in December
EVEN = [m / 12 for m in range(1, 13)]


def festival_year(household_id: str, income_year: int, festival_month: int, last_month: int = 12) -> list[dict]:
    """A migrant household: 2000 a month, and 24000 brought home in the Spring Festival month (48000 a year)."""
    rows = []
    for m, period in enumerate(year_periods(income_year, last_month), start=1):
        rows.append(household_row(household_id, period, wage=2000.0 * m + (24000.0 if m >= festival_month else 0.0)))
    return rows


def profile_rows(household_id: str, income_year: int, profile, last_month: int = 12, **annual) -> list[dict]:
    """Rows of a household whose business follows profile (shares reached by each month)."""
    business = annual.pop("business", 0.0)
    return [household_row(household_id, p, business=business * profile[m], **annual)
            for m, p in enumerate(year_periods(income_year, last_month))]


@pytest.mark.parametrize("with_festival_table", [True, False])
def test_a_lump_that_moves_from_february_to_january_is_recognised(with_festival_table):
    """2018's Spring Festival wages came in February, 2019's in January (default settings' table): in January 2019
    the lump is in, and the projection is about the year's 48000, not the lump over January's usual share."""
    rows = festival_year(f"{VILLAGE}0001", 2018, festival_month=5)
    rows += festival_year(f"{VILLAGE}0001", 2019, festival_month=4, last_month=4)
    con = build_store(rows)
    settings = settings_with(share_min_households=1)
    if not with_festival_table:
        settings = settings_with(share_min_households=1, spring_festival={})
    rebuild_marts(con, settings, "201901")
    projected = status_of(con, "201901")[f"{VILLAGE}0001"]["projected_per_capita"]
    if with_festival_table:
        assert projected == pytest.approx(48000.0 / 4, rel=0.06)
    else:  # the calendar expects January's 1/6 of the year: the lump read as a windfall
        assert projected > 1.5 * 48000.0 / 4


def test_a_quarterly_subsidy_not_yet_paid_is_not_a_drop():
    """低保 paid at the end of each quarter: in November nothing has come yet, as last year; the year is last
    year's (12000 for two people), where 12/month would put the household far below the line."""
    quarterly = [0, 0, 0.25, 0.25, 0.25, 0.5, 0.5, 0.5, 0.75, 0.75, 0.75, 1.0]
    rows = []
    for year, last in ((2019, 12), (2020, 2)):
        rows += [household_row(f"{VILLAGE}0001", p, wage=4000.0 * EVEN[m], transfer=8000.0 * quarterly[m], size=2)
                 for m, p in enumerate(year_periods(year, last))]
    con = build_store(rows)
    rebuild_marts(con, settings_with(share_min_households=1), "201911")
    row = status_of(con, "201911")[f"{VILLAGE}0001"]
    assert row["projected_per_capita"] == pytest.approx(6000.0)
    assert "BELOW_LINE" not in row["flags"] and "SUDDEN_DROP" not in row["flags"]


def test_a_new_household_gets_its_villages_calendar():
    """Two villages of one county: one's business comes at the December harvest, the other's evenly. A household
    new in 2020 is projected by its own village's calendar, shrunk toward the county's."""
    rows = []
    for n in range(1, 31):
        rows += profile_rows(f"{VILLAGE}{n:04d}", 2019, HARVEST, business=20000.0)
        rows += profile_rows(f"{OTHER_VILLAGE}{n:04d}", 2019, EVEN, business=20000.0)
    rows += [household_row(f"{v}0099", "201912", business=6000.0) for v in (VILLAGE, OTHER_VILLAGE)]
    con = build_store(rows)
    settings = settings_with(share_min_households=1)
    rebuild_marts(con, settings, "201912")
    status = status_of(con, "201912")
    county = (0.6 + 0.25) / 2  # the county's median over 60 household-years, half of each village
    k = settings.village_prior_years
    for village, own in ((VILLAGE, 0.6), (OTHER_VILLAGE, 0.25)):
        share = (30 * own + k * county) / (30 + k)
        assert status[f"{village}0099"]["projected_per_capita"] == pytest.approx(6000.0 / share / 4)
    assert status[f"{VILLAGE}0099"]["projected_per_capita"] < status[f"{OTHER_VILLAGE}0099"]["projected_per_capita"]


def test_households_without_a_component_do_not_teach_its_calendar_that_nothing_comes():
    """Half a village earns wages evenly through the year, half earns none (a 低保 household's transfer only). A
    wage calendar is learned from the years that had wages: by March half the year's wages have come. A household new
    in 2019 earning 1000 a month is projected at its 12000 (3000 per head, below the line), not at twice that, as
    if the wage-less households' zeros said only a quarter had come."""
    rows = []
    for n in range(1, 11):
        wage = {"wage": 24000.0} if n <= 5 else {"transfer": 8000.0}
        rows += linear_year(f"{VILLAGE}{n:04d}", 2018, **wage)
    rows += linear_year(f"{VILLAGE}0099", 2019, last_month=6, wage=12000.0)
    con = build_store(rows)
    rebuild_marts(con, settings_with(share_min_households=1), "201903")
    row = status_of(con, "201903")[f"{VILLAGE}0099"]
    assert row["projected_per_capita"] == pytest.approx(12000.0 / 4)
    assert "BELOW_LINE" in row["flags"]


def test_a_new_household_of_a_village_without_history_takes_the_county_s_calendar_with_its_lump_moved():
    """A village with no history has the county's calendar (README "Projection": a new household takes its village's,
    shrunk toward the county's, the median of its households' own). In January 2019 (a January festival; 2018's
    was in February) a new household of a new village has its festival wages in, as one of an old village: both
    are projected from the county's calendar with the lump moved to January, not from a curve that expects it in
    February and reads it as a windfall."""
    new_village = OTHER_VILLAGE
    rows = []
    for n in range(1, 31):
        rows += festival_year(f"{VILLAGE}{n:04d}", 2018, festival_month=5)
    rows += festival_year(f"{VILLAGE}0099", 2019, festival_month=4, last_month=4)
    rows += festival_year(f"{new_village}0001", 2019, festival_month=4, last_month=4)
    con = build_store(rows)
    rebuild_marts(con, settings_with(), "201901")
    status = status_of(con, "201901")
    share = (2000.0 * 5 + 24000.0) / 48000.0  # 2018's share by February, its lump month, moved to January
    ytd = 2000.0 * 4 + 24000.0
    assert status[f"{VILLAGE}0099"]["projected_per_capita"] == pytest.approx(ytd / share / 4)
    assert status[f"{new_village}0001"]["projected_per_capita"] == pytest.approx(ytd / share / 4)


def test_thin_household_history_is_shrunk_toward_its_village():
    """One year of its own, even, calendar weighs 1 against household_prior_years of its village's (harvest)."""
    rows = []
    for n in range(1, 30):
        rows += profile_rows(f"{VILLAGE}{n:04d}", 2019, HARVEST, business=20000.0)
    rows += profile_rows(f"{VILLAGE}0099", 2019, EVEN, business=20000.0)
    rows += profile_rows(f"{VILLAGE}0099", 2020, EVEN, last_month=3, business=20000.0)
    con = build_store(rows)
    settings = settings_with(share_min_households=1, village_prior_years=0.0)
    rebuild_marts(con, settings, "201912")
    village = (29 * 0.6 + 0.25) / 30
    k = settings.household_prior_years
    share = (1 * 0.25 + k * village) / (1 + k)
    ytd, last, blend = 5000.0, 20000.0, settings.last_year_weight
    expected = ytd + (1 - share) * (ytd + blend * last) / (share + blend)
    assert status_of(con, "201912")[f"{VILLAGE}0099"]["projected_per_capita"] == pytest.approx(expected / 4)


def backtest_at(con, income_year: int, month: int) -> list[tuple]:
    """The backtest's projections at one month of a year, by household."""
    return con.execute("""SELECT household_id, projected_per_capita, county_per_capita, naive_per_capita
                          FROM projection_backtest WHERE income_year = ? AND income_month = ?
                          ORDER BY household_id""", [income_year, month]).fetchall()


def test_a_later_correction_does_not_change_an_earlier_months_backtest():
    rows = []
    for n in range(1, 6):
        for year in (2018, 2019):
            rows += linear_year(f"{VILLAGE}{n:04d}", year, wage=20000.0 + 1000 * n)
    con = build_store(rows)
    settings = settings_with(share_min_households=1)
    project.project_household_income(con, settings)
    before = backtest_at(con, 2019, 6)
    assert len(before) == 5
    add_correction(con, VILLAGE, "201903", 3.0)
    project.project_household_income(con, settings)
    assert backtest_at(con, 2019, 6) == before
    corrected = con.execute("SELECT wage_income FROM household_months WHERE household_id = ? AND period = '201903'",
                            [f"{VILLAGE}0001"]).fetchall()
    assert corrected == [(21000.0 * 6 / 12 * 3,)]  # the production figures take the correction


def test_the_backtest_reports_band_coverage_for_the_seasonal_method():
    rows = []
    for n in range(1, 21):
        for year in (2018, 2019, 2020):
            rows += linear_year(f"{VILLAGE}{n:04d}", year, wage=20000.0 * (1 + 0.01 * ((n * 7 + year) % 13)))
    con = build_store(rows)
    project.project_household_income(con, settings_with(share_min_households=1))
    coverage = con.execute("SELECT method, min(coverage), max(coverage) FROM projection_accuracy GROUP BY method "
                           "ORDER BY method").fetchall()
    assert [c[0] for c in coverage] == ["county_shares", "naive", "seasonal"]
    assert coverage[0][1:] == (None, None) and coverage[1][1:] == (None, None)
    assert 0.0 <= coverage[2][1] <= coverage[2][2] <= 1.0


def test_a_new_years_calendars_are_made_a_month_at_a_time_as_its_months_arrive():
    """A new income year's first month makes that month's calendars only (not the year's twelve: a province's
    first-of-year increment paid 30 s for them); a store holding the next month too makes both, its first month's
    the same as those made alone."""
    con, settings = three_years_and_october()
    calendars_of = lambda c: c.execute("SELECT * FROM calendar_shares WHERE income_year = 2021 "  # noqa: E731
                                       "ORDER BY ALL").fetchall()
    october = calendars_of(con)
    assert {row[2] for row in october} == {1}  # income_month: October only
    rows = [household_row(f"{VILLAGE}000{n}", "202011", wage=6000.0) for n in range(1, 9)]
    both = build_store(three_years_and_october_rows() + rows)
    rebuild_marts(both, settings, "202011")
    both_months = calendars_of(both)
    assert {row[2] for row in both_months} == {1, 2}
    assert [row for row in both_months if row[2] == 1] == october  # a month's calendar alone = made with others
    assert len([row for row in both_months if row[2] == 2]) == len(october)


def three_years_and_october_rows() -> list[dict]:
    """Three complete years (festival lumps in February, January, January; harvests; a new household in 2020) and
    October 2020."""
    rows = []
    for n, festival in ((1, 5), (2, 4), (3, 5)):
        for year, month in ((2018, festival), (2019, 4), (2020, 4)):
            rows += festival_year(f"{VILLAGE}000{n}", year, festival_month=month)
    for n in range(4, 9):
        for year in (2018, 2019, 2020):
            rows += profile_rows(f"{VILLAGE}000{n}", year, HARVEST if n % 2 else EVEN, business=10000.0 * n)
    rows += profile_rows(f"{OTHER_VILLAGE}0001", 2020, HARVEST, business=30000.0)
    rows += [household_row(f"{VILLAGE}000{n}", "202010", wage=3000.0) for n in range(1, 9)]
    return rows


def three_years_and_october():
    """A store of three_years_and_october_rows, its marts built; returns it and its settings."""
    con = build_store(three_years_and_october_rows())
    settings = settings_with(share_min_households=1)
    rebuild_marts(con, settings, "202010")
    return con, settings


def test_a_correction_of_the_first_year_carries_through_every_later_years_sums():
    """A correction of February 2018 (doubled wages) changes the 2018 sums, so the 2019 and 2020 sums built on them
    and the 2021 calendars: kept, they equal a rebuild from scratch."""
    con, settings = three_years_and_october()
    tables = ["calendar_sums", "calendar_wage_shifts", "seasonal_year_shares", "seasonal_shares", "calendar_shares"]
    before = {table: con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall() for table in tables}
    add_correction(con, VILLAGE, "201802", 2.0)
    project.project_household_income(con, settings)
    kept = {table: con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall() for table in tables}
    for year in (2018, 2019, 2020):  # each year's running sums changed (through_year is the 4th column)
        assert {r for r in kept["calendar_sums"] if r[3] == year} != {r for r in before["calendar_sums"] if r[3] == year}
    assert kept["calendar_shares"] != before["calendar_shares"]
    con.execute("DELETE FROM mart_keys").fetchall()
    project.project_household_income(con, settings)
    assert kept == {table: con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall() for table in tables}


def test_a_new_years_calendars_and_county_shares_come_from_what_each_complete_year_kept():
    """Three complete years (festival lumps in February, January, January; harvests; new households in 2020), then
    October 2020: the 2021 calendars and county shares made again after every row of 2018 and 2019 is gone are the
    same, because they come from what each complete year kept (calendar_sums, seasonal_year_shares), not from
    re-reading the history."""
    con, settings = three_years_and_october()
    query = "SELECT * FROM calendar_shares WHERE income_year = 2021 ORDER BY ALL"
    county_query = "SELECT * FROM seasonal_shares WHERE income_year = 2021 ORDER BY ALL"
    before, county_before = con.execute(query).fetchall(), con.execute(county_query).fetchall()
    assert [row[4] for row in county_before] == ["2018,2019,2020"] * 12  # learned from the three years
    assert {row[4] for row in before} >= {f"{VILLAGE}0001", f"{OTHER_VILLAGE}0001", ""}
    assert con.execute("SELECT DISTINCT through_year FROM calendar_sums ORDER BY 1").fetchall() == [
        (2018,), (2019,), (2020,)]
    # households 1 and 3's February lump of 2018, moved to January for 2021 (a January year)
    assert con.execute("SELECT DISTINCT household_id FROM calendar_wage_shifts WHERE through_year = 2020 "
                       "AND target_festival = 4 ORDER BY 1").fetchall() == [(f"{VILLAGE}0001",), (f"{VILLAGE}0003",)]

    con.execute("DELETE FROM household_months WHERE income_year < 2020").fetchall()
    con.execute("DELETE FROM calendar_shares WHERE income_year = 2021").fetchall()
    con.execute("DELETE FROM seasonal_shares WHERE income_year = 2021").fetchall()
    project.register_settings(con, settings, [2021])
    mart_keys.register_units(con, [(VILLAGE[:6], "2021")])
    project.inserted(con, "marts/seasonal_shares", {"share_min_households": settings.share_min_households})
    assert con.execute(county_query).fetchall() == county_before
    mart_keys.register_units(con, [(VILLAGE[:6], "202010")])  # a calendar's unit is a month on record
    project.inserted(con, "marts/calendar_shares", {"household_prior_years": settings.household_prior_years,
                                                    "village_prior_years": settings.village_prior_years})
    assert con.execute(query).fetchall() == before


def test_the_version_as_run_follows_the_delivery_log_which_a_rebuild_reads_back():
    """A store rebuilt from the raw store gives every file the rebuilding run as ingest_run_id; the delivery log it
    reads back still says the correction came a run later, so the backtest keeps projecting from the original."""
    con = build_store([household_row(f"{VILLAGE}0001", "201905", wage=1000.0)])
    add_correction(con, VILLAGE, "201905", 3.0)
    con.execute("UPDATE source_files SET ingest_run_id = 1").fetchall()  # as after a rebuild
    con.execute("""INSERT INTO deliveries (delivery_id, path, sha256, file_name, run_id, delivered_at)
                   SELECT row_number() OVER (ORDER BY file_id), first_path, sha256, file_name,
                                               CASE WHEN file_id = 9000 THEN 2 ELSE 1 END,
                                               CASE WHEN file_id = 9000 THEN TIMESTAMP '2020-06-03 02:00'
                                                    ELSE TIMESTAMP '2020-06-01 02:00' END
                   FROM source_files""").fetchall()
    refresh_every_current_file(con)
    original = con.execute("SELECT file_id FROM source_files WHERE file_id <> 9000").fetchall()
    assert con.execute("SELECT file_id FROM as_run_files").fetchall() == original
    assert con.execute("SELECT file_id FROM current_files").fetchall() == [(9000,)]
