"""Bytes of a return: CSV in a clerk's encoding, xlsx with stable bytes, and the broken files villages send."""
from __future__ import annotations

import csv
import datetime as dt
import io
import zlib

import numpy as np
import xlsxwriter

from povmon.synth.rows import FileContent
from povmon.synth.styles import Style

FIXED_CREATED = dt.datetime(2020, 1, 1, 8, 0, 0)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def csv_text(content: FileContent, crlf: bool) -> str:
    """The return as CSV text (blank rows written as empty cells, as Excel exports them)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(content.header)
    blank = [""] * len(content.header)
    writer.writerows(blank if row is None else row for row in content.rows)
    return out.getvalue()


def xlsx_bytes(content: FileContent) -> bytes:
    """The return as an xlsx workbook: title rows, header, rows, optional 合计 row; no timestamps inside."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.set_properties({"created": FIXED_CREATED, "author": "", "title": ""})
    sheet = workbook.add_worksheet("Sheet1")
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    r = 0
    for title in content.titles:
        sheet.write_string(r, 0, title)
        r += 1
    for c, text in enumerate(content.header):
        sheet.write_string(r, c, text)
    for row in content.rows + ([content.total] if content.total else []):
        r += 1
        for c, value in enumerate(row or []):
            if isinstance(value, dt.datetime):
                sheet.write_datetime(r, c, value, date_format)
            elif isinstance(value, (int, float)):
                sheet.write_number(r, c, value)
            elif value != "":
                sheet.write_string(r, c, value)
    workbook.close()
    return buffer.getvalue()


def render(content: FileContent, style: Style) -> bytes:
    """The bytes a village sends for this content and style."""
    if style.xlsx:
        return xlsx_bytes(content)
    return csv_text(content, style.crlf).encode(style.encoding)


def unreadable_bytes(variant: str, content: FileContent, style: Style) -> tuple[bytes, str]:
    """A file the pipeline cannot read, and its extension: empty, truncated, not a spreadsheet, bad encoding."""
    rng = np.random.default_rng(style.seed + 11)
    if variant == "empty":
        return b"", "csv"
    if variant == "truncated_csv":
        return truncated_csv(content, style), "csv"
    if variant == "truncated_xlsx":
        whole = xlsx_bytes(content)
        return whole[: len(whole) // 2], "xlsx"
    if variant == "png_as_xlsx":
        header = b"\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x00\xc8\x08\x02\x00\x00\x00"
        return PNG_SIGNATURE + header + zlib.compress(rng.bytes(3000)), "xlsx"
    if variant == "text_as_xlsx":
        return "上传失败：文件未导出完成，请重新导出后再上传。\r\n".encode("utf-8"), "xlsx"
    if variant == "random_bytes":
        return b"\x80\xff\xfe\x81" + rng.bytes(4000), "csv"
    if variant == "utf16":
        return csv_text(content, True).encode("utf-16"), "csv"
    raise ValueError(f"unknown unreadable variant {variant}")


def truncated_csv(content: FileContent, style: Style) -> bytes:
    """A half-uploaded CSV: cut in the middle of a data line, three fields in, with no line end after it."""
    line_end = "\r\n" if style.crlf else "\n"
    lines = csv_text(content, style.crlf).split(line_end)
    keep = max(2, len(lines) // 2)
    partial = lines[keep]
    cut = [i for i, ch in enumerate(partial) if ch == ","][2] + 2
    return (line_end.join(lines[:keep]) + line_end + partial[:cut]).encode(style.encoding)
