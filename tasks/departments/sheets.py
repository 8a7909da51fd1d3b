"""Reading a department workbook of several visible sheets: every sheet holding the department's table is read.

departments.md says nothing of sheets, and a department's list is often split over sheets (one per township, or a
second sheet of more records): reading one sheet, as a village return does, dropped the others' records unsaid. So
every visible worksheet whose first ten rows hold the department's header is read, its rows kept with the sheet's
name (problems name the sheet and its Excel row), except sheets named for another month than the file's: a workbook
of a sheet per month holds other months' lists, which their own files carry (a file for month M lists M's records;
MEDICAL_OOP amounts are year to date), so those are named in FILE_OTHER_SHEETS, not read (none named for the file's
month or for no month: the first read, as for returns). A visible sheet holding values but not the table (填表说明,
a 汇总 of counts) is named in FILE_NOT_TABLE_SHEETS; empty, hidden and chart sheets are passed over unnamed. A table
sheet that cannot be read refuses the file, naming the sheet; one with its header alone (no record this month) is
no problem."""
from __future__ import annotations

import zipfile
import zlib
from collections.abc import Sequence
from functools import partial

from tasks.departments.columns import CONTRACT, COLUMNS, REQUIRED
from tasks.ingest.limits import Deadline, ReadLimits
from tasks.ingest.parse import ParsedFile, holds_table, parse_return
from tasks.ingest.sheet_choice import SharedStrings, SheetChooser, other_month, shown_name, shown_names
from tasks.ingest.xlsx_layout import BLOCK, FILLED_VALUE, Chooser

Sheet = tuple[int, str, str]  # (position among the workbook's sheets, name, part)


class DepartmentSheets(SheetChooser):
    """An xlsx_layout.Chooser keeping its plan: the sheets to read (the first is the one it picks) and the warnings
    naming the visible sheets holding values that are not read."""

    def __init__(self, period: str | None) -> None:
        """Nothing planned yet; period: the file's month (YYYYMM)."""
        super().__init__(partial(holds_table, contract=CONTRACT), period)
        self.read: list[Sheet] = []
        self.warnings: list[tuple[str, str]] = []
        self.repeated: str | None = None  # a name of a sheet to read that another sheet has too

    def __call__(self, book: zipfile.ZipFile, visible: list[Sheet], deadline: Deadline) -> tuple[Sheet | None, None]:
        """The first sheet to read (None: no sheet holds the table); the plan kept on self."""
        shared = SharedStrings(book)
        try:
            tables = [sheet for sheet in visible if self._holds_table(book, sheet[2], shared, deadline)]
        finally:
            shared.close()
        self.tables = tuple(name for _, name, _ in tables)
        other_months = [s for s in tables if self.period and other_month(s[1], self.period) is not None]
        self.read = [sheet for sheet, read in zip(tables, read_for_month(self.tables, self.period)) if read]
        unread = [sheet for sheet in tables if sheet not in self.read]
        names = [name for _, name, _ in visible]
        self.repeated = next((name for _, name, _ in self.read if names.count(name) > 1), None)
        if unread:
            by_name = len(other_months) < len(tables)  # else every one names another month: the first is read
            self.warnings.append(("FILE_OTHER_SHEETS", self._months_detail(unread, by_name)))
        passed = [sheet for sheet in visible if sheet not in tables and _holds_value(book, sheet[2])]
        if passed and tables:
            header = "、".join(COLUMNS[c] for c in REQUIRED)
            self.warnings.append(("FILE_NOT_TABLE_SHEETS", f"工作表{shown_names(passed)}的前10行没有部门数据表的表头"
                                  f"({header})，不是部门数据表，未读取；其中如有记录，请填入部门数据表后重新报送"))
        return (self.read[0] if self.read else None), None

    def _months_detail(self, unread: list[Sheet], by_name: bool) -> str:
        """FILE_OTHER_SHEETS' text: the sheets read, those named for another month, and why."""
        month = f"{self.period[:4]}年{int(self.period[4:6])}月"
        read = shown_names(self.read)
        if by_name:
            return (f"工作表{shown_names(unread)}的名称是其他月份，未读取(本文件是{month}的数据，其他月份的记录请在该月的文件中"
                    f"报送)；读取了{read}")
        return (f"工作簿有{len(unread) + 1}个工作表填有部门数据表，名称都不是{month}：读取了第一个工作表{read}，未读取"
                f"{shown_names(unread)}，请部门核对报送的月份")


def read_for_month(tables: Sequence[str], period: str | None) -> list[bool]:
    """Which sheets holding the table (by name, in the workbook's order) a file of this month (YYYYMM) reads: those
    named for no other month (2月 in a March file is another's; a number alone, sheets 1, 2, 3: pages or townships'
    numbers, or a range, 1月-3月, names none, as for a return's sheet: sheet_choice.other_month); none such: the
    first."""
    read = [not period or other_month(name, period) is None for name in tables]
    return read if any(read) else [position == 0 for position in range(len(tables))]


def _holds_value(book: zipfile.ZipFile, part: str) -> bool:
    """Whether a sheet's first block of XML holds a cell with a value (one that cannot be unpacked may hold any)."""
    try:
        with book.open(part) as sheet:
            return FILLED_VALUE.search(sheet.read(BLOCK)) is not None
    except (KeyError, ValueError, OSError, EOFError, zipfile.BadZipFile, zlib.error):
        return True


def parse_workbook(data: bytes, period: str | None, limits: ReadLimits) -> ParsedFile:
    """A department .xlsx parsed from every sheet holding its table (the module's docstring), one deadline for the
    whole file; rows read from several sheets carry the sheet's name (column `sheet`), else none."""
    deadline = limits.deadline()
    plan = DepartmentSheets(period)
    first = parse_return(data, "xlsx", limits, deadline, contract=CONTRACT, choose=plan, period=period)
    if plan.repeated is not None:  # Excel forbids it; calamine reads a sheet by its name, so the first of them twice
        return ParsedFile("FILE_UNREADABLE", f"工作簿中有多个工作表同名“{shown_name(plan.repeated)}”(Excel不允许)，"
                                             "无法分别读取，请改名后重新报送")
    if len(plan.read) <= 1:
        if any(code == "FILE_OTHER_SHEETS" for code, _ in plan.warnings):  # it says the month already, as for returns
            first.warnings = [w for w in first.warnings if w[0] != "FILE_SHEET_MONTH"]
        first.warnings += plan.warnings if first.problem_code is None else []
        return first
    parts = [first] + [parse_return(data, "xlsx", limits, deadline, contract=CONTRACT, choose=_just(sheet))
                       for sheet in plan.read[1:]]
    return _joined(plan, parts)


def _just(sheet: Sheet) -> Chooser:
    """A chooser picking this sheet."""
    return lambda book, visible, deadline: (sheet, None)


def _joined(plan: DepartmentSheets, parts: list[ParsedFile]) -> ParsedFile:
    """The sheets' rows as one file's, each with its sheet's name and place among the workbook's sheets (1: the
    first); a sheet that cannot be read refuses the file."""
    joined = ParsedFile(header_row=parts[0].header_row, warnings=plan.warnings, table_sheets=plan.tables)
    columns: dict[str, list] = {}
    for name, (position, _, _), parsed in zip(row_sheet_names(plan.read), plan.read, parts):
        joined.rows_read, joined.rows_skipped = joined.rows_read + parsed.rows_read, joined.rows_skipped + parsed.rows_skipped
        if parsed.problem_code and parsed.problem_detail != CONTRACT.no_rows_detail:
            return ParsedFile(parsed.problem_code, f"工作表“{name}”：{parsed.problem_detail}", header_row=parsed.header_row)
        if parsed.columns is None:
            continue  # its header alone: no record this month
        for column, values in parsed.columns.items():
            columns.setdefault(column, []).extend(values)
        columns.setdefault("sheet", []).extend([name] * len(parsed.columns["source_row"]))
        columns.setdefault("sheet_position", []).extend([position + 1] * len(parsed.columns["source_row"]))
    if not columns:
        return ParsedFile("FILE_UNREADABLE", CONTRACT.no_rows_detail, header_row=joined.header_row,
                          rows_read=joined.rows_read, rows_skipped=joined.rows_skipped)
    joined.columns = columns
    return joined


def row_sheet_names(sheets: list[Sheet]) -> list[str]:
    """Each sheet's name as its rows keep it (masked, cut); names a crafted file repeats made distinct by position."""
    names = [shown_name(name) for _, name, _ in sheets]
    if len(set(names)) == len(names):
        return names
    return [f"{name}(第{position + 1}个工作表)" for (position, _, _), name in zip(sheets, names)]
