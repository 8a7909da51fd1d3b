"""The department-file columns (departments.md): Chinese and English headers, canonical names, required ones."""
from __future__ import annotations

from tasks.ingest.parse import Contract

# canonical name -> Chinese header, in the contract's order
COLUMNS: dict[str, str] = {"id_number": "身份证号", "name": "姓名", "event": "事项", "event_date": "发生日期",
                           "amount": "金额", "grade": "等级", "note": "说明"}
REQUIRED = ("id_number", "name", "event", "event_date")


def _header_key(cell: str) -> str:
    """A header cell reduced for matching: no whitespace of any width, English lower-cased."""
    return "".join(cell.replace("\ufeff", "").split()).lower()


HEADER_TO_COLUMN = {_header_key(zh): name for name, zh in COLUMNS.items()} | {_header_key(n): n for n in COLUMNS}
# a cell merged down over records (事项 over a group of one event, 发生日期 over a batch approved on one day) is each
# record's value, as Excel shows it and as a return's text and date columns read; 金额 merged may be their total
MERGED_FILL = frozenset(name for name in COLUMNS if name != "amount")
# notes_below: the header repeated atop a printed page, a note or signature line under the list (注：, 制表人：) and a
# row numbering the columns are no records, as under a return's table (tasks/ingest/header_rows.py)
CONTRACT = Contract(tuple(COLUMNS), REQUIRED, COLUMNS, lambda cell: HEADER_TO_COLUMN.get(_header_key(cell or "")),
                    "部门数据表", "表头下没有任何记录行(不替代已报送的版本)", notes_below=True, merged_fill=MERGED_FILL)
