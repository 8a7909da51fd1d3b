"""Read an .xlsx return's sheet (the first visible one, or the table's among several) as text cells, each cell for
what it is (an error cell as its error, a number that lost digits as Excel shows it, a formula saved without its
result as such), within the read limits."""
from __future__ import annotations

import re

import polars as pl

from tasks.ingest.decode import Unreadable
from tasks.ingest.limits import DEFAULT_LIMITS, Deadline, LimitExceeded, ReadLimits
from tasks.ingest.xlsx_cells import EXACT_LIMIT, formulas_without_result, holds_large_values, read_sheet_xml
from tasks.ingest.xlsx_layout import BadWorkbook, Chooser, SheetLayout, inspect_workbook

ZIP_MAGIC = b"PK\x03\x04"
LONG_DIGITS = r"^[0-9]{16,}$"  # a number cell calamine shows this way may have lost digits
EXACT_TEXT = str(EXACT_LIMIT)  # 9007199254740992: a double holds every whole number below it exactly
# calamine's names of Excel's error values, as Excel shows them
EXCEL_ERRORS = {"Div0": "#DIV/0!", "NA": "#N/A", "Name": "#NAME?", "Null": "#NULL!", "Num": "#NUM!", "Ref": "#REF!",
                "Value": "#VALUE!", "GettingData": "#GETTING_DATA"}


def read_xlsx_rows(data: bytes, limits: ReadLimits = DEFAULT_LIMITS, deadline: Deadline | None = None,
                   choose: Chooser | None = None) -> tuple[list[list[str]], int, SheetLayout]:
    """All rows of the sheet to read of an .xlsx workbook (the first visible one, or of several the one `choose`
    picks) as text cells, once its size is known to be within the limits; how many empty columns left of them the
    sheet has (a row's cell i is in Excel's column i + 1 + that); and the sheet's layout: its name, its one-column
    merged ranges (merged_down) and the warning `choose` gave about the sheets not read (note)."""
    if not data.startswith(ZIP_MAGIC):
        raise Unreadable("文件扩展名为.xlsx，但内容不是Excel工作簿")
    deadline = deadline or limits.deadline()
    try:
        layout = inspect_workbook(data, limits, deadline, choose)
        sheet, left = read_placed_sheet(data, layout)
        if sheet.height == 0:
            raise Unreadable("工作簿中没有填有内容的工作表(各工作表都是空的)")
    except (Unreadable, LimitExceeded):
        raise
    except BadWorkbook as err:
        raise Unreadable(f"Excel文件已损坏或不完整: {err}") from err
    except Exception as err:  # calamine reports broken zips and XML in many ways
        raise Unreadable(f"Excel文件已损坏或不完整: {type(err).__name__}") from err
    deadline.check("读取Excel工作表")
    longest = max((n or 0 for n in sheet.select(pl.all().str.len_chars().max()).row(0)), default=0) if sheet.width else 0
    if longest > limits.max_cell_chars:
        raise Unreadable(f"有一个单元格超过{limits.max_cell_chars}个字符(设置 ingest.max_cell_chars)")
    above = [[] for _ in range(layout.first_row - 1)]  # empty top rows calamine leaves out
    cells = [["" if v is None else v for v in column.to_list()] for column in sheet.iter_columns()]
    return above + [list(row) for row in zip(*cells)], left, layout


def read_sheet(data: bytes, layout: SheetLayout) -> pl.DataFrame:
    """A sheet's cells as text (read_placed_sheet without its place)."""
    return read_placed_sheet(data, layout)[0]


def read_placed_sheet(data: bytes, layout: SheetLayout) -> tuple[pl.DataFrame, int]:
    """A sheet's cells as text, every row kept (what polars.read_excel(has_header=False, infer_schema_length=0,
    drop_empty_rows=False, drop_empty_cols=False) gives, with the same errors), by calling its engine,
    fastexcel (calamine), directly: read_excel's own work costs more than the reading. Three kinds of cell
    calamine would turn into other text are shown for what they are: an error cell (#N/A from a VLOOKUP) as its
    error, not as an empty cell (an empty 财产性收入 is 0); a number too long for a double's 15-16 digits (an
    18-digit ID typed as a number) in Excel's scientific form, not as digits that look whole but are not the ID's;
    a formula saved without its result as such, not as an empty cell. With it, how many columns left of its
    first calamine leaves out (it starts a sheet at its first used column, so a table from column C is 2)."""
    import fastexcel

    book = fastexcel.read_excel(data)
    loaded = book.load_sheet(layout.index, header_row=None, dtypes="string")
    left = loaded.available_columns()[0].absolute_index if loaded.width else 0
    batch, errors = loaded.to_arrow_with_errors()
    sheet = pl.DataFrame(batch)
    shown = {(e.position[0], e.position[1]): EXCEL_ERRORS.get(e.detail.rsplit("Error(", 1)[-1].split(")")[0], "#ERROR")
             for e in (errors.errors if errors else []) if "got 'Error(" in e.detail}
    xml = read_sheet_xml(data, layout.index)  # once, for both looks below
    shown |= _numbers_beyond_precision(book, layout.index, sheet, xml)
    shown |= _formulas_without_result(layout, sheet, xml)
    if not shown:
        return sheet, left
    columns = sheet.get_columns()
    for (row, column), text in shown.items():
        columns[column] = columns[column].scatter(row, text)
    return pl.DataFrame(columns), left


def _numbers_beyond_precision(book, index: int, sheet: pl.DataFrame, xml: bytes) -> dict[tuple[int, int], str]:
    """(row, column) -> Excel's display (4.30521E+17) of every number cell of 16 digits or more beyond 2**53: a
    double keeps only its first 15-16 digits, and calamine writes the rest as whatever the double holds. Only
    columns with such digits are looked at again, as dates: a number cell there fails as a Float, a text one as a
    String; and all that only when the sheet's XML (xml) stores a value that large at all (an 18-digit ID typed as
    text is a shared string, stored by its index: most workbooks)."""
    import fastexcel

    if sheet.height == 0 or not holds_large_values(xml):  # no cell, or no number a double holds inexactly
        return {}
    beyond = pl.all().str.contains("^[0-9]{17,}$") | (pl.all().str.contains("^[0-9]{16}$") & (pl.all() >= EXACT_TEXT))
    flags = sheet.select(beyond.fill_null(False).any()).row(0)  # one pass: a 16-digit 户编号 is below 2**53
    suspect = [i for i, flag in enumerate(flags) if flag]
    if not suspect:
        return {}
    names = [sheet.columns[i] for i in suspect]  # by name: an index is the sheet's column (A = 0), and calamine
    # starts its columns at the first one used
    try:  # most files: every cell of these columns text (a cheap look at their types, no cell by cell errors)
        kinds = book.load_sheet(index, header_row=None, use_columns=names, schema_sample_rows=None,
                                dtype_coercion="strict").selected_columns
        if all(kind.dtype == "string" for kind in kinds):
            return {}
    except fastexcel.UnsupportedColumnTypeCombinationError:
        pass
    _, errors = book.load_sheet(index, header_row=None, dtypes="date", use_columns=names).to_arrow_with_errors()
    found = {}
    for error in errors.errors if errors else []:
        row, column = error.position  # the column's place among calamine's, not among those loaded
        text = sheet.get_column(sheet.columns[column])[row]
        if "got 'Float(" in error.detail and text and re.fullmatch(LONG_DIGITS, text) and int(text) >= EXACT_LIMIT:
            found[(row, column)] = f"{int(text):.5E}"
    return found


def _formulas_without_result(layout: SheetLayout, sheet: pl.DataFrame, xml: bytes) -> dict[tuple[int, int], str]:
    """(row, column) -> a note for every formula saved without its result (a workbook written by a program and
    never saved in Excel), which calamine reads as an empty cell: 财产性收入 =120+80 is not an empty 0 (xml: the
    sheet's XML)."""
    first_column, formulas = formulas_without_result(xml)
    found = {}
    for row, column, formula in formulas:
        place = (row - layout.first_row, column - first_column)
        if 0 <= place[0] < sheet.height and 0 <= place[1] < sheet.width:
            found[place] = f"公式={formula}未保存计算结果" if formula else "公式未保存计算结果"
    return found


def read_first_sheet(data: bytes) -> pl.DataFrame:
    """The first visible sheet's cells as text (read_sheet of what inspect_workbook finds)."""
    try:
        layout = inspect_workbook(data, DEFAULT_LIMITS, DEFAULT_LIMITS.deadline())
    except BadWorkbook:  # let calamine say what is wrong, as polars.read_excel would
        layout = SheetLayout(0, "", 1)
    return read_sheet(data, layout)
