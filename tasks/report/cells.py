"""Cells safe to open in a spreadsheet: one line each, never run as a formula, ID-shaped text masked."""
from __future__ import annotations

import polars as pl

from tasks.validate.id_number import ID_SHAPED_HINT, mask_id_shaped_series

# OWASP CSV injection: a cell starting with = + - @ tab or carriage return (or their full-width forms, which a
# Chinese Excel may take as the same) can run as a formula; a plain negative number cannot
FORMULA_START = r"^[=+\-@\t\r＝＋－＠]"
PLAIN_NEGATIVE = r"^-[0-9]{1,15}(\.[0-9]+)?$"
# every character that breaks a line for str.splitlines and for editors: a vertical tab (Word's Shift+Enter pasted
# into a cell), a form feed, NEL, the Unicode line and paragraph separators, besides carriage return and line feed
LINE_BREAKS = "[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]"
RISKY = rf"{LINE_BREAKS}|{FORMULA_START}|{ID_SHAPED_HINT}"


def defuse_text(name: str) -> pl.Expr:
    """A text column on one line, each cell safe from Excel running it as a formula."""
    one_line = pl.col(name).str.replace_all(LINE_BREAKS + "+", " ")
    formula = one_line.str.contains(FORMULA_START) & ~one_line.str.contains(PLAIN_NEGATIVE)
    return pl.when(formula).then(pl.lit("'") + one_line).otherwise(one_line).alias(name)


def defused(text: str) -> str:
    """One text as defuse_text shows it (by defuse_text itself: one rule, one regex engine)."""
    return pl.DataFrame({"text": [text]}, schema={"text": pl.Utf8}).select(defuse_text("text")).item()


def columns_to_defuse(frame: pl.DataFrame) -> list[str]:
    """The text columns with a cell that safe_text would change (a line break, a formula's first character, an
    ID-shaped run): one pass over each column, where treating every column costs regex passes and a rewrite."""
    text_columns = [c for c, t in frame.schema.items() if t == pl.Utf8]
    if not text_columns or frame.height == 0:
        return []
    # the plain-negative exception is looked for only in the columns with a risky cell (few): one pass over most
    hit = frame.select([pl.col(c).str.contains(RISKY).any() for c in text_columns]).row(0)
    candidates = [c for c, is_hit in zip(text_columns, hit) if is_hit]
    if not candidates:
        return []
    found = frame.select([(pl.col(c).str.contains(RISKY) & ~pl.col(c).str.contains(PLAIN_NEGATIVE)).any()
                          for c in candidates]).row(0)
    return [c for c, is_risky in zip(candidates, found) if is_risky]


def safe_text(frame: pl.DataFrame) -> pl.DataFrame:
    """A frame as every export shows it: ID-shaped text masked in any text column, cells defused, one line each."""
    risky = columns_to_defuse(frame)
    masked = frame.with_columns([mask_id_shaped_series(frame.get_column(c)) for c in risky])
    return masked.with_columns([defuse_text(c) for c in risky])
