"""Row validation (placeholder until the expectation suites land): returns the problems of a cleaned batch."""
from __future__ import annotations

import polars as pl

from povmon.settings import Settings

PROBLEM_COLUMNS = {"file_id": pl.Int32, "source_row": pl.Int32, "household_id": pl.Utf8,
                   "code": pl.Utf8, "level": pl.Utf8, "detail": pl.Utf8}


def validate_rows(cleaned: pl.DataFrame, settings: Settings) -> pl.DataFrame:
    """One row per problem found in the batch's rows."""
    return pl.DataFrame(schema=PROBLEM_COLUMNS)
