"""The data rows of a large sheet as SpreadsheetML, built column by column with Polars, and put into the workbook
xlsxwriter wrote around them: xlsxwriter spends ~35 µs a cell (47 s for a city's flags.xlsx, three times the
whole nightly increment), a Polars pass a fraction of a second. The rows go into the workbook a piece at a time
(PIECE_ROWS), so the memory it takes does not grow with the sheet: built whole, a province's flags.xlsx (446,000
rows) held ~3 GB of XML copies at once, the night's peak."""
from __future__ import annotations

import math
import zipfile
from collections.abc import Iterator
from pathlib import Path

import polars as pl

# characters XML 1.0 does not allow (a village's text may hold them); dropped
INVALID_XML = "[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]"


def xml_text(expr: pl.Expr) -> pl.Expr:
    """A text column as XML character data."""
    expr = expr.str.replace_all(INVALID_XML, "")
    for character, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        expr = expr.str.replace_all(character, entity, literal=True)
    return expr


def cell_xml(name: str, is_text: bool, style: int) -> pl.Expr:
    """One column's cells of a row: an inline string, a number, or a blank cell of the column's style for an empty
    value. Without a cell reference (`r`, optional in ECMA-376 §18.3.1.4: a cell without one is the one after the
    row's previous cell, as Excel, WPS, LibreOffice and calamine read it), hence the blank cells: a province's
    flags.xlsx compressed to about half the bytes (74 -> 39 MB) in a quarter less time, the unique references gone."""
    blank = pl.lit(f'<c s="{style}"/>')
    if is_text:
        text = pl.col(name).cast(pl.String)
        cell = pl.lit(f'<c s="{style}" t="inlineStr"><is><t xml:space="preserve">') + xml_text(text) + \
            pl.lit("</t></is></c>")
        return pl.when(text.is_null() | (text == "")).then(blank).otherwise(cell)
    number = pl.col(name).cast(pl.Float64)
    cell = pl.lit(f'<c s="{style}"><v>') + number.cast(pl.String) + pl.lit("</v></c>")
    return pl.when(number.is_not_null() & number.is_finite()).then(cell).otherwise(blank)


def rows_xml(rows: pl.DataFrame, columns: list[tuple[str, bool, int]], first_row: int) -> bytes:
    """<row> elements of rows (the first numbered first_row, 1-based) as UTF-8; columns: (name, is_text, style
    index). Taken from Polars as bytes: as a Python str, Chinese text was decoded into one and encoded back (the
    city's flags.xlsx rows: 0.47 CPU-s that way, 0.25 as bytes)."""
    if rows.height == 0:
        return b""
    numbered = rows.with_columns((pl.int_range(pl.len()) + first_row).cast(pl.String).alias("__row"))
    cells = [cell_xml(name, is_text, style) for name, is_text, style in columns]
    row = pl.concat_str([pl.lit('<row r="'), pl.col("__row"), pl.lit('">'), *cells, pl.lit("</row>")])
    return numbered.select(row.str.join("").cast(pl.Binary)).item()


PIECE_ROWS = 20_000  # rows of XML built and written at a time
ZIP64_LIMIT = zipfile.ZIP64_LIMIT  # a part's size above which its header must be ZIP64


def rows_xml_pieces(rows: pl.DataFrame, columns: list[tuple[str, bool, int]], first_row: int,
                    piece_rows: int = PIECE_ROWS) -> Iterator[bytes]:
    """rows_xml of rows, piece_rows rows at a time, as UTF-8."""
    for offset in range(0, rows.height, piece_rows):
        yield rows_xml(rows.slice(offset, piece_rows), columns, first_row + offset)


def insert_rows(path: Path, sheet_number: int, after_row: int, rows: pl.DataFrame,
                columns: list[tuple[str, bool, int]], piece_rows: int | None = None) -> None:
    """Put rows (rows_xml's columns) into a written workbook's sheet (xl/worksheets/sheet<N>.xml) after its row
    after_row (1-based), numbered from after_row + 1, streamed into the part a piece at a time; every other part
    and each part's stored date kept, so the same rows give the same bytes."""
    if rows.height == 0:
        return
    name = f"xl/worksheets/sheet{sheet_number}.xml"
    with zipfile.ZipFile(path) as book:
        parts = [(info, book.read(info)) for info in book.infolist()]
    piece_rows = piece_rows or PIECE_ROWS
    pieces = rows_xml_pieces(rows, columns, after_row + 1, piece_rows)
    first = next(pieces)
    # a part over 2 GiB needs a ZIP64 header, which must be chosen before the part is written: estimated from the
    # first piece, with room to spare (below that, the header is the one zipfile would choose for the whole part)
    large = len(first) * math.ceil(rows.height / piece_rows) * 1.5 > ZIP64_LIMIT
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for info, data in parts:
            if info.filename != name:
                book.writestr(info, data)
                continue
            at = data.index(b"</row>", data.index(f'<row r="{after_row}"'.encode())) + len(b"</row>")
            # the fastest deflate: the sheet is most of the work, and its size matters less than the run's time
            info._compresslevel = 1  # what writestr(..., compresslevel=1) sets
            with book.open(info, "w", force_zip64=large) as sheet:
                sheet.write(data[:at])
                sheet.write(first)
                for piece in pieces:
                    sheet.write(piece)
                sheet.write(data[at:])
