"""A backtest without leaks (issue 17), beyond the earlier years' own figures: the band a month's coverage reads
holds no earlier backtest row of a return that came after the month was run, and last year's September estimated
for a household left out of it reads the year's October as it stood when the month was run."""
from __future__ import annotations

import pytest

from tasks.ingest.load import refresh_every_current_file
from tasks.marts import backtest_then, project
from tests.support.store_builder import VILLAGE, add_correction, build_store, settings_with
from tests.test_backtest_then import learned_from_then, seasonal_years

OTHER = "430521100002"
LEFT_OUT = f"{VILLAGE}0001"


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
        refresh_every_current_file(con)
        project.project_household_income(con, settings)
        stores[late] = con
    never, late = stores[False], stores[True]
    assert late.execute(accuracy, [2019]).fetchall() != never.execute(accuracy, [2019]).fetchall()
    assert late.execute(accuracy, [2020]).fetchall() == never.execute(accuracy, [2020]).fetchall()
    late.execute("DELETE FROM mart_keys").fetchall()
    project.project_household_income(late, settings)
    assert late.execute(accuracy, [2020]).fetchall() == never.execute(accuracy, [2020]).fetchall()


def october_corrected_later(left_out: str, corrected: bool):
    """2018 and 2019's October in run 1, the rest of 2019 in run 2; household 1 has no 201809 row. With corrected,
    run 3 brings a correction of 201810 that holds household 1 (left_out 'original': the original left it out) or
    leaves it out (left_out 'correction')."""
    gone = {"201809"} | ({"201810"} if left_out == "original" else set())
    con = build_store([r for r in seasonal_years((2018, 2019)) if not (r["household_id"] == LEFT_OUT
                                                                       and r["period"] in gone)])
    con.execute("UPDATE source_files SET ingest_run_id = 2 WHERE period >= '201811'").fetchall()
    refresh_every_current_file(con)
    if corrected:
        con.execute("""INSERT INTO source_files (file_id, sha256, file_name, first_path, size_bytes, village_code,
                                                 period, correction_rank, ingest_run_id, ingested_at, status, rows_read)
                       SELECT 9000, 'corr', file_name || '_更正', first_path, 1, village_code, period, 2, 3,
                              ingested_at, 'loaded', 0
                       FROM source_files WHERE period = '201810'""").fetchall()
        refresh_every_current_file(con)
        con.execute("INSERT INTO return_rows SELECT * REPLACE (9000 AS file_id) FROM return_rows "
                    "WHERE period = '201810' AND household_id <> ?", [LEFT_OUT]).fetchall()
        if left_out == "original":  # household 1 as household 2 returned it
            con.execute("INSERT INTO return_rows SELECT * REPLACE (99 AS source_row, ? AS household_id) "
                        "FROM return_rows WHERE file_id = 9000 AND household_id = ?",
                        [LEFT_OUT, f"{VILLAGE}0002"]).fetchall()
    return con


@pytest.mark.parametrize("left_out", ["original", "correction"])
def test_an_october_corrected_after_a_month_was_run_does_not_change_last_years_september_it_read(left_out):
    """Household 1 left out of 201809: its September is estimated for last year's figure if it is back in
    October. A correction of 201810 sent after 2019's months were run brings it back (or leaves it out): the
    backtest is that of a store the correction never came to, kept or rebuilt, while the gap estimates take it."""
    settings = settings_with(share_min_households=1)
    never, later = october_corrected_later(left_out, False), october_corrected_later(left_out, True)
    for con in (never, later):
        project.project_household_income(con, settings)
    gaps = "SELECT count(*) FROM household_month_gaps WHERE household_id = ? AND income_year = 2018"
    assert later.execute(gaps, [LEFT_OUT]).fetchone() != never.execute(gaps, [LEFT_OUT]).fetchone()
    assert learned_from_then(later) == learned_from_then(never)
    later.execute("DELETE FROM mart_keys").fetchall()
    project.project_household_income(later, settings)
    assert learned_from_then(later) == learned_from_then(never)


def test_an_october_whose_correction_only_changes_amounts_keeps_its_months_off_the_slow_path():
    """A correction of 201810 sent later that changes amounts, not who is in it, changes no gap estimate: no month
    is projected again as it stood (the October's own month reads it as run anyway)."""
    con = build_store(seasonal_years((2018, 2019)))
    con.execute("UPDATE source_files SET ingest_run_id = 2 WHERE period >= '201811'").fetchall()
    refresh_every_current_file(con)
    project.project_household_income(con, settings_with(share_min_households=1))
    add_correction(con, VILLAGE, "201810", 3.0)
    con.execute("UPDATE source_files SET ingest_run_id = 3 WHERE file_id = 9000").fetchall()
    refresh_every_current_file(con)
    assert backtest_then.months_seen_otherwise(con, [("430521", "2019")]) == {}
