"""The expectation suites of expectations/: loading them, and finding every failing row with Polars.

GX reports counts (and at most a partial list of failing rows); this module applies the SAME expectation
definitions row by row, so every failing row is found however many there are. Each supported type below
mirrors GX's pandas semantics (nulls skipped unless the expectation is about nulls)."""
from __future__ import annotations

import json
import re
from functools import lru_cache

import polars as pl
from core.project import SUITES_DIR
from tasks.validate.id_number import mask_id_shaped_series

PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_]+)\}")


@lru_cache(maxsize=None)
def load_suite(name: str) -> dict:
    """The suite expectations/<name>.json as a dict (GX 1.x suite JSON)."""
    return json.loads((SUITES_DIR / f"{name}.json").read_text(encoding="utf-8"))


def describe_expectation(expectation: dict) -> str:
    """A short name for an expectation: its type and the columns it checks."""
    kwargs = expectation["kwargs"]
    columns = kwargs.get("column_list") or [kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs]
    return f"{expectation['type']}({', '.join(columns)})"


def _present(*names: str) -> pl.Expr:
    """True where every named column has a value."""
    return pl.all_horizontal([pl.col(n).is_not_null() for n in names])


def failing_rows(expectation: dict) -> pl.Expr:
    """Polars: true on each row the expectation fails (false on rows it skips)."""
    kind, kw = expectation["type"], expectation["kwargs"]
    if kind == "expect_column_values_to_not_be_null":
        return pl.col(kw["column"]).is_null()
    if kind == "expect_column_values_to_be_null":
        return pl.col(kw["column"]).is_not_null()
    if kind == "expect_column_values_to_match_regex":
        return _present(kw["column"]) & ~pl.col(kw["column"]).cast(pl.Utf8).str.contains(kw["regex"])
    if kind == "expect_column_values_to_be_between":
        value, outside = pl.col(kw["column"]), pl.lit(False)
        if kw.get("min_value") is not None:
            outside = outside | (value <= kw["min_value"] if kw.get("strict_min") else value < kw["min_value"])
        if kw.get("max_value") is not None:
            outside = outside | (value >= kw["max_value"] if kw.get("strict_max") else value > kw["max_value"])
        return _present(kw["column"]) & outside
    if kind == "expect_column_values_to_be_in_set":
        return _present(kw["column"]) & ~pl.col(kw["column"]).is_in(kw["value_set"])
    if kind == "expect_column_pair_values_a_to_be_greater_than_b":
        a, b = pl.col(kw["column_A"]), pl.col(kw["column_B"])
        return _pair_checked(kw) & ~(a >= b if kw.get("or_equal") else a > b)
    if kind == "expect_column_pair_values_to_be_equal":
        return _pair_checked(kw) & (pl.col(kw["column_A"]) != pl.col(kw["column_B"]))
    if kind == "expect_compound_columns_to_be_unique":
        columns = kw["column_list"]
        if kw.get("ignore_row_if", "all_values_are_missing") != "any_value_is_missing":
            raise ValueError("compound uniqueness is interpreted with ignore_row_if='any_value_is_missing' only")
        return _present(*columns) & (pl.len().over(columns) > 1)
    raise ValueError(f"expectation type not interpreted: {kind}")


def _pair_checked(kwargs: dict) -> pl.Expr:
    """True on the rows a column-pair expectation checks (GX's ignore_row_if)."""
    a, b = pl.col(kwargs["column_A"]).is_not_null(), pl.col(kwargs["column_B"]).is_not_null()
    rule = kwargs.get("ignore_row_if", "both_values_are_missing")
    if rule == "either_value_is_missing":
        return a & b
    if rule == "both_values_are_missing":
        return a | b
    return pl.repeat(True, pl.len())


def checked_rows(expectation: dict) -> pl.Expr:
    """Polars: true on each row the expectation looks at (GX's element_count minus missing_count)."""
    kind, kw = expectation["type"], expectation["kwargs"]
    if kind in ("expect_column_values_to_not_be_null", "expect_column_values_to_be_null"):
        return pl.repeat(True, pl.len())
    if kind.startswith("expect_column_pair_"):
        return _pair_checked(kw)
    if kind == "expect_compound_columns_to_be_unique":
        return _present(*kw["column_list"])
    return _present(kw["column"])


def render_detail(template: str, schema: pl.Schema) -> pl.Expr:
    """Polars: the meta 'detail' template with each {column} replaced by that row's value (numbers
    without a trailing .0, at most 2 decimals)."""
    parts: list[pl.Expr] = []
    position = 0
    for match in PLACEHOLDER.finditer(template):
        parts.append(pl.lit(template[position:match.start()]))
        parts.append(_shown(match.group(1), schema))
        position = match.end()
    parts.append(pl.lit(template[position:]))
    return pl.concat_str(parts)


def _shown(name: str, schema: pl.Schema) -> pl.Expr:
    """A column's value as text for a detail; long text cut to 40 characters, ID-shaped runs masked first (cut
    inside, an ID would leave a run of its digits that no longer looks like one, and show in full)."""
    value = pl.col(name)
    if schema[name].is_float():
        value = value.round(2).cast(pl.Utf8).str.replace(r"\.0$", "")
    text = value.cast(pl.Utf8)
    masked = text.map_batches(mask_id_shaped_series, return_dtype=pl.Utf8)
    text = pl.when(text.str.len_chars() > 40).then(masked.str.slice(0, 40) + pl.lit("…")).otherwise(text)
    return text.fill_null("")
