"""Parse one village return (CSV in UTF-8/BOM/GB18030, or the sheet of an .xlsx holding the table) into raw text rows."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import polars as pl

from tasks.ingest.amount_unit import mentions_wan, wan_yuan_stated
from tasks.ingest.csv_rows import cut_short, read_csv_rows
from tasks.ingest.decode import Unreadable
from tasks.ingest.data_rows import data_columns
from tasks.ingest.header_rows import NotHousehold, fill_merged_down, skip_legend_rows, two_row_header, year_to_date_columns
from tasks.ingest.limits import DEFAULT_LIMITS, Deadline, LimitExceeded, ReadLimits
from tasks.ingest.sheet_choice import SheetChooser, sheet_warnings
from tasks.ingest.title_month import title_month_warning
from tasks.ingest.workbook_cells import ZIP_MAGIC, read_xlsx_rows
from tasks.ingest.xlsx_layout import Chooser
from tasks.validate.columns import COLUMNS, REQUIRED, CHINESE, canonical_column, is_alias, look_alike

HEADER_SEARCH_ROWS = 10
TABLE_MIN_COLUMNS = 3  # a sheet's row naming fewer is a 填表说明's line about a column, not the table's header
RAW_SCHEMA = {"source_row": pl.Int32} | {name: pl.Utf8 for name in COLUMNS} | {"extra_columns": pl.Utf8}


@dataclass(frozen=True)
class Contract:
    """A kind of file's columns: canonical names in order, the required ones, their Chinese headers, the header
    matcher, and what a file naming none of them is not (for the reasons)."""

    columns: tuple[str, ...]
    required: tuple[str, ...]
    chinese: dict[str, str]
    canonical: Callable[[str | None], str | None]
    kind_label: str
    no_rows_detail: str
    notes_below: bool = False  # rows repeating the header, and notes under the table, hold no record
    merged_fill: frozenset[str] = frozenset()  # columns whose cell merged down over rows holds each row's value
    title_month: bool = False  # a title naming another month than the file's is FILE_TITLE_MONTH (a file renamed by hand)
    yuan: frozenset[str] = frozenset()  # amounts in yuan: a file stating them in 万元 is refused, not read 10,000 times too small
    alias: Callable[[str | None], bool] = lambda cell: False  # a cell naming its column by another name (家庭人口)
    # (column, why not) for a header naming another figure like a column (经营净收入): said when that column is missing
    look_alike: Callable[[str | None], tuple[str, str] | None] = lambda cell: None

    def names(self, row: list[str]) -> dict[int, str]:
        """Cell index -> column a header row names: a column named twice by its first cell, and another name of a
        column (家庭人口) yielding to the column's own name (家庭人口数) in the row, kept aside as any other column."""
        found = [(p, name, self.alias(cell)) for p, cell in enumerate(row) if (name := self.canonical(cell))]
        own = {name for _, name, alias in found if not alias}
        names: dict[int, str] = {}
        for position, name, alias in found:
            if not (alias and name in own) and name not in names.values():
                names[position] = name
        return names


RETURN_CONTRACT = Contract(tuple(COLUMNS), tuple(REQUIRED), CHINESE, canonical_column, "村级收入月报表",
                           "表头下没有任何一户的数据行(不是一份月报，不替代已报送的版本)", notes_below=True,
                           merged_fill=frozenset(n for n, (_, kind) in COLUMNS.items() if kind not in ("amount", "count")),
                           yuan=frozenset(n for n, (_, kind) in COLUMNS.items() if kind == "amount"), title_month=True,
                           alias=is_alias, look_alike=look_alike)


@dataclass
class ParsedFile:
    """A file's data rows as raw text under canonical names, or the file-level problem that stopped it."""

    problem_code: str | None = None
    problem_detail: str | None = None
    encoding: str | None = None
    header_row: int | None = None
    rows_read: int = 0
    rows_skipped: int = 0
    columns: dict[str, list] | None = None  # source_row + one text column per contract column + extra_columns
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (code, detail) of a file loaded all the same
    table_sheets: tuple[str, ...] = ()  # a workbook's visible sheets holding the table, by name (sheet_choice.named_for)

    @property
    def frame(self) -> pl.DataFrame | None:
        """The data rows as a frame (source_row Int32, every other column Utf8), or None for a rejected file."""
        return None if self.columns is None else pl.DataFrame(self.columns, schema=RAW_SCHEMA)


def duplicated_columns(header: list[str], contract: Contract = RETURN_CONTRACT, left: int = 0) -> str | None:
    """Which contract columns a header names more than once (and where: Excel's column, the header's left
    empty columns added), or None."""
    places: dict[str, list[int]] = {}
    own = {name for cell in header if (name := contract.canonical(cell)) and not contract.alias(cell)}
    for position, cell in enumerate(header):
        if (name := contract.canonical(cell)) and not (name in own and contract.alias(cell)):
            places.setdefault(name, []).append(position + 1 + left)
    twice = [f"“{contract.chinese[n]}”(第{'、'.join(map(str, p))}列)" for n, p in places.items() if len(p) > 1]
    return "、".join(twice) if twice else None


def find_header(rows: list[list[str]], contract: Contract = RETURN_CONTRACT) -> tuple[int, dict[int, str]] | None:
    """The header row (the first rows' one naming most contract columns) and its cell index -> name."""
    best: tuple[int, dict[int, str]] | None = None
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        mapping = contract.names(row)
        if mapping and (best is None or len(mapping) > len(best[1])):
            best = (index, mapping)
            if len(mapping) == len(contract.columns):
                break  # names every column: no later row can name more
    return best


def holds_table(rows: list[list[str]], contract: Contract = RETURN_CONTRACT) -> bool:
    """True when one of a sheet's first rows names the contract's columns (TABLE_MIN_COLUMNS of them): its header."""
    found = find_header(rows, contract)
    return found is not None and len(found[1]) >= min(TABLE_MIN_COLUMNS, len(contract.required))


def parse_return(data: bytes, extension: str, limits: ReadLimits = DEFAULT_LIMITS,
                 deadline: Deadline | None = None, *, contract: Contract = RETURN_CONTRACT,
                 period: str | None = None, choose: Chooser | None = None) -> ParsedFile:
    """Parse a file's bytes into raw rows under canonical names, or say why the file is unusable; of a workbook's
    sheets holding the table, the one named for `period` (YYYYMM, the file name's) is read, or the one `choose` picks."""
    parsed, left, merged_down = ParsedFile(), 0, ()  # a workbook's empty columns left of its cells, merged cells
    if not data.strip():
        return _reject(parsed, "FILE_UNREADABLE", "空文件(0字节或只有空白)")
    try:
        if extension == "xlsx":
            choose = choose or SheetChooser(partial(holds_table, contract=contract), period)
            rows, left, sheet = read_xlsx_rows(data, limits, deadline, choose)
            merged_down = sheet.merged_down
            parsed.warnings += sheet_warnings(sheet, period)
            parsed.table_sheets = getattr(choose, "tables", ())
        else:
            if data.startswith(ZIP_MAGIC):
                raise Unreadable("文件扩展名为.csv，但内容是Excel工作簿或压缩包")
            rows, parsed.encoding = read_csv_rows(data, limits, deadline)
    except (Unreadable, LimitExceeded) as err:
        return _reject(parsed, "FILE_UNREADABLE", str(err))
    found = find_header(rows, contract)
    if found is None:
        return _reject(parsed, "FILE_UNREADABLE", f"前10行中没有任何已知列名，不是{contract.kind_label}"
                       + ("(或编码不受支持)" if parsed.encoding == "gb18030" else ""))
    header_index, mapping, header_rows = two_row_header(rows, *found, HEADER_SEARCH_ROWS, contract.names,
                                                        len(contract.columns))
    mapping = year_to_date_columns(rows, header_index, mapping)
    if extension != "xlsx" and (cut := cut_short(data, rows, header_index)):
        return _reject(parsed, "FILE_UNREADABLE", cut)
    parsed.header_row = header_index + 1
    top = header_index if len(header_rows) == 1 else header_index - 1  # the header's first row: titles above it
    if contract.yuan and mentions_wan(rows, header_index) and (unit := wan_yuan_stated(rows, header_index, top,
                                                  _amount_positions(header_rows, mapping, contract))):
        return _reject(parsed, "FILE_MISSING_COLUMNS", f"表中注明金额单位为万元(“{unit[:40]}”)：月报的金额应以元填报，"
                       "按元读入会把每户收入缩小一万倍，本文件未读入")
    missing = [c for c in contract.required if c not in mapping.values()]
    if missing:
        why = [said[1] for cell in rows[header_index] if (said := contract.look_alike(cell)) and said[0] in missing]
        return _reject(parsed, "FILE_MISSING_COLUMNS", "缺少必填列: " + "、".join(contract.chinese[c] for c in missing)
                       + "".join(f"；{reason}" for reason in dict.fromkeys(why)))
    if twice := duplicated_columns(rows[header_index], contract, left):
        return _reject(parsed, "FILE_MISSING_COLUMNS", f"列重复出现，无法确定用哪一列: {twice}")
    if contract.title_month:
        parsed.warnings += title_month_warning(rows[:top], period)
    fill_merged_down(rows, merged_down, left, header_index, [p for p, n in mapping.items() if n in contract.merged_fill])
    if contract.notes_below:
        skip_legend_rows(rows, header_index)
    not_record = NotHousehold(header_rows, mapping) if contract.notes_below else None
    parsed.columns, parsed.rows_read, parsed.rows_skipped = data_columns(rows, header_index, mapping, contract.columns,
                                                                         not_record, left)
    if parsed.rows_read == parsed.rows_skipped:  # a header with no household below it supersedes nothing
        parsed.columns = None
        return _reject(parsed, "FILE_UNREADABLE", contract.no_rows_detail)
    return parsed


def _amount_positions(header_rows: list[list[str]], mapping: dict[int, str], contract: Contract) -> set[int]:
    """The header's cell positions over a yuan amount: mapped to one, or naming one with more (工资性收入(万元))."""
    names = [contract.chinese[n] for n in contract.yuan]
    return {p for p, n in mapping.items() if n in contract.yuan} | {
        p for row in header_rows for p, cell in enumerate(row) if cell and any(name in cell for name in names)}


def _reject(parsed: ParsedFile, code: str, detail: str) -> ParsedFile:
    """Mark a parse result as a rejected file."""
    parsed.problem_code, parsed.problem_detail = code, detail
    return parsed
