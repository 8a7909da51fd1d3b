"""Cells safe to open in a spreadsheet: one line each, never run as a formula."""
from __future__ import annotations

import polars as pl


def defuse_text(name: str) -> pl.Expr:
    """A text column on one line, each cell safe from Excel running it as a formula."""
    one_line = pl.col(name).str.replace_all(r"[\r\n]+", " ")
    return pl.when(one_line.str.contains(r"^[=+@\t]")).then(pl.lit("'") + one_line).otherwise(one_line).alias(name)


def columns_to_defuse(frame: pl.DataFrame) -> list[str]:
    """The text columns with a cell that defuse_text would change (a line break, or a formula's first character):
    one pass over each column, where defusing every column costs two regex passes and a rewrite."""
    text_columns = [c for c, t in frame.schema.items() if t == pl.Utf8]
    if not text_columns or frame.height == 0:
        return []
    found = frame.select([pl.col(c).str.contains(r"[\r\n]|^[=+@\t]").any() for c in text_columns]).row(0)
    return [c for c, is_risky in zip(text_columns, found) if is_risky]
