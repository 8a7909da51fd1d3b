"""A return's header over two rows (merged group cells above the columns), and the rows under it that hold no
household: the header repeated (a page's header copied down), the notes clerks type under a table, and a row of
column numbers or units right under the header."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from itertools import zip_longest

from tasks.validate.columns import YEAR_TO_DATE

# the first cell of a note or signature line under a table (注：…, 填表人：…, 审核人：…), numbered or not
NOTE = re.compile(r"(?:注|附注|备注|说明|填表说明|填表人|填报人|制表人|审核人|审批人|负责人|村负责人|联系人|联系电话"
                  r"|填表日期|填报日期|制表日期|报送日期|填报单位|签字|盖章)[0-9０-９一二三四五六七八九十①-⑩()（）]*[:：、.．]")
TOTAL_MARKS = ("合计", "总计", "小计", "汇总", "total")  # 汇总: an Excel table's total row, Excel's 分类汇总
# a total's label may first name whose total it is (全村合计, 本页小计, 总合计), never a person (王小计 is a name); a
# village listing its households by 村民小组 totals each group (一组小计, 第2组合计, 王家湾组小计): no name ends so
GROUP = "(?:第?[0-9]+|[\u4e00-\u9fff]{1,8}?)(?:村民小组|小组|组|队|社)"
# Excel's 分类汇总 labels each group's row with its value (脱贫户 汇总, 一组 Total): no name nor number ends so
TOTAL_LABEL = re.compile("^(?:[全本总][村组页表乡镇县市月]?|[村组页表]|" + GROUP + ")?(?:" + "|".join(TOTAL_MARKS) + ")"
                         "|^.{1,20}(?:汇总|total)$")
NOTE_FIRST = frozenset("注附备说填制审负村联报签盖")
HEADER_COPY_MIN_COLUMNS = 3  # a row naming this many contract columns where the header does is a header, never a household
NOTE_MAX_CELLS = 3  # a line of notes fills a cell or three; a household missing its 户编号 fills most of a row


def two_row_header(rows: list[list[str]], index: int, mapping: dict[int, str], search_rows: int,
                   names_of: Callable[[list[str]], dict[int, str]],
                   columns: int | None = None) -> tuple[int, dict[int, str], list[list[str]]]:
    """The header as (last header row's index, cell index -> name, its raw rows): the best row alone, or merged
    with the row below or above it when that names more columns without renaming any (收入情况 over 工资性收入…),
    or names the same ones again (户编号 over household_id); a merged header replaces its lower row in rows, whose
    upper row is then skipped as a title is. `names_of`: a row's cell index -> column (Contract.names). `columns`:
    how many the contract has (a header naming all of them merges only with a copy of itself)."""
    best = (index, mapping, [rows[index]])
    for upper, lower in ((index, index + 1), (index - 1, index)):
        if upper < 0 or lower >= min(len(rows), search_rows):
            continue
        # the same columns named again in the other language (户编号 over household_id): one header, not a household
        other = rows[lower if upper == index else upper]
        again = best[0] == index and len(best[2]) == 1 and len(names_of(other)) >= HEADER_COPY_MIN_COLUMNS
        if not again and columns is not None and len(best[1]) >= columns:
            continue  # a header naming every column: no merge names more (most returns: two rows' names spared)
        merged = [low if low.strip() else up for up, low in zip_longest(rows[upper], rows[lower], fillvalue="")]
        names = names_of(merged)
        kept = all(names.get(p) == n for row in (rows[upper], rows[lower]) for p, n in names_of(row).items())
        if kept and (len(names) > len(best[1]) or (again and len(names) == len(best[1]))):
            best = (lower, names, [rows[upper], rows[lower], merged])
    if best[0] != index or len(best[2]) > 1:
        rows[best[0]] = best[2][-1]
    return best


# a statistical monthly report gives a figure twice under its name merged over both: 本月 and 累计 (本年累计, 累计数);
# the contract's amounts are year to date, so the 累计 column is the one (never 上月累计 nor 上年同期)
SPLIT_MAX_COLUMNS = 4  # 本月, 累计 and perhaps 上月累计, 同期: a merged header over more is no such split


def year_to_date_columns(rows: list[list[str]], index: int, mapping: dict[int, str]) -> dict[int, str]:
    """The header's cell index -> name with each column split under it into 本月 and 累计 (in the row under the
    header, `index`) read from its 累计 cell; that row, part of the header, is blanked (skipped as blank rows are),
    and the header names the split's other cells (工资性收入本月), kept aside as columns outside the contract."""
    if index + 1 >= len(rows):
        return mapping
    header, below = rows[index], rows[index + 1]
    if not any("累" in cell and "计" in cell for cell in below if cell):  # YEAR_TO_DATE holds both: most returns
        return mapping
    moved: dict[int, str] = {}
    for position, name in mapping.items():
        # the name merged over its split (Excel keeps it in the first cell), or written over each part unmerged
        end = next((p for p in range(position + 1, min(position + SPLIT_MAX_COLUMNS, len(below)))
                    if p < len(header) and header[p].strip() and header[p].strip() != header[position].strip()),
                   min(position + SPLIT_MAX_COLUMNS, len(below)))
        parts = {p: "".join(below[p].split()) for p in range(position, end) if below[p] and below[p].strip()}
        total = [p for p, text in parts.items() if YEAR_TO_DATE.fullmatch(text)]
        if len(parts) < 2 or len(total) != 1:
            moved[position] = name
            continue
        group = header[position].strip()
        header.extend([""] * (max(parts) + 1 - len(header)))
        for part, text in parts.items():
            header[part] = group if part == total[0] else group + text
        moved[total[0]] = name
    if moved == mapping:
        return mapping
    rows[index + 1] = []
    return dict(sorted(moved.items()))


class NotHousehold:
    """Tells the rows under a header that hold no household: the header repeated, a note or signature line."""

    def __init__(self, header_rows: list[list[str]], mapping: dict[int, str]) -> None:
        """The header's raw rows (one, or two and their merge) and its cell index -> name."""
        self.mapping = mapping
        self.texts = {cell.strip() for row in header_rows for cell in row if cell and cell.strip()}
        cells = ([c.strip() for c in row if c and c.strip()] for row in header_rows)
        self.firsts = tuple(filled[0] for filled in cells if filled)
        self.starts = NOTE_FIRST | {first[0] for first in self.firsts}  # the first character of any row either test holds

    def __call__(self, row: list[str]) -> bool:
        """True for a row repeating the header's cells only, a row of a few cells whose first starts a note
        (注：, 填表人：), or a subtotal's row (see is_subtotal)."""
        text = "".join(c for c in row if c).lstrip()
        if SUBTOTAL_MARK.search(text) and is_subtotal(row):
            return True
        if text[:1] in NOTE_FIRST:
            first = next(c for c in row if c and c.strip())
            filled = sum(1 for p in self.mapping if p < len(row) and row[p] and row[p].strip())
            if filled <= NOTE_MAX_CELLS and NOTE.match("".join(first.split())):
                return True
        return text.startswith(self.firsts) and all(not c or not c.strip() or c.strip() in self.texts for c in row)


# Excel's 分类汇总 (Data > Subtotal) writes a group's label in the column grouped by, wherever it is (户类型: 脱贫户 汇总),
# beside the group's sums, and 总计 at the foot; a household's row always holds a name, which is no number
SUBTOTAL_MARK = re.compile("[汇合小总tT]")
SHOWN_NUMBER = re.compile(r"[-+]?[¥￥]?[-+]?[0-9０-９][0-9０-９,，.．]*元?|[¥￥]?-")


def is_subtotal(row: list[str]) -> bool:
    """True for a row of one total's label (脱贫户 汇总, 总计), in any column, and numbers only besides."""
    labels = [text for cell in row if cell and (text := "".join(cell.split())) and not SHOWN_NUMBER.fullmatch(text)]
    return len(labels) == 1 and TOTAL_LABEL.match(labels[0].lower()) is not None


def fill_merged_down(rows: list[list[str]], merged_down: tuple[tuple[int, int, int], ...], left: int,
                     header_index: int, positions: list[int]) -> None:
    """Copy the value of a cell merged down over rows under the header into each of its rows' cells (Excel shows
    户类型 merged over three households on all three; calamine gives it to the first), in the given cell positions
    only: an amount merged over households may be their total, so it stays a missing value to be corrected."""
    for column, top, bottom in merged_down:
        position = column - 1 - left
        if position not in positions or top - 1 <= header_index or top > len(rows):
            continue
        value = rows[top - 1][position] if position < len(rows[top - 1]) else ""
        for index in range(top, min(bottom, len(rows))):
            row = rows[index]
            if not "".join(c for c in row if c).strip():
                continue  # a blank row the merge runs over stays blank, not a household of one cell
            row.extend([""] * (position + 1 - len(row)))
            if not row[position].strip():
                row[position] = value


# a cell of a row under the header numbering its columns (栏次 1 2 3…, (1) (2)…, 甲 乙…) or giving their units
# ((元), 单位：元): a household's row always holds a 户编号, a name or a 户类型, none of which reads so
COLUMN_NUMBER = re.compile(r"[(]?([0-9]{1,2})[)]?")
COLUMN_LETTERS = frozenset("甲乙丙丁戊己庚辛壬癸")
LEGEND_WORD = re.compile(r"栏次|列次|栏号|计量单位|单位")
UNIT = re.compile(r"[(]?(?:计量)?(?:单位[:]?)?[(]?(?:万?元|人|户|口|个|亩|%)(?:/(?:人|户|年|月))?[)]?")
LEGEND_MIN_CELLS = 3  # column numbers or letters: a row of one or two such cells may be a household's broken row
LEGEND_MIN_SHARE = 0.8  # of the header's columns numbered: a household's row of small figures leaves its name unnumbered
LEGEND_MAX_ROWS = 2  # a row of numbers and a row of units, in either order


def is_legend_row(row: list[str], columns: int = 0) -> bool:
    """True for a row numbering most of the header's `columns` (consecutive numbers, 甲乙…) or giving their units,
    with no other cell."""
    filled = ["".join(unicodedata.normalize("NFKC", c).split()) for c in row if c and c.strip()]
    numbers, letters, units = [], 0, 0
    for cell in filled:
        if number := COLUMN_NUMBER.fullmatch(cell):
            numbers.append(int(number.group(1)))
        elif cell in COLUMN_LETTERS:
            letters += 1
        elif UNIT.fullmatch(cell):
            units += 1
        elif not LEGEND_WORD.fullmatch(cell):
            return False
    if numbers and numbers != list(range(numbers[0], numbers[0] + len(numbers))):
        return False
    numbered = len(numbers) + letters
    if numbered:
        return numbered >= max(LEGEND_MIN_CELLS, LEGEND_MIN_SHARE * columns)
    return units >= 2 or (units == 1 and "单位" in "".join(filled))


def skip_legend_rows(rows: list[list[str]], header_index: int) -> None:
    """Blank the rows right under the header that number its columns or give their units (they are then skipped
    and counted as blank rows are)."""
    columns = sum(1 for cell in rows[header_index] if cell and cell.strip())
    for index in range(header_index + 1, min(header_index + 1 + LEGEND_MAX_ROWS, len(rows))):
        if not is_legend_row(rows[index], columns):
            return
        rows[index] = []
