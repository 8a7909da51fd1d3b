"""A backtest without leaks (issue 17), beyond the earlier years' own figures: the band a month's coverage reads
holds no earlier backtest row of a return that came after the month was run."""
from __future__ import annotations

from tasks.marts import project
from tests.support.store_builder import build_store, settings_with
from tests.test_backtest_then import seasonal_years

OTHER = "430521100002"


def two_villages(years) -> list[dict]:
    """seasonal_years in two villages, the second's wages in the first year apart from the first's (0.5–1.3 times),
    so that its errors move the county's band."""
    rows = seasonal_years(years)
    return rows + [dict(r, household_id=OTHER + r["household_id"][12:], village_code=OTHER,
                        wage_income=r["wage_income"] * (0.5 + 0.4 * (int(r["household_id"][-2:]) % 3)
                                                        if r["period"] < f"{min(years)}10" else 1.0))
                   for r in rows]


def test_an_earlier_month_returned_after_a_month_was_run_is_not_in_the_band_it_read():
    """2018–2020; the second village's 201812 (2019's month 3) comes in a run after 2020's months: 2020's band and
    coverage are those of a store it never came to, kept or rebuilt; 2019's own month 3 takes it."""
    settings = settings_with(share_min_households=1, band_default_spread_low=[], band_default_spread_high=[])
    accuracy = "SELECT * FROM projection_accuracy WHERE income_year = ? ORDER BY ALL"
    stores = {}
    for late in (False, True):
        rows = [r for r in two_villages((2018, 2019, 2020))
                if late or not (r["village_code"] == OTHER and r["period"] == "201812")]
        con = build_store(rows)
        con.execute("UPDATE source_files SET ingest_run_id = 2 WHERE period >= '201910'").fetchall()
        con.execute("UPDATE source_files SET ingest_run_id = 3 WHERE village_code = ? AND period = '201812'",
                    [OTHER]).fetchall()
        project.project_household_income(con, settings)
        stores[late] = con
    never, late = stores[False], stores[True]
    assert late.execute(accuracy, [2019]).fetchall() != never.execute(accuracy, [2019]).fetchall()
    assert late.execute(accuracy, [2020]).fetchall() == never.execute(accuracy, [2020]).fetchall()
    late.execute("DELETE FROM mart_keys").fetchall()
    project.project_household_income(late, settings)
    assert late.execute(accuracy, [2020]).fetchall() == never.execute(accuracy, [2020]).fetchall()

