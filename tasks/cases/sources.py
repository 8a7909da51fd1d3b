"""What opens cases: household flags, village signals, data errors, and (the seam) department findings."""
from __future__ import annotations

import duckdb
import polars as pl

from core import db
from tasks.cases import rules

SOURCE_SCHEMA = {"kind": pl.Utf8, "subject_key": pl.Utf8, "county_code": pl.Utf8, "township_code": pl.Utf8,
                 "village_code": pl.Utf8, "household_id": pl.Utf8, "subject_period": pl.Utf8, "detail": pl.Utf8,
                 "evidence_value": pl.Float64}
FINDING_COLUMNS = ("event", "household_id", "county_code", "township_code", "village_code", "detail")


def run_sources(con: duckdb.DuckDBPyConnection, as_of: str, open_on: tuple[str, ...]) -> pl.DataFrame:
    """Every source a run sees: flags and signals of the as-of month, data errors of every month on record."""
    frames = [db.frame(con, "cases/household_sources", {"period": as_of, "open_on": list(open_on)}),
              db.frame(con, "cases/village_sources", {"period": as_of}),
              db.frame(con, "cases/data_error_sources")]
    return pl.concat([f.cast(SOURCE_SCHEMA).select(list(SOURCE_SCHEMA)) for f in frames])


def department_sources(findings: pl.DataFrame) -> pl.DataFrame:
    """The seam for department findings (departments.md): the findings (columns event, e.g. DIBAO_NEW,
    household_id, county_code, township_code, village_code, detail, and optionally evidence_value, the projected
    per-capita then) of a household and event become one DEPT_<EVENT> source whose detail joins theirs, so a case
    opened on it covers every record they quote (rules.is_new_record: after a dismissal only another record opens
    one again)."""
    missing = [c for c in FINDING_COLUMNS if c not in findings.columns]
    if missing:
        raise ValueError(f"department findings lack columns {missing}")
    evidence = pl.col("evidence_value") if "evidence_value" in findings.columns else pl.lit(None)
    rows = findings.select(
        ("DEPT_" + pl.col("event")).alias("kind"), pl.col("household_id").alias("subject_key"),
        "county_code", "township_code", "village_code", "household_id", pl.lit(None).alias("subject_period"),
        "detail", evidence.alias("evidence_value")).cast(SOURCE_SCHEMA)
    return (rows.group_by("kind", "subject_key", maintain_order=True)
            .agg(pl.exclude("detail").first(),
                 pl.col("detail").drop_nulls().unique().sort().str.join(rules.DETAIL_SEPARATOR))
            .select(list(SOURCE_SCHEMA)).cast(SOURCE_SCHEMA))


def opening_sources(sources: pl.DataFrame, as_of: str, first_as_of: str | None) -> pl.DataFrame:
    """The sources that may open a case in this run: data errors of the months up to the as-of month from the
    income year of the ledger's first as-of month (first_as_of; None: this run's) on. A month of an earlier year
    the ledger has judged still opens (September's file sent again after October's returns made the as-of month
    the next year's); the store's history from before the ledger does not (it is only looked at to close cases)."""
    year = rules.income_year(min(first_as_of or as_of, as_of))
    periods = sources["subject_period"].drop_nulls().unique().to_list()
    opening = [p for p in periods if rules.income_year(p) >= year and p <= as_of]  # a few months: the rule in Python
    period = pl.col("subject_period")
    return sources.filter(period.is_null() | period.is_in(opening))
