"""The marts kept between runs equal a rebuild from scratch after a new month, an old-year correction and reruns."""
from __future__ import annotations

import shutil

import pytest

from core import db
from core.settings import load_settings
from tasks.departments import latest
from tasks.departments.ingest import judge_departments
from tasks.marts import flag, project
from tasks.report.exports import write_exports
from tasks.ingest.scope import Scope
from tests.support.runs import run_flow, run_rerun

pytestmark = pytest.mark.slow  # builds and runs a multi-year city: not in make test-fast

MARTS = ["household_months", "seasonal_shares", "calendar_sums", "calendar_wage_shifts", "calendar_shares",
         "household_month_gaps", "projection_backtest", "backtest_bands_then", "backtest_month_spreads",
         "projection_bands", "projection_accuracy",
         "household_status", "village_signals"]
NEW_MONTH = "202003"
CORRECTION = "430571001004_201908_更正.csv"   # a correction of the income year 2019, complete by 202003
CORRECTED_VILLAGE = CORRECTION[:12]


def update_marts(con, as_of: str, rerun: Scope | None = None) -> None:
    """The project and flag steps as the nightly flow runs them (with the measures department clues add)."""
    settings = load_settings(None, environ={})
    project.project_household_income(con, settings, rerun)
    flag.flag_households(con, settings, as_of)
    flag.signal_villages(con, as_of)
    judge_departments(con, settings.departments, as_of)


def rebuilt_from_scratch(store, folder):
    """A copy of the store whose marts are rebuilt from scratch (their keys forgotten); returns its connection."""
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / "scratch.duckdb"
    shutil.copy(store, copy)
    con = db.connect(copy)
    con.execute("DELETE FROM mart_keys").fetchall()
    return con


def assert_latest_as_computed_again(store, folder, as_of: str) -> None:
    """Each household's latest return as the runs kept it (household_latest, brought up to as_of by what changed
    since) equals the one computed from every month, on a copy of the store."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(store, folder / "latest.duckdb")
    con = db.connect(folder / "latest.duckdb")
    kept_up_to = db.scalar(con, "SELECT max(upto) FROM household_latest_state")
    latest.refresh(con, as_of)  # as the next department check would (a no-op when the run's own check did it)
    kept = con.sql("SELECT * FROM household_latest ORDER BY ALL").pl()
    db.run(con, "departments/latest_forget_all")
    latest.refresh(con, as_of)
    again = con.sql("SELECT * FROM household_latest ORDER BY ALL").pl()
    con.close()
    assert kept_up_to == as_of  # the run's department check brought it forward itself
    assert kept.height > 1000 and kept.equals(again)


def assert_same_as_rebuild(store, exports, folder, as_of: str) -> None:
    """Every mart of the store (as its runs left it) and its exports (in folder exports) equal those of a
    rebuild from scratch (made in folder)."""
    assert_latest_as_computed_again(store, folder / "latest", as_of)
    scratch = rebuilt_from_scratch(store, folder)
    update_marts(scratch, as_of)
    # ATTACH takes no bound parameters and table names cannot be bound: the path is our temporary folder and
    # the names are MARTS, ours, not input
    scratch.execute(f"ATTACH '{store}' AS kept (READ_ONLY)").fetchall()
    for table in MARTS:
        kept_only = scratch.execute(f"SELECT count(*) FROM (FROM kept.{table} EXCEPT ALL FROM {table})").fetchall()
        scratch_only = scratch.execute(f"SELECT count(*) FROM (FROM {table} EXCEPT ALL FROM kept.{table})").fetchall()
        assert (table, kept_only, scratch_only) == (table, [(0,)], [(0,)])
    assert scratch.execute("SELECT count(*) FROM household_status WHERE period = ?", [as_of]).fetchall()[0][0] > 0
    scratch.execute("DETACH kept").fetchall()
    rebuilt = write_exports(scratch, folder / "scratch_exports", as_of)
    scratch.close()
    for name, path in rebuilt.items():
        assert (exports / path.name).read_bytes() == path.read_bytes(), name


@pytest.fixture(scope="module")
def growing_city(small_city, prefect_harness, tmp_path_factory):
    """The small city's store after a bootstrap without its last month and without one old-year correction;
    returns (work folder, the files held back by relative path)."""
    work = tmp_path_factory.mktemp("incremental")
    held = {}
    for path in sorted((small_city / "inbox").rglob("*")):
        if path.is_dir():
            continue
        rel = path.relative_to(small_city / "inbox")
        if f"_{NEW_MONTH}" in path.name or path.name == CORRECTION:
            held[rel] = path
            continue
        (work / "inbox" / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, work / "inbox" / rel)
    shutil.copytree(small_city / "reference", work / "reference")
    assert any(rel.name == CORRECTION for rel in held)
    run_flow(work)
    return work, held


def deliver(work, held: dict, select) -> None:
    """Copy the held-back files select picks into the inbox."""
    for rel, path in held.items():
        if select(rel.name):
            (work / "inbox" / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, work / "inbox" / rel)


def test_new_month_then_old_correction_then_reruns_equal_a_rebuild(growing_city, tmp_path):
    work, held = growing_city
    deliver(work, held, lambda name: name != CORRECTION)
    assert run_flow(work).as_of == NEW_MONTH
    assert_same_as_rebuild(work / "db.duckdb", work / "out" / "exports", tmp_path / "a", NEW_MONTH)

    deliver(work, held, lambda name: name == CORRECTION)
    assert run_flow(work).files_new == 1
    assert_same_as_rebuild(work / "db.duckdb", work / "out" / "exports", tmp_path / "b", NEW_MONTH)

    summary = run_rerun(work, village=CORRECTED_VILLAGE)
    assert summary.files_reread > 0
    assert_same_as_rebuild(work / "db.duckdb", work / "out" / "exports", tmp_path / "c", NEW_MONTH)


def test_rerun_whose_rows_changed_under_the_same_file_recomputes_them(growing_city, tmp_path):
    """A re-read file keeps its file_id; when its rows come back different (rules changed), the marts follow."""
    work, _ = growing_city
    store = tmp_path / "store.duckdb"
    shutil.copy(work / "db.duckdb", store)
    con = db.connect(store)
    update_marts(con, NEW_MONTH)
    before = con.execute("SELECT sum(projected_per_capita) FROM household_status").fetchall()
    # an old-year file and a this-year file of one village, read again into other figures
    con.execute("""UPDATE return_rows SET wage_income = wage_income * 3 + 1000
                   WHERE file_id IN (SELECT file_id FROM current_files WHERE village_code = ?
                                     AND period IN ('201812', '202001'))""", [CORRECTED_VILLAGE]).fetchall()
    update_marts(con, NEW_MONTH, Scope(village=CORRECTED_VILLAGE))
    assert con.execute("SELECT sum(projected_per_capita) FROM household_status").fetchall() != before
    con.execute("FORCE CHECKPOINT").fetchall()
    write_exports(con, tmp_path / "exports", NEW_MONTH)
    con.close()
    assert_same_as_rebuild(store, tmp_path / "exports", tmp_path / "scratch", NEW_MONTH)
