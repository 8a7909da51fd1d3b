"""Where the first sheet's used range starts, so row numbers match what Excel shows above empty top rows."""
from __future__ import annotations

import io
import re
import zipfile

SHEET_RELATION = re.compile(r'<sheet\b[^>]*\br:id="([^"]+)"')
TARGET = r'<Relationship\b[^>]*\bId="{}"[^>]*\bTarget="([^"]+)"'
FIRST_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*\br="(\d+)"[^>]*>\s*<(?:\w+:)?c\b')


def first_used_row(data: bytes, sheet_position: int = 0) -> int:
    """The 1-based Excel row of the first (or the given position's) sheet's first row holding a cell (1 when it
    cannot be told).

    calamine (behind polars.read_excel) starts its rows at the first used row, so a sheet whose
    table sits below empty rows would otherwise report row numbers too small by that many.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            workbook = book.read("xl/workbook.xml").decode("utf-8", "replace")
            relation = SHEET_RELATION.findall(workbook)[sheet_position]
            rels = book.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
            target = re.search(TARGET.format(re.escape(relation)), rels).group(1)
            path = target.lstrip("/") if target.startswith("/") else "xl/" + target
            with book.open(path) as sheet:
                head = sheet.read(1 << 20)  # the first row is near the top of the sheet XML
        found = FIRST_ROW.search(head)
        return int(found.group(1)) if found else 1
    except (KeyError, AttributeError, IndexError, zipfile.BadZipFile, ValueError):
        return 1
