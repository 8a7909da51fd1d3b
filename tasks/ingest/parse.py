"""Parse one village return (CSV in UTF-8/BOM/GB18030, or the first sheet of an .xlsx) into raw text rows."""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass

import polars as pl

from tasks.ingest.xlsx_layout import first_used_row
from tasks.validate.columns import COLUMNS, REQUIRED, CHINESE, canonical_column

ZIP_MAGIC = b"PK\x03\x04"
HEADER_SEARCH_ROWS = 10
TOTAL_MARKS = ("合计", "总计", "小计", "total")
MAYBE_TOTAL = re.compile("[合总小tT]")  # a cell can only start a TOTAL_MARK (spaces removed) if it holds one of these
RAW_SCHEMA = {"source_row": pl.Int32} | {name: pl.Utf8 for name in COLUMNS} | {"extra_columns": pl.Utf8}


class Unreadable(Exception):
    """The file cannot be read as a spreadsheet; the message is the reason shown to the village."""


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

    @property
    def frame(self) -> pl.DataFrame | None:
        """The data rows as a frame (source_row Int32, every other column Utf8), or None for a rejected file."""
        return None if self.columns is None else pl.DataFrame(self.columns, schema=RAW_SCHEMA)


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes as UTF-8 (with or without BOM) or GB18030, never into silent mojibake."""
    if b"\x00" in data[:4096]:
        raise Unreadable("文件含二进制内容(不是文本表格，或为UTF-16编码)，无法读取")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as err:
            raise Unreadable(f"文件标明UTF-8(BOM)，但第{err.start + 3}字节处不是有效UTF-8") from err
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        if err.reason == "unexpected end of data":
            raise Unreadable("文件在一个汉字中间结束(上传不完整?)") from err
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as err:
        raise Unreadable(f"文件既不是UTF-8也不是GB18030编码(第{err.start}字节无法解码)") from err


def read_csv_rows(data: bytes) -> tuple[list[list[str]], str]:
    """All rows of a CSV file as text cells, with the encoding used."""
    text, encoding = decode_text(data)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if rows and not text.endswith(("\n", "\r")) and len(rows) > 1 and len(rows[-1]) < max(len(r) for r in rows[:-1]):
        raise Unreadable(f"文件在第{len(rows)}行中途结束(上传不完整?)")
    return rows, encoding


def read_xlsx_rows(data: bytes) -> list[list[str]]:
    """All rows of the first sheet of an .xlsx workbook as text cells."""
    if not data.startswith(ZIP_MAGIC):
        raise Unreadable("文件扩展名为.xlsx，但内容不是Excel工作簿")
    try:
        sheet = read_first_sheet(data)
    except Exception as err:  # calamine reports broken zips and XML in many ways
        raise Unreadable(f"Excel文件已损坏或不完整: {type(err).__name__}") from err
    above = [[] for _ in range(first_used_row(data) - 1)]  # empty top rows calamine leaves out
    cells = [["" if v is None else v for v in column.to_list()] for column in sheet.iter_columns()]
    return above + [list(row) for row in zip(*cells)]


def read_first_sheet(data: bytes) -> pl.DataFrame:
    """The first sheet's cells as text, every row kept (what polars.read_excel(sheet_id=1, has_header=False,
    infer_schema_length=0, drop_empty_rows=False, drop_empty_cols=False) gives, with the same errors), by
    calling its engine, fastexcel (calamine), directly: read_excel's own work costs more than the reading."""
    import fastexcel

    book = fastexcel.read_excel(data)
    if not book.sheet_names:
        raise ValueError("no matching sheet found when `sheet_id` is 1")
    return pl.DataFrame(book.load_sheet_eager(book.sheet_names[0], header_row=None, dtypes="string"))


def find_header(rows: list[list[str]]) -> tuple[int, dict[int, str]] | None:
    """The header row (the first rows' one naming most contract columns) and its cell index -> name."""
    best: tuple[int, dict[int, str]] | None = None
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        mapping: dict[int, str] = {}
        for position, cell in enumerate(row):
            name = canonical_column(cell)
            if name and name not in mapping.values():
                mapping[position] = name
        if mapping and (best is None or len(mapping) > len(best[1])):
            best = (index, mapping)
            if len(mapping) == len(COLUMNS):
                break  # names every column: no later row can name more
    return best


def is_blank(row: list[str]) -> bool:
    """True when every cell is empty or whitespace (full-width included)."""
    return not "".join(row).strip()  # all cells blank exactly when their concatenation is


def is_total(row: list[str]) -> bool:
    """True for a total row (合计/总计) at the foot of a table."""
    if not MAYBE_TOTAL.search("".join(row[:3])):  # most rows: no character a mark starts with
        return False
    return any("".join(cell.split()).lower().startswith(TOTAL_MARKS) for cell in row[:3])


def parse_return(data: bytes, extension: str) -> ParsedFile:
    """Parse a file's bytes into raw rows under canonical names, or say why the file is unusable."""
    parsed = ParsedFile()
    if not data.strip():
        return _reject(parsed, "FILE_UNREADABLE", "空文件(0字节或只有空白)")
    try:
        if extension == "xlsx":
            rows = read_xlsx_rows(data)
        else:
            if data.startswith(ZIP_MAGIC):
                raise Unreadable("文件扩展名为.csv，但内容是Excel工作簿或压缩包")
            rows, parsed.encoding = read_csv_rows(data)
    except Unreadable as err:
        return _reject(parsed, "FILE_UNREADABLE", str(err))
    found = find_header(rows)
    if found is None:
        return _reject(parsed, "FILE_UNREADABLE", "前10行中没有任何已知列名，不是村级收入月报表"
                       + ("(或编码不受支持)" if parsed.encoding == "gb18030" else ""))
    header_index, mapping = found
    missing = [CHINESE[c] for c in REQUIRED if c not in mapping.values()]
    parsed.header_row = header_index + 1
    if missing:
        return _reject(parsed, "FILE_MISSING_COLUMNS", "缺少必填列: " + "、".join(missing))
    parsed.columns, parsed.rows_read, parsed.rows_skipped = _data_columns(rows, header_index, mapping)
    return parsed


def _reject(parsed: ParsedFile, code: str, detail: str) -> ParsedFile:
    """Mark a parse result as a rejected file."""
    parsed.problem_code, parsed.problem_detail = code, detail
    return parsed


def _data_columns(rows: list[list[str]], header_index: int, mapping: dict[int, str]) -> tuple[dict[str, list], int, int]:
    """The rows below the header as text columns (blank and total rows skipped and counted), in RAW_SCHEMA's order.

    Built column by column in plain lists: a batch is framed once (see ingest.Batch), not file by file."""
    header = rows[header_index]
    extras = {i: cell.strip() or f"第{i + 1}列" for i, cell in enumerate(header) if i not in mapping}
    body = rows[header_index + 1:]
    maybe_total = MAYBE_TOTAL.search  # is_blank and is_total inlined: this sees every row
    offsets = [offset for offset, row in enumerate(body)
               if "".join(row).strip() and not (maybe_total("".join(row[:3])) and is_total(row))]
    numbers = [header_index + 2 + offset for offset in offsets]
    kept = [body[offset] for offset in offsets]
    width = max(mapping) + 1
    # transposed at C speed: short rows padded with None (a missing cell), so zip never stops early
    padded = [row if len(row) >= width else row + [None] * (width - len(row)) for row in kept]
    cells = list(zip(*padded)) if padded else [()] * width
    by_name = {name: position for position, name in mapping.items()}
    columns: dict[str, list] = {"source_row": numbers}
    for name in COLUMNS:
        position = by_name.get(name)
        columns[name] = [None] * len(kept) if position is None else cells[position]
    columns["extra_columns"] = [_extra_cells(row, extras) for row in kept] if extras else [None] * len(kept)
    return columns, len(body), len(body) - len(kept)

def _extra_cells(row: list[str], extras: dict[int, str]) -> str | None:
    """The non-empty cells of columns outside the contract as JSON {header: value}, or None."""
    kept = {label: row[i] for i, label in extras.items() if i < len(row) and row[i].strip()}
    return json.dumps(kept, ensure_ascii=False) if kept else None
