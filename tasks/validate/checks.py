"""Row validation: run the expectation suites on a batch; every failing row becomes a problem with its code."""
from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from tasks.validate.columns import AMOUNTS, COUNTS, YES_NO
from tasks.validate.expectation_suite import checked_rows, describe_expectation, failing_rows, load_suite, render_detail
from tasks.validate.gx_run import SuiteDisagreement, columns_used, count_failures_with_gx
from tasks.validate.id_number import id_number_reason, latest_birth_of, mask_id_text

ROW_SUITE = "village_return_rows"
PROBLEM_COLUMNS = {"file_id": pl.Int32, "source_row": pl.Int32, "household_id": pl.Utf8,
                   "code": pl.Utf8, "level": pl.Utf8, "detail": pl.Utf8}
RESULT_COLUMNS = {"suite": pl.Utf8, "expectation": pl.Utf8, "code": pl.Utf8, "level": pl.Utf8,
                  "rows_checked": pl.Int64, "rows_failed": pl.Int64}


@dataclass
class SuiteOutcome:
    """What a suite found: one row per (row, problem code), and per-expectation counts."""

    problems: pl.DataFrame
    results: pl.DataFrame


def prepare_checks(cleaned: pl.DataFrame) -> pl.DataFrame:
    """The cleaned batch plus the computed columns the row suite checks (unparsed numbers and yes/no, ID reasons...)."""
    unparsed = [pl.when(pl.col(c).is_null()).then(pl.col(f"{c}__text")).alias(f"{c}__unparsed")
                for c in AMOUNTS + COUNTS + YES_NO + ["report_date"]]
    household_id = pl.col("household_id")
    checks = cleaned.with_columns(
        *unparsed,
        pl.when(household_id.str.contains(r"^[0-9]{16}$")).then(household_id.str.slice(0, 12))
        .alias("household_id__village"),
        id_number_reason("head_id_number", latest_birth_of("period")).alias("head_id_number__reason"),
    )
    reason = pl.col("head_id_number__reason")
    checks = checks.with_columns(
        pl.when(pl.col("head_id_number").is_not_null()).then(reason.is_null()).alias("head_id_number__is_valid"))
    checks = checks.with_columns(_shown_where(checks, reason.is_not_null(), mask_id_text("head_id_number"))
                                 .alias("head_id_number__shown"))
    # the rows of each repeated household id (few): found by a count over the rows, joined only for those rows
    repeated = (checks.filter(household_id.is_not_null() & (pl.len().over("file_id", "household_id") > 1))
                .group_by("file_id", "household_id")
                .agg(pl.col("source_row").sort().cast(pl.Utf8).str.join("、").alias("household_id__rows")))
    return checks.join(repeated, on=["file_id", "household_id"], how="left", maintain_order="left")


def _shown_where(frame: pl.DataFrame, where: pl.Expr, shown: pl.Expr) -> pl.Series:
    """A text column computed only on the (few) rows where it is shown, null elsewhere."""
    rows = frame.select(where.fill_null(False)).to_series().arg_true()
    column = pl.repeat(None, frame.height, dtype=pl.Utf8, eager=True)
    return column.scatter(rows, frame[rows].select(shown).to_series()) if rows.len() else column


def run_suite(frame: pl.DataFrame, suite: dict, with_gx: bool = True) -> SuiteOutcome:
    """Every failing row of every expectation (Polars), with the counts checked against GX's."""
    outcome = interpret_suite(frame, suite)
    if with_gx and frame.height:
        gx_counts = count_failures_with_gx(frame.select(gx_columns(suite)), suite)
        compare_with_gx(suite, outcome.results["rows_failed"].to_list(), gx_counts)
    return outcome


def interpret_suite(frame: pl.DataFrame, suite: dict) -> SuiteOutcome:
    """Every failing row of every expectation and the per-expectation counts, by the Polars interpreter alone."""
    expectations = suite["expectations"]
    flags = frame.select(
        pl.col("file_id"), pl.col("source_row"),
        *[failing_rows(e).fill_null(False).alias(f"__fails_{i}") for i, e in enumerate(expectations)])
    totals = frame.select(*[checked_rows(e).fill_null(False).sum().alias(f"__checked_{i}")
                            for i, e in enumerate(expectations)]).row(0)
    failed = flags.select(pl.col(f"__fails_{i}").sum() for i in range(len(expectations))).row(0)
    found = []
    for i, e in enumerate(expectations):
        if failed[i]:
            meta = e["meta"]
            found.append(frame.filter(flags[f"__fails_{i}"]).select(
                "file_id", "source_row", "household_id", pl.lit(meta["problem_code"]).alias("code"),
                pl.lit(meta["level"]).alias("level"), render_detail(meta["detail"], frame.schema).alias("detail")))
    results = pl.DataFrame([
        {"suite": suite["name"], "expectation": describe_expectation(e), "code": e["meta"]["problem_code"],
         "level": e["meta"]["level"], "rows_checked": totals[i], "rows_failed": failed[i]}
        for i, e in enumerate(expectations)], schema=RESULT_COLUMNS)
    return SuiteOutcome(one_problem_per_code(found), results)


def compare_with_gx(suite: dict, failed: list[int], gx_counts: list[dict]) -> None:
    """Stop when GX's failing-row count of any expectation differs from the interpreter's."""
    for i, e in enumerate(suite["expectations"]):
        if gx_counts[i]["unexpected_count"] != failed[i]:
            raise SuiteDisagreement(f"{suite['name']}: {describe_expectation(e)} failed on {failed[i]} rows "
                                    f"by Polars, {gx_counts[i]['unexpected_count']} by GX")


def one_problem_per_code(found: list[pl.DataFrame]) -> pl.DataFrame:
    """The problems with one row per (file, row, code): details of the same code joined by '；'."""
    if not found:
        return pl.DataFrame(schema=PROBLEM_COLUMNS)
    problems = pl.concat([f.cast(PROBLEM_COLUMNS) for f in found])
    return (problems.group_by("file_id", "source_row", "code", maintain_order=True)
            .agg(pl.col("household_id").first(), pl.col("level").first(),
                 pl.col("detail").unique(maintain_order=True).str.join("；"))
            .select(PROBLEM_COLUMNS.keys()).sort("file_id", "source_row", "code"))


def gx_columns(suite: dict) -> list[str]:
    """The columns GX needs to run the suite."""
    return columns_used(suite["expectations"])


def validate_batch(cleaned: pl.DataFrame, with_gx: bool = True) -> SuiteOutcome:
    """Run the row suite on a cleaned batch: its problems and per-expectation counts."""
    return run_suite(prepare_checks(cleaned), load_suite(ROW_SUITE), with_gx)
