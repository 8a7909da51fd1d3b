"""The department-file columns (departments.md): Chinese and English headers, canonical names, required ones."""
from __future__ import annotations

import unicodedata

from tasks.ingest.parse import Contract
from tasks.validate.columns import BRACKETED

# canonical name -> Chinese header, in the contract's order
COLUMNS: dict[str, str] = {"id_number": "身份证号", "name": "姓名", "event": "事项", "event_date": "发生日期",
                           "amount": "金额", "grade": "等级", "note": "说明"}
REQUIRED = ("id_number", "name", "event", "event_date")
# other names of the same column, as departments' systems export them (README: department files)
SYNONYMS = {"id_number": ("身份证号码", "公民身份号码", "身份证件号码")}
AMOUNT_UNITS = ("元", "单位元")  # 金额（元）, 金额(单位：元): the contract's yuan; 金额(万元) names no column


def _header_key(cell: str) -> str:
    """A header cell reduced for matching: NFKC (（） are ()), no whitespace of any width, English lower-cased."""
    return "".join(unicodedata.normalize("NFKC", cell.replace("\ufeff", "")).split()).lower()


HEADER_TO_COLUMN = ({_header_key(zh): name for name, zh in COLUMNS.items()} | {_header_key(n): n for n in COLUMNS}
                    | {_header_key(other): name for name, others in SYNONYMS.items() for other in others})


def canonical(cell: str | None) -> str | None:
    """The column a department header cell names (its name, another name of it, 金额 with its unit in yuan), or None."""
    key = _header_key(cell or "")
    if name := HEADER_TO_COLUMN.get(key):
        return name
    said = BRACKETED.match(key)
    return "amount" if said and said[1] == "金额" and said[2].replace(":", "") in AMOUNT_UNITS else None


# a cell merged down over records (事项 over a group of one event, 发生日期 over a batch approved on one day) is each
# record's value, as Excel shows it and as a return's text and date columns read; 金额 merged may be their total
MERGED_FILL = frozenset(name for name in COLUMNS if name != "amount")
# notes_below: the header repeated atop a printed page, a note or signature line under the list (注：, 制表人：) and a
# row numbering the columns are no records, as under a return's table (tasks/ingest/header_rows.py)
CONTRACT = Contract(tuple(COLUMNS), REQUIRED, COLUMNS, canonical,
                    "部门数据表", "表头下没有任何记录行(不替代已报送的版本)", notes_below=True, merged_fill=MERGED_FILL)
