"""Load: write one batch of a run into DuckDB in a single transaction (all of it or none of it)."""
from __future__ import annotations

import duckdb
import polars as pl

from core import db
from tasks.validate.columns import COLUMNS

ROW_COLUMNS = ["file_id", "source_row", "village_code", "period", *COLUMNS, "extra_columns", "is_quarantined"]


def mark_quarantine(rows: pl.DataFrame, problems: pl.DataFrame) -> pl.DataFrame:
    """Rows with their is_quarantined flag: true where any error-level problem names the row."""
    errors = (problems.filter((pl.col("level") == "error") & pl.col("source_row").is_not_null())
              .select("file_id", "source_row").unique().with_columns(pl.lit(True).alias("is_quarantined")))
    return (rows.join(errors, on=["file_id", "source_row"], how="left", maintain_order="left")
            .with_columns(pl.col("is_quarantined").fill_null(False)))


def count_rows(files: pl.DataFrame, rows: pl.DataFrame | None) -> pl.DataFrame:
    """File records with rows_used and rows_quarantined counted from the loaded rows."""
    if rows is None or rows.height == 0:
        return files.with_columns(pl.lit(0, pl.Int32).alias("rows_used"), pl.lit(0, pl.Int32).alias("rows_quarantined"))
    counts = rows.group_by("file_id").agg(
        (~pl.col("is_quarantined")).sum().cast(pl.Int32).alias("rows_used"),
        pl.col("is_quarantined").sum().cast(pl.Int32).alias("rows_quarantined"))
    return (files.join(counts, on="file_id", how="left")
            .with_columns(pl.col("rows_used").fill_null(0), pl.col("rows_quarantined").fill_null(0)))


def load_batch(con: duckdb.DuckDBPyConnection, run_id: int, files: pl.DataFrame, rows: pl.DataFrame | None,
               problems: pl.DataFrame, paths: pl.DataFrame, reread_file_ids: list[int] = (),
               results: pl.DataFrame | None = None, deliveries: pl.DataFrame | None = None) -> None:
    """Insert the batch's files, rows, problems, inbox paths, validation counts and deliveries in one
    transaction (re-read files replaced; each file's rows stored once, else nothing: check_rows_new)."""
    frames = {
        "batch_files": count_rows(files, rows),
        "batch_rows": rows.select(ROW_COLUMNS) if rows is not None else None,
        "batch_problems": problems.with_columns(pl.lit(run_id, pl.Int32).alias("run_id")),
        "batch_paths": paths,
        "batch_results": None if results is None else results.with_columns(pl.lit(run_id, pl.Int32).alias("run_id")),
        "batch_deliveries": deliveries,
    }
    statements = {"batch_files": "load/insert_source_files", "batch_rows": "load/insert_return_rows",
                  "batch_problems": "load/insert_problems", "batch_paths": "load/upsert_delivered_paths",
                  "batch_results": "load/insert_validation_results", "batch_deliveries": "load/insert_deliveries"}
    with db.transaction(con):
        if reread_file_ids:
            con.register("reread_files", pl.DataFrame({"file_id": list(reread_file_ids)}, schema={"file_id": pl.Int32}))
            for table in ("return_rows", "problems", "source_files", "file_missing_households", "file_report_dates"):
                db.run(con, f"load/forget_{table}")
            if db.has_table(con, "file_digests"):  # a mart table: none before the first projection
                db.run(con, "load/forget_file_digests")
            con.unregister("reread_files")
        if frames["batch_rows"] is not None:
            check_rows_new(con, frames["batch_rows"])
        for name, frame in frames.items():
            if frame is None or frame.height == 0:
                continue
            con.register(name, frame)
            db.run(con, statements[name])
            con.unregister(name)
        if rows is not None and rows.height:
            insert_file_facts(con, frames["batch_rows"], frames["batch_problems"])
        refresh_current_files(con, frames["batch_files"], deliveries)


def refresh_current_files(con: duckdb.DuckDBPyConnection, files: pl.DataFrame, deliveries: pl.DataFrame | None) -> None:
    """Compute again the current version (current_file_versions) of the village × months whose files or deliveries
    the batch added, and of those a re-read named (load/forget_source_files): the only writes that change it."""
    keys = (deliveries if deliveries is not None and deliveries.height
            else pl.DataFrame(schema={"sha256": pl.Utf8, "file_name": pl.Utf8})).select("sha256", "file_name")
    con.register("batch_file_ids", files.select("file_id"))
    con.register("batch_delivery_keys", keys)
    try:
        db.run(con, "load/stale_batch_units")
    finally:
        con.unregister("batch_file_ids")
        con.unregister("batch_delivery_keys")
    db.run(con, "load/refresh_current_files")


class RowsAlreadyStored(RuntimeError):
    """A batch would store a file's row twice: a fault of the load, never of the files (the batch is rolled back)."""


def check_rows_new(con: duckdb.DuckDBPyConnection, rows: pl.DataFrame,
                   stored_query: str = "load/files_with_stored_rows", key: tuple[str, ...] = ("file_id", "source_row")
                   ) -> None:
    """Raise RowsAlreadyStored unless every key (file_id, source_row) of the batch is once in it and its files have
    no rows stored yet (`stored_query` lists those that have; re-read files' rows are forgotten first): what a
    primary key would check, at the batch's cost."""
    keys = rows.select(*key)
    repeated = keys.filter(keys.is_duplicated())
    if repeated.height:
        raise RowsAlreadyStored(f"{repeated.height} rows of the batch share a file and row number, first "
                                f"{repeated.row(0)}: the batch is not loaded")
    file_ids = keys.select(pl.col("file_id").unique())
    if file_ids.height == 0:
        return
    con.register("batch_file_ids", file_ids)
    try:
        stored = db.rows(con, stored_query,
                         {"low": file_ids["file_id"].min(), "high": file_ids["file_id"].max()})
    finally:
        con.unregister("batch_file_ids")
    if stored:
        raise RowsAlreadyStored(f"files {[f for (f,) in stored][:10]} already have rows stored: the batch is not loaded")


def insert_file_facts(con: duckdb.DuckDBPyConnection, rows: pl.DataFrame, problems: pl.DataFrame) -> None:
    """Note what the pages read of each file's rows, which never change once loaded: its latest 填报日期
    (file_report_dates) and its households whose every row is quarantined (file_missing_households)."""
    con.register("batch_rows", rows)
    con.register("batch_problems", problems)
    try:
        db.run(con, "load/insert_file_report_dates")
        if rows["is_quarantined"].any():
            db.run(con, "load/insert_file_missing_households")
    finally:
        con.unregister("batch_rows")
        con.unregister("batch_problems")


def refresh_every_current_file(con: duckdb.DuckDBPyConnection) -> None:
    """Compute every village × month's current version again (load/stale_every_unit): after source_files or
    deliveries were written by other means than load_batch (a repair by hand, a test's fixture)."""
    with db.transaction(con):
        db.run(con, "load/stale_every_unit")
        db.run(con, "load/refresh_current_files")
