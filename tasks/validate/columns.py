"""The village-return columns: Chinese and English headers, canonical names, kinds, and which are required."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from core.flag_codes import HOUSEHOLD_TYPES as HOUSEHOLD_TYPE_CODES
from tasks.validate.id_number import INVISIBLE
from tasks.validate.other_names import NOT_THE_COLUMN, SYNONYMS

# canonical name -> (Chinese header, kind). Order is the contract's order.
COLUMNS: dict[str, tuple[str, str]] = {
    "household_id": ("户编号", "text"),
    "head_name": ("户主姓名", "text"),
    "head_id_number": ("户主身份证号", "text"),
    "household_size": ("家庭人口数", "count"),
    "labor_count": ("劳动力人数", "count"),
    "household_type": ("户类型", "text"),
    "wage_income": ("工资性收入", "amount"),
    "business_income": ("生产经营性收入", "amount"),
    "property_income": ("财产性收入", "amount"),
    "transfer_income": ("转移性收入", "amount"),
    "business_expense": ("生产经营性支出", "amount"),
    "last_year_per_capita": ("上年人均纯收入", "amount"),
    "housing_safe": ("住房安全", "yesno"),
    "water_safe": ("饮水安全", "yesno"),
    "dropout_count": ("义务教育阶段失学辍学人数", "count"),
    "insured_count": ("参加基本医疗保险人数", "count"),
    "risk_causes": ("风险原因", "text"),
    "report_date": ("填报日期", "date"),
}
REQUIRED = [
    "household_id", "head_name", "head_id_number", "household_size", "household_type",
    "wage_income", "business_income", "property_income", "transfer_income", "business_expense",
]
AMOUNTS = [c for c, (_, kind) in COLUMNS.items() if kind == "amount"]
COUNTS = [c for c, (_, kind) in COLUMNS.items() if kind == "count"]
YES_NO = [c for c, (_, kind) in COLUMNS.items() if kind == "yesno"]
HOUSEHOLD_TYPES = list(HOUSEHOLD_TYPE_CODES)
CHINESE = {name: zh for name, (zh, _) in COLUMNS.items()}


def _header_key(cell: str) -> str:
    """A header cell reduced for matching as every cell is read (NFKC, without the characters that show as nothing:
    户\u200b编号 is the 户编号 the clerk sees), no whitespace of any width, English lower-cased."""
    if not cell.isascii():
        cell = SHOWS_AS_NOTHING.sub("", unicodedata.normalize("NFKC", cell))
    return "".join(cell.split()).lower()


SHOWS_AS_NOTHING = re.compile(f"[{INVISIBLE}]")
HEADER_TO_COLUMN = {_header_key(zh): name for name, (zh, _) in COLUMNS.items()} | {
    _header_key(name): name for name in COLUMNS
}
ALIAS_TO_COLUMN = {_header_key(other): name for name, others in SYNONYMS.items() for other in others}
LOOK_ALIKES = {_header_key(header): said for header, said in NOT_THE_COLUMN.items()}


# a header cell giving its column's unit (工资性收入（元）, 家庭人口数(人), 转移性收入(单位：元)) or, for an amount, that
# it is the year to date (工资性收入(本年累计), (累计,元)): both must be the contract's, so 工资性收入(万元) names no
# column here (tasks/ingest/amount_unit.py refuses it by name), nor 工资性收入(本月)
BRACKETED = re.compile(r"^(.+?)[(\[【]([^()\[\]【】]+)[)\]】]$")  # matched NFKC-normalised: （） are ()
# and for a yes/no column, its choices (住房安全(是/否)): the column, not another one kept aside without a word
UNITS = {"amount": ("元",), "count": ("人", "口", "个", "名"), "yesno": ("是", "否", "是否", "是或否", "填是或否")}
YEAR_TO_DATE = re.compile(r"(?:本年度?|年度?|今年)?累计(?:数|额|金额|值)?")  # never 上月累计 nor 上年同期


REQUIRED_MARKS = "*＊"  # import templates mark the columns that must be filled: *户编号, 户主姓名*


def canonical_column(cell: str | None) -> str | None:
    """The canonical column a header cell names (its own name, English or Chinese, or another name of the same
    meaning), with or without its unit, a note of what it holds (含…) or a required mark; None for a column not in
    the contract."""
    return _named(cell)[0]


def is_alias(cell: str | None) -> bool:
    """True when a header cell names its column by another name (家庭人口), which yields to the column's own name
    (家庭人口数) in the same header."""
    name, base = _named(cell)
    return name is not None and base not in HEADER_TO_COLUMN


def look_alike(cell: str | None) -> tuple[str, str] | None:
    """(the column, why it is not that column) for a header naming another figure like a column (经营净收入)."""
    key = _header_key(cell or "").strip(REQUIRED_MARKS)
    said = BRACKETED.match(key)
    return LOOK_ALIKES.get(key) or (LOOK_ALIKES.get(said[1]) if said else None)


@lru_cache(maxsize=8192)  # a template's header cells come back in every file: the same few hundred strings
def _named(cell: str | None) -> tuple[str | None, str]:
    """The column a header cell names and the name it matched by (its key, without marks and brackets)."""
    key = _header_key(cell or "")
    if not key:
        return None, key
    if key[0] in REQUIRED_MARKS or key[-1] in REQUIRED_MARKS:
        key = key.strip(REQUIRED_MARKS)
    # a statistical table names a part of the column before it so (家庭人口数 | 其中：劳动力人数): the part is the column
    key = key.removeprefix("其中").lstrip(":")
    if name := HEADER_TO_COLUMN.get(key) or ALIAS_TO_COLUMN.get(key):
        return name, key
    return _bracketed(key)


# a bracket saying what an amount holds (转移性收入(含低保、养老金、生态补偿金)): the column under another note; never a
# part left out (不含…), nor a note naming 万 (a unit of 万元, which amount_unit.py would no longer see here)
CONTENTS = re.compile(r"^(?:含|包含|包括)[^万]*$")


def _bracketed(key: str, depth: int = 2) -> tuple[str | None, str]:
    """The column a header key names before a bracket giving its unit, that it is the year to date, or its contents
    (up to `depth` such brackets: 转移性收入(含低保)(元))."""
    if not (said := BRACKETED.match(key)):
        return None, key
    base = said[1]
    name = HEADER_TO_COLUMN.get(base) or ALIAS_TO_COLUMN.get(base)
    if name is None and depth > 1:
        name, base = _bracketed(base, depth - 1)
    if name is None:
        return None, key
    if COLUMNS[name][1] == "amount" and CONTENTS.match(said[2]):
        return name, base
    kind = COLUMNS[name][1]
    for part in re.split("[,，、/;；]", said[2]):
        part = part.removeprefix("单位").lstrip(":：")
        if part not in UNITS.get(kind, ()) and not (kind == "amount" and YEAR_TO_DATE.fullmatch(part)):
            return None, key
    return name, base
