"""A department CSV parsed column-wise in Polars when it is plain (no quote, no control character, exactly the
contract's columns): the same rows, numbers and counts parse_return gives, without a Python loop over records.
Anything else (quotes, extra columns, a rejected file...) is left to parse_return."""
from __future__ import annotations

import re

import polars as pl

from tasks.ingest.csv_rows import EXCEL_SEP_LINE
from tasks.ingest.data_rows import MAYBE_TOTAL
from tasks.ingest.decode import Unreadable, decode_text
from tasks.ingest.header_rows import NOTE_FIRST, TOTAL_LABEL, is_legend_row
from tasks.ingest.limits import DEFAULT_LIMITS, ReadLimits
from tasks.ingest.parse import HEADER_SEARCH_ROWS, Contract, ParsedFile, duplicated_columns, find_header

NOT_PLAIN = re.compile(r'["\x00-\x08\x0b\x0c\x0e-\x1f\x85\u2028\u2029]')  # csv quoting; what str and Polars differ on


def parse_plain_csv(data: bytes, contract: Contract, limits: ReadLimits = DEFAULT_LIMITS
                    ) -> tuple[ParsedFile, pl.DataFrame] | None:
    """The parsed file and its rows (source_row + the contract's columns, text), or None when the file is not plain
    (parse_return then reads it, with every check and problem)."""
    if not data.strip() or data.startswith(b"PK\x03\x04") or EXCEL_SEP_LINE.match(data):
        return None
    try:
        text, encoding = decode_text(data)
    except Unreadable:
        return None
    if NOT_PLAIN.search(text):
        return None
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines[-1] == "":
        lines.pop()  # the last record's line end
    elif len(lines) > 1:
        return None  # a file ending mid-row is parse_return's to judge
    top = [line.split(",") for line in lines[:HEADER_SEARCH_ROWS]]
    found = find_header(top, contract)
    if found is None:
        return None
    header_index, mapping = found
    header = top[header_index]
    if (len(mapping) != len(header) or any(c not in mapping.values() for c in contract.required)
            or duplicated_columns(header, contract)):
        return None
    body = pl.Series("line", lines[header_index + 1:], dtype=pl.Utf8).to_frame()
    if (body.select(pl.col("line").str.len_chars().max()).item() or 0) > limits.max_cell_chars:
        return None  # a cell may be over the limit: parse_return says which
    cells = pl.col("line").str.split(",")
    framed = body.select(cells.alias("cells"), (pl.int_range(pl.len()) + header_index + 2).alias("source_row"),
                         (pl.col("line").str.replace_all(",", "", literal=True).str.strip_chars() == "").alias("blank"),
                         cells.list.head(3).list.join("").str.contains(MAYBE_TOTAL.pattern).alias("maybe_total"))
    totals = (framed.filter(pl.col("maybe_total") & ~pl.col("blank"))  # few rows: checked cell by cell
              .filter(pl.any_horizontal(
                  pl.col("cells").list.get(i, null_on_oob=True).str.replace_all(r"\s", "").str.to_lowercase()
                  .str.contains(TOTAL_LABEL.pattern).fill_null(False) for i in range(3)))
              .select("source_row"))
    # a row whose contract cells are all empty holds no record, whatever is typed right of the table (a note in a
    # row of its own), as parse_return reads it; every cell left of the header's end is a contract cell here
    filled = pl.col("cells").list.head(len(header)).list.join("").str.strip_chars() != ""
    kept = (framed.filter(~pl.col("blank") & filled)
            .join(totals, on="source_row", how="anti", maintain_order="left"))
    if kept.height == 0 or (contract.notes_below and maybe_not_records(kept, header, lines[header_index + 1:])):
        return None
    by_name = {name: position for position, name in mapping.items()}
    rows = kept.select(pl.col("source_row").cast(pl.Int32), *[
        (pl.col("cells").list.get(by_name[name], null_on_oob=True) if name in by_name
         else pl.lit(None, pl.Utf8)).alias(name) for name in contract.columns])
    parsed = ParsedFile(encoding=encoding, header_row=header_index + 1, rows_read=body.height,
                        rows_skipped=body.height - kept.height)
    return parsed, rows


def maybe_not_records(kept: pl.DataFrame, header: list[str], body: list[str]) -> bool:
    """Whether parse_return might skip a kept row as no record (contract.notes_below): a row under the header
    numbering its columns, or one whose text starts as a note or the header does (header_rows.NotHousehold)."""
    if body and is_legend_row(body[0].split(","), sum(1 for cell in header if cell.strip())):
        return True
    starts = NOTE_FIRST | {next(cell.strip() for cell in header if cell.strip())[0]}
    text = pl.col("cells").list.join("").str.strip_chars_start()
    return kept.select(text.str.slice(0, 1).is_in(list(starts)).any()).item()
