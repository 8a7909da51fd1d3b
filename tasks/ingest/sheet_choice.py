"""Which sheet of a workbook of several visible ones to read: the one holding the table's header (not a 填表说明 in
front of it), the one named for the file's month among several holding the table, and a warning naming the sheets
holding the table that were left unread, or the one table's sheet named for another month."""
from __future__ import annotations

import html
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence

from tasks.ingest.limits import Deadline
from tasks.ingest.xlsx_layout import SheetLayout, column_number
from tasks.validate.id_number import mask_id_shaped

HEAD_ROWS = 10  # the header is looked for in Excel's rows 1-10 (parse.HEADER_SEARCH_ROWS)
HEAD_BLOCK = 1 << 12  # a return's header row fits in the first block; later blocks are twice the one before
SHARED_BLOCK = 1 << 12  # a header's strings come first among the shared strings, in Excel's files and others'
HEAD_MAX_BYTES = 1 << 21  # a return's first rows never need more: the rows whole in it are all that is looked at
SHOWN_SHEETS = 12
SHOWN_NAME_CHARS = 31  # Excel's own limit on a sheet's name; a crafted file's may be any length
# a row's content never runs into the next row's tag (xlsx_layout.ROW_CONTENT: a row left open scanned the rest)
ROW = re.compile(rb'<(?:\w+:)?row\b([^<>]*?)(?:/>|>((?:[^<]++|<(?!/?(?:\w+:)?row\b))*+)</(?:\w+:)?row>)')
ROW_NUMBER = re.compile(rb'\br="0*([0-9]+)"')
CELL = re.compile(rb'<(?:\w+:)?c\b([^<>]*?)(?:/>|>((?:[^<]++|<(?!/?(?:\w+:)?c\b))*+)</(?:\w+:)?c>)')  # as ROW
CELL_COLUMN = re.compile(rb'\br="([A-Z]{1,3})[0-9]+"')
CELL_TYPE = re.compile(rb'\bt="(\w+)"')
VALUE = re.compile(rb'<(?:\w+:)?v>(.*?)</(?:\w+:)?v>', re.S)
TEXT = re.compile(rb'<(?:\w+:)?t\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?t>)', re.S)
PHONETIC = re.compile(rb'<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>', re.S)  # pinyin over a name is no part of its text
SHARED_ITEM = re.compile(rb'<(?:\w+:)?si\b[^<>]*?(?:/>|>((?:[^<]++|<(?!/?(?:\w+:)?si\b))*+)</(?:\w+:)?si>)')  # as ROW
CHINESE_NUMBER = {"〇": "0", "零": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7",
                  "八": "8", "九": "9"}
MONTH_WORD = {"十": 10, "十一": 11, "十二": 12} | {k: int(v) for k, v in CHINESE_NUMBER.items() if v != "0"}
# a month written in a sheet's name, its year before it or not: 3月, 03月, 2020年3月, 2020-03月, 三月, 十二月,
# 二〇二〇年三月; never the 1月 of 11月 or 十一月, nor the 3月 of a range 1-3月
MONTH_MENTION = re.compile(r"(?<![0-9〇零一二三四五六七八九十\-~～—至到])(?:([0-9]{4}|[〇零一二三四五六七八九]{4})年?[-._/]?)?"
                           r"([0-9]{1,2}|十[一二]?|[一二三四五六七八九])月")
MONTH_ONLY = re.compile(r"(?:([0-9]{4})[-._/年]?)?([0-9]{1,2})")  # a name that is the month alone: 3, 03, 202003, 2020.3
MONTH_RANGE = re.compile(r"月份?[-~～—至到]")  # 1月-3月, 1月至3月: months from one to another, not one month


def month_mentions(name: str) -> list[tuple[int | None, int]]:
    """The (year or None, month) a sheet's name names (none for a name naming no month)."""
    text = "".join(unicodedata.normalize("NFKC", name).split())
    if whole := MONTH_ONLY.fullmatch(text):
        return [(int(whole.group(1)) if whole.group(1) else None, int(whole.group(2)))]
    found = []
    for year, month in MONTH_MENTION.findall(text):
        year_number = int("".join(CHINESE_NUMBER.get(c, c) for c in year)) if year else None
        found.append((year_number, int(month) if month.isdigit() else MONTH_WORD[month]))
    return found


def names_month(name: str, period: str) -> bool:
    """True when a sheet's name names the month of a period (YYYYMM) and no other."""
    year, month = int(period[:4]), int(period[4:6])
    mentions = month_mentions(name)
    return bool(mentions) and all(m == month and y in (None, year) for y, m in mentions)


def named_for(names: Sequence[str], period: str | None) -> int | None:
    """The position of the one sheet name naming a period's month (YYYYMM), None when no name or several do."""
    named = [position for position, name in enumerate(names) if period and names_month(name, period)]
    return named[0] if len(named) == 1 else None


def other_month(name: str, period: str) -> str | None:
    """The one month a sheet's name names (2020年1月, 1月) when it is not the period's (YYYYMM), else None: also for
    a range or list of months, and a number alone (alone, a sheet numbered 1 names no month)."""
    text = "".join(unicodedata.normalize("NFKC", name).split())
    whole = MONTH_ONLY.fullmatch(text)
    if (whole and not whole.group(1)) or MONTH_RANGE.search(text) or names_month(name, period):
        return None
    mentions = month_mentions(name)
    months, years = {m for _, m in mentions}, {y for y, _ in mentions if y is not None}
    if len(months) != 1 or len(years) > 1 or not 1 <= (month := months.pop()) <= 12:
        return None
    return f"{years.pop()}年{month}月" if years else f"{month}月"


def sheet_warnings(sheet: SheetLayout, period: str | None) -> list[tuple[str, str]]:
    """The warning about the sheet read: FILE_OTHER_SHEETS naming the sheets holding the table left unread, else
    FILE_SHEET_MONTH when the one table's sheet is named for another month than the file's. Its own code, not
    FILE_OTHER_SHEETS ("other sheets not read"): no sheet was left, and the village is told what to check, the month."""
    if sheet.note:
        return [("FILE_OTHER_SHEETS", sheet.note)]
    if not period or (named := other_month(sheet.name, period)) is None:
        return []
    month = f"{period[:4]}年{int(period[4:6])}月"
    return [("FILE_SHEET_MONTH", f"读取的工作表“{shown_name(sheet.name)}”名为{named}，文件名为{month}：已作为{month}的数据读入，"
                                 f"请核对所填是否为{month}的数据(套用旧表时请一并改工作表名)")]


class SharedStrings:
    """A workbook's shared strings, unpacked only as far as the highest index asked for."""

    def __init__(self, book: zipfile.ZipFile) -> None:
        """Nothing read yet (nor opened: most sheets looked at are read without)."""
        self.book, self.stream, self.opened = book, None, False
        self.items: list[bytes] = []  # each item's XML, its text made when asked for
        self.tail = b""
        self.block = SHARED_BLOCK  # each read twice the one before: an item never closed is rescanned a few times

    def __getitem__(self, index: int) -> str:
        """The index-th shared string ("" beyond the last)."""
        if not self.opened:
            self.opened = True
            part = next((n for n in self.book.namelist() if n.lower().endswith("sharedstrings.xml")), None)
            self.stream = self.book.open(part) if part else None
        while len(self.items) <= index and self.stream is not None:
            block, self.block = self.stream.read(self.block), self.block * 2
            if not block:
                self.stream.close()
                self.stream = None
            text, end = self.tail + block, 0
            for item in SHARED_ITEM.finditer(text):
                self.items.append(item.group(1) or b"")
                end = item.end()
            self.tail = text[end:]
        return _text(self.items[index]) if index < len(self.items) else ""

    def close(self) -> None:
        """Stop reading (the rest of the strings are not needed)."""
        if self.stream is not None:
            self.stream.close()
            self.stream = None


def _text(xml: bytes) -> str:
    """The text of a string item's runs (phonetic runs left out)."""
    runs = TEXT.findall(PHONETIC.sub(b"", xml)) if b"rPh" in xml else TEXT.findall(xml)
    return _unescaped(b"".join(runs))


def _unescaped(xml: bytes) -> str:
    """XML text as written (its entities and character references read)."""
    return html.unescape(xml.decode("utf-8", "replace")) if b"&" in xml else xml.decode("utf-8", "replace")


def head_rows(book: zipfile.ZipFile, part: str, shared: SharedStrings) -> Iterator[list[str]]:
    """The text cells of each of a sheet's rows among its first HEAD_ROWS Excel rows holding a cell, top down, from
    as little of its XML as holds them."""
    number, xml, read, block = 0, b"", 0, HEAD_BLOCK
    with book.open(part) as sheet:
        while read <= HEAD_MAX_BYTES and (chunk := sheet.read(min(block, HEAD_MAX_BYTES + 1 - read))):
            # each block twice the one before: a row longer than a block is rescanned a few times, not once a block
            read, block, xml, end = read + len(chunk), block * 2, xml + chunk, 0
            for row in ROW.finditer(xml):  # only whole rows match: a row cut by the block's end waits for the next
                given = ROW_NUMBER.search(row.group(1))
                number = int(given.group(1)) if given else number + 1
                if number > HEAD_ROWS:
                    return
                if number >= 1:
                    yield _row_cells(row.group(2) or b"", shared)
                end = row.end()
            xml = xml[end:]
            if b"</sheetData" in xml:
                return


def _row_cells(row_xml: bytes, shared: SharedStrings) -> list[str]:
    """A row's cells as text, each at its column (a cell without a reference follows the one before it)."""
    cells: list[str] = []
    for cell in CELL.finditer(row_xml):
        attributes, content = cell.group(1), cell.group(2) or b""
        column = CELL_COLUMN.search(attributes)
        position = column_number(column.group(1)) - 1 if column else len(cells)
        kind = CELL_TYPE.search(attributes)
        value = VALUE.search(content)
        if kind and kind.group(1) == b"s":
            text = shared[int(value.group(1))] if value and value.group(1).strip().isdigit() else ""
        elif kind and kind.group(1) == b"inlineStr":
            text = _text(content)
        else:
            text = _unescaped(value.group(1)) if value else ""
        cells.extend([""] * (position + 1 - len(cells)))
        cells[position] = text
    return cells


class SheetChooser:
    """Picks, among a workbook's visible worksheets, the one to read, and says which others holding the table
    were not read."""

    def __init__(self, holds_table: Callable[[list[list[str]]], bool], period: str | None = None) -> None:
        """holds_table: whether rows hold the table's header; period: the file's month (YYYYMM)."""
        self.holds_table, self.period = holds_table, period
        self.tables: tuple[str, ...] = ()  # the names of the sheets holding the table, once called

    def __call__(self, book: zipfile.ZipFile, visible: list[tuple[int, str, str]], deadline: Deadline
                 ) -> tuple[tuple[int, str, str] | None, str | None]:
        """The sheet to read (None: no sheet holds the table's header) and the warning naming the sheets holding
        the table that were not read (None: no such sheet)."""
        shared = SharedStrings(book)
        try:
            tables = [sheet for sheet in visible if self._holds_table(book, sheet[2], shared, deadline)]
        finally:
            shared.close()
        self.tables = tuple(sheet[1] for sheet in tables)
        if len(tables) <= 1:
            return (tables[0] if tables else None), None
        by_month = named_for(self.tables, self.period)
        chosen = tables[by_month or 0]
        return chosen, self._detail(chosen, [sheet for sheet in tables if sheet is not chosen], by_month is not None)

    def _holds_table(self, book: zipfile.ZipFile, part: str, shared: SharedStrings, deadline: Deadline) -> bool:
        """Whether a sheet's first rows hold the table's header (a sheet that cannot be unpacked holds none: it is
        not the one read, whose faults are reported when it is)."""
        deadline.check("查看各工作表")
        try:
            # row by row: a sheet's rows hold the header when one of them does, most often its first
            return any(self.holds_table([row]) for row in head_rows(book, part, shared))
        except (KeyError, ValueError, OSError, EOFError, zipfile.BadZipFile, zlib.error):
            return False

    def _detail(self, chosen: tuple[int, str, str], others: list[tuple[int, str, str]], by_month: bool) -> str:
        """The warning's text: the sheet read, those not read, and why the one read was taken."""
        unread = shown_names(others)
        month = f"{self.period[:4]}年{int(self.period[4:6])}月" if self.period else "本月"
        why = (f"按工作表名选取{month}" if by_month
               else f"无法由工作表名确定哪一个是{month}的数据，按第一个填有报表的工作表读取")
        return (f"工作簿有{len(others) + 1}个工作表填有报表：读取了“{shown_name(chosen[1])}”({why})，未读取{unread}，"
                "请村核对报送的月份")


def shown_names(sheets: list[tuple[int, str, str]]) -> str:
    """Sheets' names as a warning lists them: each quoted, the first SHOWN_SHEETS and how many there are."""
    listed = "、".join(f"“{shown_name(sheet[1])}”" for sheet in sheets[:SHOWN_SHEETS])
    return listed + (f"等{len(sheets)}个" if len(sheets) > SHOWN_SHEETS else "")


def shown_name(name: str) -> str:
    """A sheet's name as shown in a warning: ID-shaped runs masked, control characters dropped, cut to Excel's
    length."""
    text = "".join(c for c in mask_id_shaped(name) if c.isprintable())
    return text if len(text) <= SHOWN_NAME_CHARS else text[:SHOWN_NAME_CHARS] + "…"
