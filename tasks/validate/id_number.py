"""Resident ID numbers (GB 11643): 17 digits, a real birth date, an ISO 7064 MOD 11-2 check character."""
from __future__ import annotations

import re
from datetime import date

import polars as pl

WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]  # 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
CHECK_CHARS = "10X98765432"  # check character by (weighted sum mod 11)
SCIENTIFIC = r"^[0-9](\.[0-9]+)?E\+?[0-9]+$"
EARLIEST_BIRTH_YEAR = 1900


def check_character(first17: str) -> str:
    """The MOD 11-2 check character of the first 17 digits."""
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS)) % 11]


def explain_id_number(text: str, latest_birth: date | None = None) -> str | None:
    """Why an (already normalised) ID fails GB 11643, in Chinese; None when it is valid. latest_birth: the last
    possible birth date (the end of the month the row describes); none: no upper bound."""
    import re
    if re.fullmatch(SCIENTIFIC, text):
        return "被Excel转成了科学计数法，后几位已丢失"
    if re.fullmatch(r"[0-9]{17}", text):
        return "只有17位(末位X可能被Excel丢掉)"
    if len(text) != 18:
        return f"长度为{len(text)}位，应为18位"
    if not re.fullmatch(r"[0-9]{17}[0-9X]", text):
        return "含有数字和X以外的字符"
    try:
        born = date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return f"出生日期{text[6:14]}不存在"
    if not EARLIEST_BIRTH_YEAR <= born.year or (latest_birth is not None and born > latest_birth):
        return f"出生日期{text[6:14]}不可能"
    if check_character(text[:17]) != text[17]:
        return "末位校验码不符"
    return None


def latest_birth_of(period_column: str) -> pl.Expr:
    """Polars: the last possible birth date of a person a row describes: the end of the row's month (YYYYMM).
    Judged against the data, not the clock, so a file checked again later, or in a replay, gets the same result."""
    return pl.col(period_column).str.strptime(pl.Date, "%Y%m", strict=False).dt.month_end()


def id_number_reason(column: str, latest_birth: pl.Expr | None = None) -> pl.Expr:
    """Polars: the reason an ID column's value fails GB 11643 (null when valid or empty); latest_birth: the last
    possible birth date per row (latest_birth_of; none: no upper bound)."""
    text = pl.col(column)
    weighted = pl.sum_horizontal([text.str.slice(i, 1).cast(pl.Int32, strict=False) * w
                                  for i, w in enumerate(WEIGHTS)])
    expected = pl.lit(CHECK_CHARS).str.slice(weighted % 11, 1)
    birth = text.str.slice(6, 8).str.strptime(pl.Date, "%Y%m%d", strict=False)
    too_late = pl.lit(False) if latest_birth is None else (birth > latest_birth).fill_null(False)
    return (pl.when(text.is_null()).then(None)
            .when(text.str.contains(SCIENTIFIC)).then(pl.lit("被Excel转成了科学计数法，后几位已丢失"))
            .when(text.str.contains(r"^[0-9]{17}$")).then(pl.lit("只有17位(末位X可能被Excel丢掉)"))
            .when(text.str.len_chars() != 18)
            .then(pl.format("长度为{}位，应为18位", text.str.len_chars()))
            .when(~text.str.contains(r"^[0-9]{17}[0-9X]$")).then(pl.lit("含有数字和X以外的字符"))
            .when(birth.is_null()).then(pl.format("出生日期{}不存在", text.str.slice(6, 8)))
            .when((birth.dt.year() < EARLIEST_BIRTH_YEAR) | too_late)
            .then(pl.format("出生日期{}不可能", text.str.slice(6, 8)))
            .when(text.str.slice(17, 1) != expected).then(pl.lit("末位校验码不符"))
            .otherwise(None))


def eighteen_digit(column: str | pl.Expr) -> pl.Expr:
    """Polars: an ID in its 18-digit form, the key a person is matched by: a first-generation one (15 digits: no
    century, no check character) with 19 put before its year and its check character after; any other as it is."""
    text = pl.col(column) if isinstance(column, str) else column
    body = text.str.slice(0, 6) + pl.lit("19") + text.str.slice(6, 9)
    weighted = pl.sum_horizontal([body.str.slice(i, 1).cast(pl.Int32, strict=False) * w for i, w in enumerate(WEIGHTS)])
    return pl.when(text.str.contains(r"^[0-9]{15}$")).then(body + pl.lit(CHECK_CHARS).str.slice(weighted % 11, 1)) \
        .otherwise(text)


def fifteen_digit(column: str | pl.Expr) -> pl.Expr:
    """Polars: the first-generation (15-digit) form of an 18-digit ID of a person born in the 1900s, else null."""
    text = pl.col(column) if isinstance(column, str) else column
    return pl.when(text.str.contains(r"^[0-9]{6}19[0-9]{9}[0-9X]$")).then(text.str.slice(0, 6) + text.str.slice(8, 9))


def mask_id_text(column: str) -> pl.Expr:
    """Polars: an ID as shown in a problem's detail: first 6 and last 4 characters (mask_id), or as
    written when Excel's scientific notation already lost the digits."""
    text = pl.col(column)
    n = text.str.len_chars()
    masked = text.str.slice(0, 6) + pl.lit("*").repeat_by(n - 10).list.join("") + text.str.slice(-4, 4)
    return (pl.when(text.str.contains(SCIENTIFIC)).then(text)
            .when(n > 10).then(masked).otherwise(pl.lit("*").repeat_by(n).list.join("")))


# policy.md, Privacy: anything shaped like a resident ID (17 digits, then a digit or X, or 17 digits alone;
# full-width digits too) is masked wherever povmon shows text, whichever column or sentence it came from; so is a
# first-generation ID (exactly 15 digits: region, YYMMDD, sequence), never a 16-digit household ID (户编号)
DIGIT = "[0-9０-９]"
# an ID is shown as a reader sees it: a character that shows as nothing (a zero-width space, a direction mark, a soft
# hyphen, as text pasted from a web page or a chat carries) is no break in its digits, and spaces of any width
# between its fields (地址码, 出生日期, 顺序码: 6, 8 and 4 characters, an old ID's 6, 6 and 3) are how a card
# writes it (or hyphens); either hid a whole ID from the masking
INVISIBLE = "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
HIDDEN_BREAK = re.compile(rf"(?<={DIGIT})[{INVISIBLE}]+(?=[0-9０-９XxＸｘ])")
# between a card's fields: spaces of any width, or a hyphen (110105-19491231-002X) with spaces or none around it
GAP = r"(?:[^\S\r\n]*[-－‐‑][^\S\r\n]*|[^\S\r\n]+)"
# its first 6 digits (group 1), then: the middle and last 4 of a run of 17 or more (2, 3), of a run of exactly 15
# (4, 5), or the gaps and fields of a card's way of writing one (6); one prefix for the three, tried once a place
ID_SHAPED = re.compile(rf"(?<!{DIGIT})({DIGIT}{{6}})(?:({DIGIT}{{7,}})({DIGIT}{{3}}[0-9０-９XxＸｘ]|{DIGIT}{{4}})"
                       rf"|({DIGIT}{{5}})({DIGIT}{{4}})(?!{DIGIT})"
                       rf"|({GAP}(?:{DIGIT}{{8}}{GAP}{DIGIT}{{3}}[0-9０-９XxＸｘ]|{DIGIT}{{6}}{GAP}{DIGIT}{{3}}(?!{DIGIT}))))")
ANY_INVISIBLE = re.compile(f"[{INVISIBLE}]")
# the same test for Polars (no look-around there): a text that may hold one. Every ID_SHAPED match holds 16 digits
# then a digit or X, or is a run of exactly 15, or 6 digits and a gap before 6 more; a hidden break follows a digit
ID_SHAPED_HINT = (rf"{DIGIT}{{16}}[0-9０-９XxＸｘ]|(?:^|[^0-9０-９]){DIGIT}{{15}}(?:[^0-9０-９]|$)"
                  rf"|{DIGIT}{{6}}{GAP}{DIGIT}{{6}}|{DIGIT}[{INVISIBLE}]")
# past this many characters a text is first searched for the hint by Polars' regex engine: Python's scans a page's
# table bodies (2 MB each at city scale) at ~12 MB/s, the masking was a third of rendering the pages
LONG_TEXT = 10_000
# a run of 15 digits, which every ID_SHAPED match without a gap holds (and the hint's other two): Python tells that a
# text has none ~5 times faster than ID_SHAPED does (a chart's SVG, a page's table: many short numbers)
# (factored on the first digit: Python's engine then skips to the next digit at once; three alternatives tried at
# every character took 2.4 times as long over a page's cells)
DIGIT_RUN = re.compile(rf"{DIGIT}(?:{DIGIT}{{5}}(?:{DIGIT}{{9}}|{GAP}{DIGIT}{{6}})|[{INVISIBLE}])")


# a case's 台账编号 (tasks/cases/rules.case_id: K, the opening month, 12 hex digits) is povmon's own key, never a
# person's: about 1.5 % of them hold an ID-shaped run of digits, and a masked key can no longer be looked up. Its
# run starts with the month's 19 or 20, and no resident ID does (no province's code is 19 or 20)
CASE_ID = re.compile(r"(?<![0-9A-Za-z])(K(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])[0-9A-F]{12})(?![0-9A-Za-z])")


def mask_id_shaped(text: str) -> str:
    """Text with every resident-ID-shaped run shown as its first 6 and last 4 characters (`430521********1234`,
    a 15-digit one `430521*****1234`): the one masking of free text, applied to every page and export. A case's
    台账编号 in it is left as it is (CASE_ID)."""
    if not isinstance(text, str) or len(text) < 15:
        return text
    if "K" in text and CASE_ID.search(text):  # split keeps the ids: at the odd positions
        return "".join(part if index % 2 else _mask_runs(part) for index, part in enumerate(CASE_ID.split(text)))
    return _mask_runs(text)


def _mask_runs(text: str) -> str:
    """Every ID-shaped run of a text masked."""
    if len(text) > LONG_TEXT:
        if not pl.Series([text]).str.contains(ID_SHAPED_HINT).item():
            return text
    elif not DIGIT_RUN.search(text):
        return text
    if ANY_INVISIBLE.search(text):  # rare: HIDDEN_BREAK, a look-behind first, is tried at every character
        text = HIDDEN_BREAK.sub("", text)
    return ID_SHAPED.sub(masked_run, text)


def masked_run(found: re.Match) -> str:
    """An ID_SHAPED match shown as its first 6 and last 4 characters (the gaps between its fields kept)."""
    if found[2]:
        return found[1] + "*" * len(found[2]) + found[3]
    if found[4]:
        return found[1] + "*" * len(found[4]) + found[5]
    shown = [i for i, ch in enumerate(found[0]) if ch.isalnum()]  # its digits and X: the gaps are kept
    hidden = set(shown[6:-4])
    return "".join("*" if i in hidden else ch for i, ch in enumerate(found[0]))


def mask_id_shaped_series(values: pl.Series) -> pl.Series:
    """mask_id_shaped over a text series, computed only on the (few) values that may hold an ID."""
    hits = values.str.contains(ID_SHAPED_HINT).fill_null(False).arg_true()
    if hits.len() == 0:
        return values
    return values.scatter(hits, [mask_id_shaped(v) for v in values.gather(hits).to_list()])
