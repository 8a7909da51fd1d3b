"""The privacy part of the audit: no full name of a household head, a department's person or a roster member,
and no ID-shaped number, in any page or export a person reads (policy.md, Privacy)."""
from __future__ import annotations

import csv
import re
from pathlib import Path

from tests.support.html_tree import Element, parse_html

# K…: a case's 台账编号; .…: a decimal's digits (a sort key)
ID_SHAPED = re.compile(r"(?<![\dK.])\d{17}[\dXx](?!\d)|(?<![\dK.])\d{15}(?![\d.])")


def names(audit) -> tuple[re.Pattern | None, set[str]]:
    """Every full name the store holds: those of three characters or more as one pattern (found inside a text),
    and the two-character ones (a text that is one of them: inside other words they match by chance)."""
    found = {n for (n,) in audit.rows("SELECT DISTINCT head_name FROM return_rows WHERE length(head_name) >= 2")}
    for table in ("department_rows", "registry_members"):
        if table in audit.relations():
            found |= {n for (n,) in audit.rows(f"SELECT DISTINCT name FROM {table} WHERE length(name) >= 2")}
    found = {n.strip() for n in found if n and len(n.strip()) >= 2}
    long = sorted((n for n in found if len(n) >= 3), key=len, reverse=True)
    return (re.compile("|".join(map(re.escape, long))) if long else None), {n for n in found if len(n) == 2}


def staff_names(audit) -> set[str]:
    """The township staff named as 核查人 of a decision (who did the work, not a resident: shown whole)."""
    if not hasattr(audit, "_staff"):
        audit._staff = {n for (n,) in audit.rows("SELECT DISTINCT actor FROM cases WHERE actor IS NOT NULL")}
    return audit._staff


def texts_of_page(doc: Element) -> list[str]:
    """Each text of a page apart (cells not run together), attribute values included."""
    texts = [c for e in doc.iter() for c in e.children if isinstance(c, str)]
    return texts + [v for e in doc.iter() for v in e.attrs.values() if v]


def texts_of_export(path: Path) -> list[str]:
    """Every cell of a CSV export or of every sheet of a workbook."""
    if path.suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as f:
            return [cell for row in csv.reader(f) for cell in row]
    from openpyxl import load_workbook
    book = load_workbook(path, read_only=True)
    try:
        return [str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row
                if c is not None]
    finally:
        book.close()


def privacy(audit) -> None:
    """Names and ID numbers shown whole anywhere in out/ (pages, exports, case workbooks, spot-check lists)."""
    pattern, short = names(audit)
    for path in sorted(audit.out.rglob("*")):
        if path.suffix == ".html":
            texts = texts_of_page(parse_html(path.read_text(encoding="utf-8")))
        elif path.suffix in (".csv", ".xlsx") and ".part" not in path.name:
            texts = texts_of_export(path)
        else:
            continue
        where = path.relative_to(audit.out)
        for text in texts:
            for whole in ID_SHAPED.findall(text):
                audit.found.append(f"{where}: an ID-shaped number shown whole ({whole[:6]}…)")
            if text in short and text not in staff_names(audit):
                audit.found.append(f"{where}: a full name shown ({text[0]}…)")
            elif pattern is not None and text not in staff_names(audit) and (name := pattern.search(text)):
                audit.found.append(f"{where}: a full name shown ({name.group(0)[0]}…) in {text[:60]!r}")
        audit.differs(f"privacy {where}", True, True)
