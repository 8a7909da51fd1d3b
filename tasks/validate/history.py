"""History-aware checks (ROW_YTD_DECREASE, ROW_OUTLIER; FILE_HOUSEHOLD_MISSING): run after the load, over the current
data."""
from __future__ import annotations

import json

import duckdb
import polars as pl

from core import db
from core.settings import Settings
from tasks.validate.expectation_suite import load_suite
from tasks.validate.checks import PROBLEM_COLUMNS, RESULT_COLUMNS, SuiteOutcome, run_suite

HISTORY_SUITE = "village_return_history"


def history_scope(con: duckdb.DuckDBPyConnection, batch_file_ids: list[int]) -> list[int]:
    """The current files whose history checks the load of a batch's files may have changed."""
    return [file_id for (file_id,) in db.rows(con, "validate/history_scope", {"batch_file_ids": batch_file_ids})]


def check_history(con: duckdb.DuckDBPyConnection, settings: Settings, run_id: int, batch_file_ids: list[int],
                  with_gx: bool = True) -> SuiteOutcome:
    """Run the history suite on the current files a batch touched and replace their history problems, and their
    FILE_HOUSEHOLD_MISSING warnings (a household of the previous month's return left out: not a row check). A run
    that loaded no file and finds none left pending by a killed one has nothing to check (a night with nothing new
    on the city store spent ~0.3-0.5 s finding so). Settings other than those the stored checks were made with
    check every current file again first."""
    check_again_with_new_settings(con, settings, run_id, with_gx)
    if not batch_file_ids and not db.scalar(con, "SELECT EXISTS (SELECT 1 FROM source_files "
                                                 "WHERE status = 'loaded' AND history_run_id IS NULL)"):
        return SuiteOutcome(pl.DataFrame(schema=PROBLEM_COLUMNS), pl.DataFrame(schema=RESULT_COLUMNS))
    return check_files(con, settings, run_id, history_scope(con, batch_file_ids), with_gx)


def history_settings_key(settings: Settings) -> str:
    """What the history checks judge with besides the data: the outlier thresholds."""
    return json.dumps({"outlier_mad_k": settings.outlier_mad_k,
                       "outlier_min_households": settings.outlier_min_households}, sort_keys=True)


def check_again_with_new_settings(con: duckdb.DuckDBPyConnection, settings: Settings, run_id: int,
                                  with_gx: bool) -> None:
    """When the stored history checks were made with other settings, check every current file again, a month at a
    time (each month's in a transaction of its own), as a store rebuilt with these settings would, then record
    them; a killed run leaves the old ones recorded, and the next run checks again. A store that recorded none
    takes these (its checks were made before the record was kept)."""
    wanted = history_settings_key(settings)
    stored = db.scalar(con, "SELECT settings_key FROM history_settings")
    if stored is not None and stored != wanted:
        for _, file_ids in db.rows(con, "validate/current_files_by_period"):
            check_files(con, settings, run_id, list(file_ids), with_gx)
    if stored != wanted:
        db.run(con, "validate/record_history_settings", {"settings_key": wanted})


def check_files(con: duckdb.DuckDBPyConnection, settings: Settings, run_id: int, file_ids: list[int],
                with_gx: bool) -> SuiteOutcome:
    """Run the history suite on these current files and replace their history problems and FILE_HOUSEHOLD_MISSING
    warnings, in one transaction."""
    frame = db.frame(con, "validate/history_check_rows", {
        "file_ids": file_ids, "outlier_mad_k": settings.outlier_mad_k,
        "outlier_min_households": settings.outlier_min_households})
    outcome = run_suite(frame, load_suite(HISTORY_SUITE), with_gx)
    with db.transaction(con):
        db.run(con, "validate/delete_history_problems", {"file_ids": file_ids})
        db.run(con, "validate/delete_left_out_households", {"file_ids": file_ids})
        periods = [period for (period,) in db.rows(con, "validate/left_out_periods", {"file_ids": file_ids})]
        db.run(con, "validate/left_out_households", {"file_ids": file_ids, "periods": periods, "run_id": run_id})
        store_frame(con, "found_history_problems", "validate/insert_history_problems",
                    outcome.problems.with_columns(pl.lit(run_id, pl.Int32).alias("run_id")))
        store_frame(con, "batch_results", "load/insert_validation_results",
                    outcome.results.with_columns(pl.lit(run_id, pl.Int32).alias("run_id")))
        db.run(con, "validate/mark_history_checked", {"run_id": run_id})
    return outcome


def store_frame(con: duckdb.DuckDBPyConnection, name: str, statement: str, frame: pl.DataFrame) -> None:
    """Run an insert statement reading the frame registered under name (nothing when it is empty)."""
    if frame.height == 0:
        return
    con.register(name, frame)
    try:
        db.run(con, statement)
    finally:
        con.unregister(name)
