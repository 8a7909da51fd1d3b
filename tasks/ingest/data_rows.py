"""The rows of a return below its header as text columns: blank, total and not-a-household rows skipped and counted,
the cells of columns outside the contract kept as JSON (extra_columns)."""
from __future__ import annotations

import json
import re
from collections.abc import Callable

from tasks.ingest.header_rows import TOTAL_LABEL
from tasks.validate.columns import COLUMNS

MAYBE_TOTAL = re.compile("[合总小tT]")  # a cell can only hold a TOTAL_MARK (spaces removed) if it holds one of these


def has_contract_cells(row: list[str], mapping: dict[int, str]) -> bool:
    """True when a cell of a contract column (mapping: cell index -> name) holds more than whitespace."""
    return any(position < len(row) and row[position].strip() for position in mapping)


def is_total(row: list[str], lead: int = 0) -> bool:
    """True for a total row (合计/总计) at the foot of a table: a label in the table's first three columns or left of
    them (`lead`: the empty header cells before its first, as a CSV saved from a sheet whose table starts at D has)."""
    first = row[:lead + 3]
    if not MAYBE_TOTAL.search("".join(first)):  # most rows: no character a mark starts with
        return False
    return any(TOTAL_LABEL.match("".join(cell.split()).lower()) for cell in first)


def data_columns(rows: list[list[str]], header_index: int, mapping: dict[int, str],
                 names: tuple[str, ...] = tuple(COLUMNS), not_record: Callable[[list[str]], bool] | None = None,
                 left: int = 0) -> tuple[dict[str, list], int, int]:
    """The rows below the header as text columns (blank, total and not_record rows skipped and counted), in
    parse.RAW_SCHEMA's order.

    Built column by column in plain lists: a batch is framed once (see ingest.Batch), not file by file."""
    header = rows[header_index]
    extras = _extra_labels(header, mapping, left)
    body = rows[header_index + 1:]
    maybe_total = MAYBE_TOTAL.search  # is_total's first test inlined: this sees every row
    lead = next((i for i, cell in enumerate(header) if cell.strip()), 0)
    offsets = [offset for offset, row in enumerate(body)  # skipped: blank rows (all cells whitespace) and totals
               if "".join(row).strip() and not (maybe_total("".join(row[:lead + 3])) and is_total(row, lead))]
    if extras or any(len(body[offset]) > len(header) for offset in offsets):
        # a row whose contract cells are all empty holds no household, whatever a column outside the contract
        # says: a blank template with its 序号 numbered 1..40 is a return of no household, not 40 broken ones
        # (as a correction, it would have replaced the village's whole return)
        offsets = [offset for offset in offsets if has_contract_cells(body[offset], mapping)]
    if not_record is not None:  # a household's first cell (序号, 户编号) starts as no note or header does: not asked
        starts = not_record.starts
        offsets = [offset for offset in offsets
                   if ((first := body[offset][0] if body[offset] else "") and not first[0].isspace()
                       and first[0] not in starts) or not not_record(body[offset])]
    numbers = [header_index + 2 + offset for offset in offsets]
    kept = [body[offset] for offset in offsets]
    width = max(mapping) + 1
    # transposed at C speed: short rows padded with None (a missing cell), so zip never stops early
    padded = [row if len(row) >= width else row + [None] * (width - len(row)) for row in kept]
    cells = list(zip(*padded)) if padded else [()] * width
    by_name = {name: position for position, name in mapping.items()}
    columns: dict[str, list] = {"source_row": numbers}
    for name in names:
        position = by_name.get(name)
        columns[name] = [None] * len(kept) if position is None else cells[position]
    wider = any(len(row) > len(header) for row in kept)  # a CSV note typed right of the table, under no header
    columns["extra_columns"] = ([_extra_cells(row, extras, len(header), left) for row in kept] if extras or wider
                                else [None] * len(kept))
    return columns, len(body), len(body) - len(kept)


def _extra_labels(header: list[str], mapping: dict[int, str], left: int = 0) -> dict[int, str]:
    """The key each column outside the contract is kept under: its header, or its position (第N列) when the header
    cell is empty; a header met before is followed by its position (备注, 备注(第14列)), so no cell replaces another."""
    labels: dict[int, str] = {}
    taken: set[str] = set()
    for i, cell in enumerate(header):
        if i not in mapping:
            label = cell.strip() or f"第{i + 1 + left}列"
            while label in taken:
                label += f"(第{i + 1 + left}列)"
            labels[i] = label
            taken.add(label)
    return labels


def _extra_cells(row: list[str], extras: dict[int, str], header_width: int, left: int = 0) -> str | None:
    """The non-empty cells of columns outside the contract as JSON {header: value}, or None; a cell right of
    the header's last one is kept under its position (第N列), as a workbook's empty header cell is."""
    kept = {label: row[i] for i, label in extras.items() if i < len(row) and row[i] and row[i].strip()}
    for i in range(header_width, len(row)):
        if row[i] and row[i].strip():
            key = f"第{i + 1 + left}列"
            while key in kept:  # a header that reads 第N列 itself
                key += f"(第{i + 1 + left}列)"
            kept[key] = row[i]
    return json.dumps(kept, ensure_ascii=False) if kept else None
