"""The rows of a CSV return as text cells: decoded (UTF-8/BOM/GB18030), split by the delimiter Excel's `sep=` line
names (that line hidden, as Excel hides it; without one a comma, or a tab or semicolon that clearly splits the first
lines instead: sniffed_delimiter), read strictly (leniently where only a stray quote inside a cell stops the
strict reader), and a last row cut short by an upload that stopped told apart."""
from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterator
from itertools import islice

from tasks.ingest.decode import Unreadable, decode_text
from tasks.ingest.limits import DEFAULT_LIMITS, Deadline, ReadLimits

DEADLINE_EVERY_ROWS = 2000
SWALLOWED_ROW_MIN_DELIMITERS = 3  # fewer delimiters in a line of a cell is a note's, whatever the table's width
LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Excel's first line naming the delimiter (sep=; sep=<tab>…): Excel splits the file by it and shows no row for it,
# so the header is its row 1; a BOM may come before it
EXCEL_SEP_LINE = re.compile(rb"(\xef\xbb\xbf)?sep=([\t -!#-~])(?:\r\n|\r|\n)")


def read_csv_rows(data: bytes, limits: ReadLimits = DEFAULT_LIMITS, deadline: Deadline | None = None
                  ) -> tuple[list[list[str]], str]:
    """All rows of a CSV file as text cells, with the encoding used; a cell over the limit, or a quote left
    open (which would swallow every row after it into one cell), makes the file unreadable (a row cut short is
    judged against the header: see cut_short). Rows, and the rows reasons name, are those Excel shows."""
    data, named = without_sep_line(data)
    text, encoding = decode_text(data)
    delimiter = named or sniffed_delimiter(text)
    deadline = deadline or limits.deadline()
    if '"' not in text and "\x00" not in text:
        lines = unquoted_lines(text)
        deadline.check(f"第{len(lines)}行")  # the split is one pass at C speed: checked once it is done
        if max(map(len, lines), default=0) <= limits.max_cell_chars:  # else the csv module names the long cell
            return [line.split(delimiter) if line else [] for line in lines], encoding
    # the limit is the csv module's, process-wide: set for this file, and put back, so no other reading of CSV in
    # the process (an export read back, a department file) is held to a city's [ingest] max_cell_chars
    before = csv.field_size_limit(limits.max_cell_chars)
    try:
        rows = _csv_rows(text, strict=True, deadline=deadline, delimiter=delimiter)
    except _OpenQuote:
        raise
    except csv.Error:  # strict mode also refuses a stray quote inside a cell (`5"寸`): read those leniently
        rows = _csv_rows(text, strict=False, deadline=deadline, delimiter=delimiter)
    finally:
        csv.field_size_limit(before)
    return rows, encoding


def unquoted_lines(text: str) -> list[str]:
    """The records of a text holding no quote, as the csv module reads them (most returns; split at the delimiter,
    ~5 times faster than the module): a line each (CR LF, LF or a lone CR ends one; an empty line is a record of no
    cell), the break ending the last line starting none."""
    lines = LINE_BREAK.split(text)
    if lines[-1] == "":
        lines.pop()
    return lines


def without_sep_line(data: bytes) -> tuple[bytes, str | None]:
    """A CSV's bytes without Excel's `sep=` first line (a BOM before it kept), and the delimiter it names (else None)."""
    line = EXCEL_SEP_LINE.match(data)
    if line is None:
        return data, None
    return (line.group(1) or b"") + data[line.end():], line.group(2).decode("ascii")


SNIFFED_LINES, SNIFFED_CHARS = 10, 65536  # the lines the header is looked for in (parse.HEADER_SEARCH_ROWS)
OTHER_DELIMITERS = ("\t", ";")  # a "文本文件(制表符分隔)" or a comma-decimal locale's export, renamed .csv
MIN_DELIMITED = 3  # a table's header row has a dozen columns; a note may hold a tab or two


def sniffed_delimiter(text: str) -> str:
    """The delimiter of a CSV without a `sep=` line: a comma, unless a tab (or a semicolon) splits a line of its
    first ten into more cells than a comma splits any of them, at least MIN_DELIMITED times: a tab-separated text
    file renamed .csv is read as Excel would read it as a text file, not refused as no return."""
    lines = list(islice((line for line in _lines(text[:SNIFFED_CHARS]) if line.strip()), SNIFFED_LINES))
    commas = max((line.count(",") for line in lines), default=0)
    for delimiter in OTHER_DELIMITERS:
        most = max((line.count(delimiter) for line in lines), default=0)
        if most >= MIN_DELIMITED and most > commas:
            return delimiter
    return ","


def _lines(text: str) -> Iterator[str]:
    """LINE_BREAK.split(text), lazily: the sniffer looks at the first lines alone."""
    start = 0
    for found in LINE_BREAK.finditer(text):
        yield text[start:found.start()]
        start = found.end()
    yield text[start:]


class _OpenQuote(Unreadable):
    """A quoted cell is never closed."""


def _csv_rows(text: str, strict: bool, deadline: Deadline, delimiter: str = ",") -> list[list[str]]:
    """The CSV records of a text; row numbers in messages are the line a record starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=strict)
    rows: list[list[str]] = []
    spanning: list[tuple[int, int]] = []  # (index, first line) of the records over more than one line
    start = 1
    try:
        for row in reader:
            rows.append(row)
            if reader.line_num > start:
                spanning.append((len(rows) - 1, start))
            start = reader.line_num + 1
            if len(rows) % DEADLINE_EVERY_ROWS == 0:
                deadline.check(f"第{start}行")
    except csv.Error as err:
        message = str(err)
        if "field larger than field limit" in message:
            raise Unreadable(f"第{start}行起有一个单元格超过{csv.field_size_limit()}个字符"
                             "(引号未闭合?设置 ingest.max_cell_chars)") from err
        if "unexpected end of data" in message:
            raise _OpenQuote(f"第{start}行的引号没有闭合，其后{reader.line_num - start}行被并进一个单元格") from err
        raise
    if spanning:
        _swallowed_rows(rows, spanning, delimiter)
    return rows


def _swallowed_rows(rows: list[list[str]], spanning: list[tuple[int, int]], delimiter: str = ",") -> None:
    """Raise Unreadable when a quoted cell over several lines holds a line that looks like a row of the table."""
    # a stray quote opening a cell is closed by the next stray quote, rows below: the rows between vanish into
    # one cell without a word. A note's line may hold a delimiter or two; a row's holds as many as the table has
    # cells, a row's first or last part (the quote opened late or closed early in it) at least about half as many
    widths = Counter(len(row) for row in rows if len(row) > 1)
    width = widths.most_common(1)[0][0] if widths else 0
    least = max(SWALLOWED_ROW_MIN_DELIMITERS, (width - 1) // 2)
    for index, start in spanning:
        line = start
        for cell in rows[index]:
            lines = LINE_BREAK.split(cell)
            if len(lines) > 1 and max(part.count(delimiter) for part in lines) >= least:
                raise Unreadable(f"第{line}行的引号直到第{line + len(lines) - 1}行才闭合，其后{len(lines) - 1}行"
                                 "被并进一个单元格(单元格开头多了一个引号?)")
            line += len(lines) - 1


def cut_short(data: bytes, rows: list[list[str]], header_index: int) -> str | None:
    """Why a CSV file's last row looks cut off by an upload that stopped, or None."""
    # An upload cut short stops inside a row, leaving it fewer cells than the header names; a complete row holds
    # every column (a note typed right of the table, or a header cell left empty at its end, is no column to
    # miss). A cut in the last cell, or a last row whose empty cells were left out, cannot be told apart from that.
    if data.endswith((b"\n", b"\r")) or len(rows) <= header_index + 1:
        return None
    header = rows[header_index]
    columns = len(header) - next((n for n, cell in enumerate(reversed(header)) if cell.strip()), len(header))
    if len(rows[-1]) >= columns:
        return None
    return f"文件在第{len(rows)}行中途结束(上传不完整?该行只有{len(rows[-1])}个单元格，表头有{columns}列)"
