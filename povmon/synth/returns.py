"""One village return put together (rows in the file's layout, planted rows numbered as in Excel)."""
from __future__ import annotations

import numpy as np

from povmon.synth.households import VillageData
from povmon.synth.plan import WARNINGS, RowCase
from povmon.synth.rows import (
    REMARKS, FileContent, column_layout, date_text, dress_cells, format_cents, header_cells, household_cells,
    mangled_head_id, plant_case, typed_cell,
)
from povmon.synth.schema import AMOUNT_COLUMNS, COL, period_of
from povmon.synth.styles import Style


def title_rows(data: VillageData, index: int, style: Style, place: str) -> list[str]:
    """The one or two title rows above an xlsx header."""
    period = period_of(index)
    titles = [f"{data.village.name}{period[:4]}年{int(period[4:])}月收入月报表"]
    titles.append(f"填报单位：{place}{data.village.name}　　金额单位：元")
    return titles[: style.titles]


def _household_records(data: VillageData, index: int, style: Style, rng: np.random.Generator,
                       cases: list[RowCase], other_village: str, tweak: bool,
                       prefix: str) -> list[tuple[int, list[str], str | None]]:
    """(household, cells, planted code) for every row, planted cases and harmless mess applied."""
    present = np.nonzero(data.basics.join <= index)[0]
    amounts = data.incomes.cents[present, index].tolist()
    rolls = rng.random((len(present), 6)).tolist()
    date = date_text(index, data, style)
    by_household = {c.household: c for c in cases}
    clean = [h for h in present if h not in by_household]
    tweaked = set(int(h) for h in rng.choice(clean, 2, replace=False)) if tweak else set()
    records = []
    for h, figures, roll in zip(present.tolist(), amounts, rolls):
        cells = household_cells(data, h, index, style, figures, date)
        if prefix:
            cells[0] = prefix + cells[0][12:]
        case = by_household.get(h)
        if case:
            records += [(h, row, case.code) for row in plant_case(cells, case, data, index, other_village)]
            continue
        if h in tweaked:  # the figure the correction puts right (a little too high in the first version)
            column = int(np.argmax(figures[:4]))
            cells[COL[AMOUNT_COLUMNS[column]]] = format_cents(figures[column] + max(figures[column] // 1000 * 100, 100))
        dress_cells(cells, style, roll)
        records.append((h, cells, None))
    return records


def _arrange(cells: list[str], order: list[int], serial: int, remark: str, columns: list[str], style: Style) -> list:
    """One household's cells in the file's column order (typed for xlsx)."""
    if not style.xlsx:
        return [cells[j] if j >= 0 else remark for j in order]
    return [serial if j == -2 else remark if j == -1 else typed_cell(c, cells[j], style) for c, j in zip(columns, order)]


def build_return(data: VillageData, index: int, style: Style, *, cases: list[RowCase] = (),
                 other_village: str = "", place: str = "", drop: str | None = None, tweak: bool = False,
                 prefix: str = "") -> FileContent:
    """A village's return for one period in the given style; `cases` are planted bad rows."""
    rng = np.random.default_rng(style.seed + 7)
    records = _household_records(data, index, style, rng, list(cases), other_village, tweak, prefix)
    columns = column_layout(style, drop)
    order = [COL.get(c, -2 if c == "序号" else -1) for c in columns]
    titles = title_rows(data, index, style, place) if style.xlsx else []
    content = FileContent(titles, header_cells(columns, style), columns, [])
    if style.blank_rows and len(records) > 6:
        blanks = set(int(i) for i in rng.choice(np.arange(2, len(records) - 1), int(rng.integers(1, 3)), replace=False))
    else:
        blanks = set()
    remarks = rng.integers(len(REMARKS), size=len(records)).tolist() if "备注" in columns else [0] * len(records)
    first_row = len(titles) + 2  # Excel row of the first data row
    numeric_ids = style.xlsx and style.numeric_head_ids and "head_id_number" in columns
    for i, (h, cells, code) in enumerate(records):
        if i in blanks:
            content.rows.append(None)
        row = _arrange(cells, order, i + 1, REMARKS[remarks[i]], columns, style)
        excel_row = first_row + len(content.rows)
        content.rows.append(row)
        content.row_of.setdefault(h, excel_row)
        if code:
            content.planted.append((excel_row, cells[0], code))
        elif numeric_ids and (number := mangled_head_id(cells[COL["head_id_number"]])) is not None:
            row[columns.index("head_id_number")] = number
            content.planted.append((excel_row, cells[0], "ROW_ID_NUMBER"))
    if style.xlsx and style.total_row:
        content.total = total_row(data, index, columns)
    return content


def total_row(data: VillageData, index: int, columns: list[str]) -> list:
    """The 合计 row under an xlsx table: household count and amount sums."""
    present = data.basics.join <= index
    sums = data.incomes.cents[present, index, :].sum(axis=0)
    row: list = ["" for _ in columns]
    for j, column in enumerate(columns):
        if column in AMOUNT_COLUMNS:
            row[j] = int(sums[AMOUNT_COLUMNS.index(column)]) / 100
        elif column == "household_size":
            row[j] = int(data.basics.size[present].sum())
    row[0] = "合计"
    return row


def level_of(code: str) -> str:
    """The level a problem code carries."""
    return "warning" if code in WARNINGS else "error"
