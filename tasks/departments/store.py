"""Department data in the store: a batch of files loaded in one transaction; the findings of the as-of month
stored with the suggested measures their clues add."""
from __future__ import annotations

import duckdb
import polars as pl

from core import db
from tasks.departments.events import DEPARTMENTS, EVENTS, FINDINGS, MEASURE_ORDER
from tasks.departments import latest
from tasks.departments.findings import FINDING_SCHEMA, Rules, judge
from tasks.departments.read import DepartmentBatch
from core.db import has_table
from tasks.ingest.load import check_rows_new
from tasks.validate.id_number import eighteen_digit, fifteen_digit
from core.income_year import income_year_month, period_of


def load_department_batch(con: duckdb.DuckDBPyConnection, run_id: int, batch: DepartmentBatch, rows: pl.DataFrame,
                          problems: pl.DataFrame, results: pl.DataFrame | None = None) -> None:
    """Insert the batch's files (with their row counts), rows and problems in one transaction (re-read files
    replaced; each file's rows stored once, else nothing: check_rows_new)."""
    files = batch.files_frame()
    if rows.height:
        counts = rows.group_by("file_id").agg((~pl.col("is_quarantined")).sum().cast(pl.Int32).alias("rows_used"),
                                              pl.col("is_quarantined").sum().cast(pl.Int32).alias("rows_quarantined"))
        files = files.join(counts, on="file_id", how="left").with_columns(pl.col("rows_used", "rows_quarantined").fill_null(0))
    frames = {"files": files, "rows": rows,
              "problems": pl.concat([batch.problems_frame(), problems]).with_columns(pl.lit(run_id, pl.Int32).alias("run_id")),
              "results": pl.DataFrame() if results is None else results.with_columns(pl.lit(run_id, pl.Int32).alias("run_id"))}
    statements = {"files": "departments/insert_files", "rows": "departments/insert_rows",
                  "problems": "departments/insert_problems", "results": "load/insert_validation_results"}

    with db.transaction(con):
        if batch.reread_file_ids:
            con.register("reread_files", pl.DataFrame({"file_id": batch.reread_file_ids}, schema={"file_id": pl.Int32}))
            for table in ("rows", "problems", "files"):
                db.run(con, f"departments/forget_{table}")
            con.unregister("reread_files")
        if rows.height:
            check_rows_new(con, rows, "departments/files_with_stored_rows", ("file_id", "sheet", "source_row"))
        for name, frame in frames.items():
            if frame.height:
                con.register(f"batch_{name}", frame)
                db.run(con, statements[name])
                con.unregister(f"batch_{name}")


def find_department_findings(con: duckdb.DuckDBPyConnection, rules: Rules, as_of: str) -> pl.DataFrame:
    """The as-of month's findings from the store (records of the income year up to as_of), not yet stored (the
    households' latest returns are brought up to as_of first: call outside a transaction)."""
    first = period_of(income_year_month(as_of)[0], 1)
    rows = db.frame(con, "departments/current_rows", {"first_period": first, "as_of": as_of})
    if rows.height == 0:  # every finding is about a record: none to judge, no household to look up
        return pl.DataFrame(schema=FINDING_SCHEMA)
    # only the households the records' ID numbers can match: the whole registry's latest returns cost 18 s a night
    # at province (45 million rows), the records name a few thousand; each household's latest return is kept
    # (latest.py), brought up to as_of here from the months that changed
    latest.refresh(con, as_of)
    con.register("department_ids", person_forms(rows))
    con.register("candidate_households", db.frame(con, "departments/candidate_households"))
    try:
        households = db.frame(con, "departments/latest_households")
        flags = (db.frame(con, "departments/household_flags", {"as_of": as_of}) if has_table(con, "household_status")
                 else pl.DataFrame(schema={"household_id": pl.Utf8, "flags": pl.Utf8,
                                           "projected_net_income": pl.Float64}))
    finally:
        con.unregister("candidate_households")
        con.unregister("department_ids")
    counties = dict(con.execute("SELECT code, name FROM admin_units WHERE level = 'county'").fetchall())
    return judge(rows, db.frame(con, "departments/members"), households, flags, counties, rules, as_of)


def person_forms(rows: pl.DataFrame) -> pl.DataFrame:
    """The records' ID numbers in every form a return or the roster may write them (18 digits and the first
    generation's 15: one person), to find the households they can match."""
    ids = rows.select("id_number").drop_nulls().unique()
    return pl.concat([ids, ids.select(eighteen_digit("id_number")), ids.select(fifteen_digit("id_number"))]
                     ).drop_nulls().unique()


def store_findings(con: duckdb.DuckDBPyConnection, findings: pl.DataFrame, as_of: str) -> None:
    """Replace the stored findings with the as-of month's, and the CLUEs' measures of its households, at once."""
    labels = pl.DataFrame(
        [{"kind": "department", "code": c, "label": label} for c, label in DEPARTMENTS.items()]
        + [{"kind": "event", "code": c, "label": spec["label"]} for c, spec in EVENTS.items()]
        + [{"kind": "finding", "code": c, "label": label} for c, label in FINDINGS.items()])

    with db.transaction(con):
        con.execute("DELETE FROM department_labels").fetchall()
        con.register("labels", labels)
        db.run(con, "departments/replace_labels")
        con.unregister("labels")
        db.run(con, "departments/forget_findings")
        if findings.height:
            con.register("batch_findings", findings)
            db.run(con, "departments/insert_findings")
            con.unregister("batch_findings")
        if has_table(con, "household_status"):
            apply_measures(con, as_of)


def apply_measures(con: duckdb.DuckDBPyConnection, as_of: str) -> None:
    """Each flagged household's suggested measure in as_of with its CLUEs' measures (policy.md order); a measure
    changed before and not recomputed since gets its base back first, so a withdrawn clue leaves it."""
    db.run(con, "departments/restore_measures")
    clued = db.rows(con, "departments/clued_households", {"as_of": as_of})
    changed = pl.DataFrame([{"household_id": h, "period": as_of, "base_measure": base,
                             "applied_measure": merge_measures(base, events)} for h, base, events in clued],
                           schema={"household_id": pl.Utf8, "period": pl.Utf8, "base_measure": pl.Utf8,
                                   "applied_measure": pl.Utf8})
    db.run(con, "departments/forget_measures")
    con.register("changed_measures", changed)
    try:
        db.run(con, "departments/remember_measures")
    finally:
        con.unregister("changed_measures")
    db.run(con, "departments/apply_measures")


KEEP_WATCHING = "持续监测"  # marts/household_status: the measure when none of policy.md's others applies


def merge_measures(base: str | None, events: list[str]) -> str | None:
    """A suggested measure with the measures of these CLUE events added, in the order of policy.md."""
    measures = [m for m in (base or "").split("、") if m]
    added = [EVENTS[e].get("measure") for e in events]
    merged = list(dict.fromkeys(measures + [m for m in added if m]))
    if len(merged) > 1:  # 持续监测 is the measure of a household none of the others fits (policy.md)
        merged = [m for m in merged if m != KEEP_WATCHING]
    order = {m: i for i, m in enumerate(MEASURE_ORDER)}
    merged.sort(key=lambda m: order.get(m, len(order)))  # stable: the others keep their order after these
    return "、".join(merged) or None
