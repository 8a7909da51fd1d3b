"""Row checks county by county: split a batch's raw rows by county, check each part, merge the parts back.

Every row check looks at one row or at rows of one file (duplicate household ids), and a file belongs to
one village, so checking the counties apart finds exactly what checking the whole batch finds."""
from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from tasks.validate.clean import clean_batch
from tasks.validate.checks import PROBLEM_COLUMNS, RESULT_COLUMNS, validate_batch

ORDER = "__batch_order"  # a row's place in the batch, to put the merged rows back in batch order


@dataclass
class RowCheck:
    """The cleaned rows of a batch (or a county's part of it), their row problems and per-expectation counts."""

    cleaned: pl.DataFrame
    problems: pl.DataFrame
    results: pl.DataFrame


def check_rows(raw: pl.DataFrame) -> RowCheck:
    """Clean raw rows and run the row suite on them."""
    cleaned = clean_batch(raw)
    checked = validate_batch(cleaned.drop(ORDER, strict=False))
    return RowCheck(cleaned, checked.problems.select(PROBLEM_COLUMNS.keys()), checked.results)


def county_of_villages(units: pl.DataFrame) -> pl.DataFrame:
    """One row per village of the reference list: village_code, county_code (village → township → county)."""
    parent = units.select("code", "parent_code")
    return (units.filter(pl.col("level") == "village").select(pl.col("code").alias("village_code"),
                                                              pl.col("parent_code").alias("township_code"))
            .join(parent.rename({"code": "township_code", "parent_code": "county_code"}), on="township_code",
                  how="left")
            .select("village_code", "county_code"))


def split_by_county(raw: pl.DataFrame, units: pl.DataFrame) -> list[tuple[str, pl.DataFrame]]:
    """The batch's raw rows in one part per county (a village not placed in a county is its own part), in
    order of first appearance; each row keeps its batch position in ORDER."""
    placed = (raw.with_row_index(ORDER)
              .join(county_of_villages(units), on="village_code", how="left", maintain_order="left")
              .with_columns(pl.coalesce("county_code", "village_code").alias("county_code")))
    parts = placed.partition_by("county_code", maintain_order=True, as_dict=True)
    return [(key[0], part.drop("county_code")) for key, part in parts.items()]


def merge_checks(parts: list[RowCheck]) -> RowCheck:
    """The (non-empty list of) county parts as one batch: rows in batch order, problems sorted as one check sorts
    them, counts summed."""
    cleaned = pl.concat([p.cleaned for p in parts]).sort(ORDER).drop(ORDER)
    problems = pl.concat([p.problems.cast(PROBLEM_COLUMNS) for p in parts]).sort("file_id", "source_row", "code")
    counts = (pl.concat([p.results.with_row_index("position") for p in parts])
              .group_by("position", maintain_order=True)
              .agg(pl.col("suite", "expectation", "code", "level").first(), pl.col("rows_checked", "rows_failed").sum())
              .sort("position").select(RESULT_COLUMNS.keys()).cast(RESULT_COLUMNS))
    return RowCheck(cleaned, problems, counts)
