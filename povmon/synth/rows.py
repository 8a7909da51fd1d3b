"""The rows of one village return: clean household rows, planted bad rows, and the harmless mess of real files."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from dataclasses import dataclass, field

import numpy as np

from povmon.synth.households import VillageData
from povmon.synth.incomes import net_cents
from povmon.synth.names import is_valid_id_number, with_impossible_date, with_wrong_check
from povmon.synth.plan import RowCase
from povmon.synth.schema import AMOUNT_COLUMNS, COL, COLUMN_NAMES, COLUMNS, NUMERIC_COLUMNS
from povmon.synth.styles import Style

PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
REMARKS = ["", "", "", "外出务工", "新识别", "已核实", "户主住院", "易地搬迁"]


@dataclass
class FileContent:
    """A return ready to render: title rows, header, rows (None = blank row), total row, planted rows."""

    titles: list[str]
    header: list[str]
    columns: list[str]  # canonical name of each column; extras keep their Chinese header
    rows: list[list | None]
    total: list | None = None
    planted: list[tuple[int, str, str]] = field(default_factory=list)  # (Excel row, household_id, code)
    row_of: dict[int, int] = field(default_factory=dict)  # household index -> Excel row of its first row

    @property
    def data_rows(self) -> int:
        """Household rows in the file (blank and total rows not counted)."""
        return sum(row is not None for row in self.rows)


def format_cents(cents: int) -> str:
    """Yuan text for an amount in cents: 1234, 1234.5 or 1234.05."""
    if cents % 100 == 0:
        return str(cents // 100)
    yuan, rest = divmod(abs(cents), 100)
    return f"{'-' if cents < 0 else ''}{yuan}.{rest:02d}".rstrip("0")


def report_date(index: int, day: int) -> dt.date:
    """The date a return for period index is filled in: a day early in the following month."""
    months = 10 + index
    return dt.date(2017 + months // 12, months % 12 + 1, day)


def date_text(index: int, data: VillageData, style: Style) -> str:
    """The 填报日期 cell of a return: 2020-04-05 or 2020/4/5."""
    date = report_date(index, int(data.report_days[index]))
    return f"{date.year}/{date.month}/{date.day}" if style.date_style == "slash" else date.isoformat()


def static_cells(data: VillageData) -> list[list[str]]:
    """Cells that never change for a household: id, name, ID number, size, labour, type (cached)."""
    if "static" not in data.cache:
        b = data.basics
        data.cache["static"] = [
            [hid, name, idn, str(size), str(labor), kind]
            for hid, name, idn, size, labor, kind in zip(data.household_ids, data.names, data.id_numbers,
                                                         b.size.tolist(), b.labor.tolist(), b.types.tolist())
        ]
    return data.cache["static"]


def yearly_cells(data: VillageData, year: int) -> list[list[str]]:
    """Cells fixed within an income year: last year's per capita, guarantees, risk causes (cached)."""
    key = f"year{year}"
    if key not in data.cache:
        last = data.last_year_pc[:, year].tolist()
        yes = {True: "是", False: "否"}
        data.cache[key] = [
            ["" if lp != lp else format_cents(int(round(lp * 100))), yes[house], yes[water], str(drop), str(ins), risk]
            for lp, house, water, drop, ins, risk in zip(
                last, data.housing_safe[:, year].tolist(), data.water_safe[:, year].tolist(),
                data.dropout[:, year].tolist(), data.insured[:, year].tolist(), data.risk[:, year].tolist())
        ]
    return data.cache[key]


def household_cells(data: VillageData, h: int, index: int, style: Style, amounts: list[int], date: str) -> list[str]:
    """The clean row of household h for period index, as text in canonical column order."""
    year_cells = yearly_cells(data, index // 12)[h]
    if style.risk_separator != "、" and year_cells[5]:
        year_cells = year_cells[:5] + [year_cells[5].replace("、", style.risk_separator)]
    return static_cells(data)[h] + [format_cents(a) for a in amounts] + year_cells + [date]


def plant_case(cells: list[str], case: RowCase, data: VillageData, index: int, other_village: str) -> list[list[str]]:
    """Spoil one clean row the way the case says; returns the row(s) to write in its place."""
    h, variant = case.household, case.variant
    cents = data.incomes.cents[h, index]
    biggest = COL[AMOUNT_COLUMNS[int(np.argmax(cents[:4]))]]
    edits = {
        "short15": ("household_id", cells[0][:12] + cells[0][13:]),
        "other_village": ("household_id", other_village + cells[0][12:]),
        "empty_size": ("household_size", ""),
        "empty_wage": ("wage_income", ""),
        "garbled": ("wage_income", "1,2x4"),
        "wu": ("business_income", "无"),
        "size0": ("household_size", "0"),
        "size25": ("household_size", "25"),
        "labor_gt_size": ("labor_count", str(data.basics.size[h] + 2)),
        "poor_household": ("household_type", "贫困户"),
        "check_digit": ("head_id_number", with_wrong_check(cells[2])),
        "bad_date": ("head_id_number", with_impossible_date(cells[2])),
        "sci_notation": ("head_id_number", f"{float(cells[2][:17]) * 10:.5E}"),
    }
    if variant == "twice":
        return [cells, list(cells)]
    if variant == "negative":
        cells[biggest] = format_cents(-max(int(cents.max()), 50000))
    elif variant == "lower":
        before = data.incomes.cents[h, index - 1]
        column = int(np.argmax(before[:4]))
        cells[COL[AMOUNT_COLUMNS[column]]] = format_cents(int(before[column] * 0.6) // 100 * 100)
    elif variant == "x50":  # 50 times, and at least 10 times the village's top per-capita income that month: early
        own = int(cents[biggest - COL["wage_income"]])  # in the year a household's calendar may have brought little
        per_capita = net_cents(data.incomes.cents[:, index]) / data.basics.size
        floor = int(10 * max(float(per_capita.max()), 100.0) * data.basics.size[h])
        cells[biggest] = format_cents(max(own * 50, own + floor) // 100 * 100)
    else:
        column, value = edits[variant]
        cells[COL[column]] = value
    return [cells]


def dress_cells(cells: list[str], style: Style, rolls: list[float]) -> None:
    """Harmless mess a clerk's software adds: separators, stray and full-width spaces, trailing spaces."""
    if style.trailing_names and rolls[0] < 0.4:
        cells[1] += " " * (1 + (rolls[0] < 0.1))
    if style.xlsx or not (style.commas or style.spaces or style.fullwidth):
        return
    for name, roll in zip(AMOUNT_COLUMNS, rolls[1:]):
        i = COL[name]
        if roll < 0.5 or not PLAIN_NUMBER.match(cells[i]):
            continue
        if style.commas and float(cells[i]) >= 1000:
            cells[i] = f"{float(cells[i]):,.2f}"
        elif style.spaces:
            cells[i] = f" {cells[i]} "
        elif style.fullwidth:
            cells[i] = "\u3000" + cells[i]


def column_layout(style: Style, drop: str | None) -> list[str]:
    """Canonical columns (and extras) in the order this file has them."""
    columns = [c for c in COLUMN_NAMES if c != drop and not (c == "report_date" and style.date_style == "none")]
    rng = np.random.default_rng(style.seed)
    if style.shuffle:
        columns = [columns[i] for i in rng.permutation(len(columns))]
    if style.extra_column:
        columns.insert(int(rng.integers(1, len(columns) + 1)), "备注")
    if style.xlsx and style.serial_column:
        columns.insert(0, "序号")
    return columns


def header_cells(columns: list[str], style: Style) -> list[str]:
    """Header text: Chinese or English names, sometimes with spaces around them."""
    rng = np.random.default_rng(style.seed + 1)
    header = []
    for c in columns:
        text = c if c in ("备注", "序号") else (c if style.english else COLUMNS[c])
        if style.header_spaces and rng.random() < 0.5:
            text = " " * int(rng.integers(1, 3)) + text + " " * int(rng.integers(0, 2))
        header.append(text)
    return header


def typed_cell(column: str, text: str, style: Style):
    """A cell as an xlsx writer should store it: a number where Excel would hold one, else text."""
    if column in NUMERIC_COLUMNS and not style.text_numbers and PLAIN_NUMBER.match(text):
        return float(text) if "." in text else int(text)
    if column == "household_id" and style.numeric_household_ids and len(text) == 16 and text.isdigit():
        return int(text)
    if column == "report_date" and style.date_style == "excel" and text:
        return dt.datetime.fromisoformat(text)
    return text


def mangled_head_id(text: str) -> float | None:
    """An ID as Excel stores it when typed as a number (a float, losing the X); None if still valid then."""
    if text.endswith("X"):
        return float(text[:17])
    number = float(text)
    stored = f"{number:.16G}"  # what xlsxwriter puts in the sheet
    readings = {str(int(Decimal(stored))), str(int(float(stored))), str(int(Decimal(repr(float(stored)))))}
    return None if any(is_valid_id_number(r) for r in readings) else number
