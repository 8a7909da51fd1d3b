"""Clean a batch of raw rows: normalise text, and type amounts, counts, yes/no and dates (raw text kept)."""
from __future__ import annotations

import polars as pl

from tasks.validate.columns import COLUMNS, COUNTS, HOUSEHOLD_TYPES
from tasks.validate.id_number import INVISIBLE
from tasks.validate.other_names import HOUSEHOLD_TYPE_NAMES

PLAIN_NUMBER = r"^-?[0-9]+(\.[0-9]*)?$"  # no spaces, separators or unit: _number leaves it as it is
EXCEL_EPOCH_DAYS = 25569  # Excel serial day of 1970-01-01
# a time of day after a date: Excel shows a date cell holding one as 2020/6/4 9:30 (so a CSV it saves says it),
# calamine as 2020-06-04 09:30:00; cut before spaces are removed, which would join it to the day
TIME_OF_DAY = r"(?:\s+|T)(?:[01]?[0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]+)?)?$"
BLANK = r"[\s\u3000\u00a0\ufeff]"
COUNT_UNIT = r"^(.*[0-9])[\s\u3000\u00a0]*[人口个名]$"
BLANKS = BLANK + "+"
NOT_DIGIT = r"[^0-9\s\u3000\u00a0\ufeff]"
# every character BLANKS matches (Unicode White_Space, as regex \s) plus the BOM: a cell made only of
# these is empty; stripping them from both ends is much cheaper than a regex over every cell
BLANK_CHARS = ("\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
               "\u200a\u2028\u2029\u202f\u205f\u3000\ufeff")
# what clerks write in 住房安全/饮水安全, matched spaceless and lower-cased (README: how cells are read); 有/无, 对/错
# and x are not here: 有 may be 有隐患 as well as 有保障, and an x marks a box as often as it crosses one out
YES = ["是", "安全", "有保障", "达标", "√", "✓", "✔", "yes", "y", "true", "1"]
# a nil figure as Chinese accounts and Excel's accounting format write it (a dash, ￥ - ): 0; a slash marks a cell
# left empty (not applicable, 不适用), read as an empty cell is (README: placeholders in amounts and counts). 无 is a
# word, not a figure: ROW_NOT_NUMBER, as the spec's rule for an amount that is not a number and the synthetic city's
# planted faults have it; a village means 0 by it as often as "not known"
NIL = "^¥?[-‐‑‒–—―−]{1,2}$"
LEFT_EMPTY = ("/", "\\")
NO = ["否", "不安全", "无保障", "没有保障", "不达标", "未达标", "×", "✗", "✘", "✕", "✖", "no", "n", "false", "0"]


def nfkc(values: pl.Series) -> pl.Series:
    """A text series NFKC-normalised (full-width digits and letters to ASCII) and without the characters that show
    as nothing (a zero-width space, a direction mark, a soft hyphen: pasted from a web page or a chat, they made a
    16-digit 户编号 "not 16 digits" and an amount "not a number" to a clerk who sees neither); only its non-ASCII
    values are touched, pure ASCII being its own form (most amounts and codes)."""
    non_ascii = (values.str.len_bytes() != values.str.len_chars()).arg_true()
    if non_ascii.len() == 0:
        return values
    return values.scatter(non_ascii, values.gather(non_ascii).str.normalize("NFKC").str.replace_all(
        f"[{INVISIBLE}]", ""))


def formula_text(values: pl.Series) -> pl.Series:
    """A text series with each CSV cell written as Excel's text formula (="4305210010010001", as systems export a long
    number for Excel to keep its digits) read as the text Excel shows; only such cells are touched (few)."""
    opened = values.str.starts_with('="').fill_null(False).arg_true()
    if opened.len() == 0:
        return values
    cells = values.gather(opened)
    closed = cells.str.ends_with('"') & (cells.str.len_chars() >= 3)
    return values.scatter(opened.filter(closed), cells.filter(closed).str.slice(2).str.head(-1))


def _normalised(name: str) -> pl.Expr:
    """An NFKC-normalised text column trimmed, empty -> null."""
    text = pl.col(name).str.strip_chars()
    return pl.when(text.str.strip_chars(BLANK_CHARS) == "").then(None).otherwise(text)


def _compact(name: str | pl.Expr) -> pl.Expr:
    """An already normalised text column (or expression) with every kind of space removed (for codes, yes/no and
    dates)."""
    text = pl.col(name) if isinstance(name, str) else name
    return pl.when(text.str.contains(BLANKS)).then(text.str.replace_all(BLANKS, "")).otherwise(text)


def _number(name: str) -> pl.Expr:
    """An amount or count as a float: thousands separators (a comma or a space) dropped where they group by three
    (`1,234.50`, `3 000`; `1,5`, `12 34` and `1.234,56` are not numbers here, not 15, 1234 and 1.23456), a 元 after
    it or a ¥ before it; null when empty, not a number, or not finite."""
    # a space next to anything but a digit goes (`- 500`, `1, 234`, `800 元`); one between two digits stays, to
    # be a thousands separator or to make the cell no number: `3000 500` is two figures, not 3000500
    # Excel saves a CSV as its cells show: Chinese Excel's currency format as ￥1,200.00 (NFKC: ¥), its accounting
    # format's zero as ￥ - ; a sign may come before the ¥ (-￥50.00)
    text = (pl.col(name).str.strip_chars(BLANK_CHARS).str.replace_all(f"({NOT_DIGIT}){BLANKS}", "$1")
            .str.replace_all(f"{BLANKS}({NOT_DIGIT})", "$1").str.replace(r"元$", "").str.replace(NIL, "0")
            .str.replace("^(-?)¥", "$1"))
    grouped = text.str.contains(rf"^-?[0-9]{{1,3}}(([,，]|{BLANK})[0-9]{{3}})+(\.[0-9]*)?$")
    text = pl.when(grouped).then(text.str.replace_all(rf"[,，]|{BLANK}", "")).otherwise(text)
    value = pl.when(text.str.contains(r"^-?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$")).then(text).cast(
        pl.Float64, strict=False)
    return pl.when(value.is_finite()).then(value)


def _id_code(name: str) -> pl.Expr:
    """An identifier as text: spaces gone, a trailing '.0' from Excel gone, lowercase x upper-cased."""
    return _compact(name).str.replace(r"\.0+$", "").str.to_uppercase()


def _household_type(name: str) -> pl.Expr:
    """A 户类型 as the contract's type: the national system's name of the same meaning (边缘易致贫户 is 边缘户) and
    spaces of any width ignored; any other text as written, to be reported as ROW_HOUSEHOLD_TYPE."""
    text = _normalised(name)
    named = _compact(text).replace(HOUSEHOLD_TYPE_NAMES)
    return pl.when(named.is_in(HOUSEHOLD_TYPES)).then(named).otherwise(text)


def _yes_no(name: str) -> pl.Expr:
    """A 住房安全/饮水安全 cell as a boolean (YES, NO); anything else null, reported as ROW_NOT_YES_NO."""
    text = _compact(name).str.to_lowercase()
    return pl.when(text.is_in(YES)).then(True).when(text.is_in(NO)).then(False).otherwise(None)


def _date(name: str) -> pl.Expr:
    """YYYY-MM-DD, YYYY/M/D, either with a time of day, or an Excel serial day as a date (and, as clerks write them,
    YYYY年M月D日 and YYYY.M.D); anything else null."""
    text = (_compact(pl.col(name).str.replace(TIME_OF_DAY, ""))
            .str.replace(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$", "$1-$2-$3")
            .str.replace(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$", "$1-$2-$3").str.replace_all("/", "-"))
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
    typed: list[pl.Expr | str] = []  # a column name: a number, typed from its text by number_series
    normalised: list[pl.Expr] = []  # each column normalised once; the typed values are read from that text
    for name, (_, kind) in COLUMNS.items():
        if kind == "text":
            normalised.append((_household_type if name == "household_type" else _normalised)(name).alias(name))
            if name in ("household_id", "head_id_number", "risk_causes"):
                typed.append((_risk_causes if name == "risk_causes" else _id_code)(name).alias(name))
            continue
        text = _normalised(name)
        if kind in ("amount", "count"):
            text = pl.when(text.is_in(list(LEFT_EMPTY))).then(None).otherwise(text)
        normalised.append(text.alias(f"{name}__text"))
        typed.append(name if kind in ("amount", "count") else
                     {"yesno": _yes_no, "date": _date}[kind](f"{name}__text").alias(name))
    unicode_fixed = raw.with_columns([nfkc(formula_text(raw.get_column(name))) for name in COLUMNS])
    cleaned = unicode_fixed.with_columns(normalised)
    cleaned = cleaned.with_columns([number_series(_without_unit(cleaned.get_column(f"{c}__text"), c)).alias(c)
                                    if isinstance(c, str) else c for c in typed])
    # policy: an empty property_income means 0 (a text that is not a number stays null, to be reported)
    cleaned = cleaned.with_columns(
        pl.when(pl.col("property_income__text").is_null()).then(0.0).otherwise(pl.col("property_income"))
        .alias("property_income"))
    # a count that is not a whole number stays null here; validation reports it from the text
    return cleaned.with_columns(
        [pl.when(pl.col(c) == pl.col(c).round(0)).then(pl.col(c)).cast(pl.Int32, strict=False).alias(c) for c in COUNTS]
    )


def _without_unit(text: pl.Series, name: str) -> pl.Series:
    """A count's text without the unit after its number (3人, 5 口: Excel's custom format 0"人", which a CSV saved
    by Excel writes as shown, as it writes 0"元" for an amount); any other column's as it is."""
    if name not in COUNTS:
        return text
    rows = text.str.contains("[人口个名]$").fill_null(False).arg_true()  # few: a regex replace on all costs 0.4 µs a cell
    return text.scatter(rows, text.gather(rows).str.replace(COUNT_UNIT, "$1")) if rows.len() else text


def number_series(text: pl.Series) -> pl.Series:
    """_number on a normalised text series: a plain number (most values) is cast as it is, which is what _number
    makes of it; only the other values go through _number's rules."""
    frame = text.to_frame("text")
    values = frame.select(pl.when(pl.col("text").str.contains(PLAIN_NUMBER)).then(pl.col("text"))
                          .cast(pl.Float64, strict=False)).to_series()
    values = values.scatter((~values.is_finite()).arg_true(), None)  # 400 digits cast to inf: not a number
    others = (values.is_null() & text.is_not_null()).arg_true()
    if others.len() == 0:
        return values
    return values.scatter(others, frame[others].select(_number("text")).to_series())
