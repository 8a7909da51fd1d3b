"""Clean a batch of raw rows: normalise text, and type amounts, counts, yes/no and dates (raw text kept)."""
from __future__ import annotations

import polars as pl

from tasks.columns import AMOUNTS, COLUMNS, COUNTS

EXCEL_EPOCH_DAYS = 25569  # Excel serial day of 1970-01-01
BLANKS = r"[\s\u3000\u00a0\ufeff]+"


def _normalised(name: str) -> pl.Expr:
    """A text column NFKC-normalised (full-width digits and letters to ASCII), trimmed, empty -> null."""
    text = pl.col(name).str.normalize("NFKC").str.strip_chars()
    return pl.when(text.str.replace_all(BLANKS, "") == "").then(None).otherwise(text)


def _compact(name: str) -> pl.Expr:
    """A text column with every kind of space removed (for codes and numbers)."""
    return _normalised(name).str.replace_all(BLANKS, "")


def _number(name: str) -> pl.Expr:
    """An amount or count as a float: thousands separators dropped; null when empty or not a number."""
    text = _compact(name).str.replace_all(r"[,，]", "").str.replace(r"元$", "")
    return pl.when(text.str.contains(r"^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")).then(text).cast(pl.Float64, strict=False)


def _id_code(name: str) -> pl.Expr:
    """An identifier as text: spaces gone, a trailing '.0' from Excel gone, lowercase x upper-cased."""
    return _compact(name).str.replace(r"\.0+$", "").str.to_uppercase()


def _yes_no(name: str) -> pl.Expr:
    """是/否 (or yes/no, Y/N, 1/0) as a boolean; anything else null."""
    text = _compact(name).str.to_lowercase()
    return (pl.when(text.is_in(["是", "yes", "y", "1", "true"])).then(True)
            .when(text.is_in(["否", "no", "n", "0", "false"])).then(False).otherwise(None))


def _date(name: str) -> pl.Expr:
    """YYYY-MM-DD, YYYY/M/D, a datetime text or an Excel serial day as a date; anything else null."""
    text = _compact(name).str.replace(r"(\d)(\d{2}:\d{2}:\d{2}(\.\d+)?)$", "$1").str.replace_all("/", "-")
    parsed = text.str.strptime(pl.Date, "%Y-%m-%d", strict=False)
    serial = text.cast(pl.Float64, strict=False)
    from_serial = (serial - EXCEL_EPOCH_DAYS).cast(pl.Int32, strict=False).cast(pl.Date, strict=False)
    return pl.coalesce(parsed, pl.when(serial.is_between(20000, 80000)).then(from_serial))


def _risk_causes(name: str) -> pl.Expr:
    """Risk causes split on 、 , ， ; and re-joined with 、."""
    parts = _compact(name).str.replace_all(r"[,，;；/]", "、").str.split("、").list.eval(
        pl.element().filter(pl.element() != ""))
    return pl.when(parts.list.len() > 0).then(parts.list.join("、"))


def clean_batch(raw: pl.DataFrame) -> pl.DataFrame:
    """Typed columns under the canonical names; every typed column keeps its raw text as <name>__text."""
    typed: list[pl.Expr] = []
    kept_text: list[pl.Expr] = []
    for name, (_, kind) in COLUMNS.items():
        if kind == "text":
            cleaner = _id_code if name in ("household_id", "head_id_number") else (
                _risk_causes if name == "risk_causes" else _normalised)
            typed.append(cleaner(name).alias(name))
            continue
        kept_text.append(_normalised(name).alias(f"{name}__text"))
        converter = {"amount": _number, "count": _number, "yesno": _yes_no, "date": _date}[kind]
        typed.append(converter(name).alias(name))
    cleaned = raw.with_columns(kept_text).with_columns(typed)
    # policy: an empty property_income means 0 (a text that is not a number stays null, to be reported)
    cleaned = cleaned.with_columns(
        pl.when(pl.col("property_income__text").is_null()).then(0.0).otherwise(pl.col("property_income"))
        .alias("property_income"))
    # a count that is not a whole number stays null here; validation reports it from the text
    return cleaned.with_columns(
        [pl.when(pl.col(c) == pl.col(c).round(0)).then(pl.col(c)).cast(pl.Int32, strict=False).alias(c) for c in COUNTS]
    )


NUMERIC = AMOUNTS + COUNTS
