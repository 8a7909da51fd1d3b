"""A simulated township clerk (synthetic city only): fills in the case workbooks as people do, mostly right.

Reads an exported workbook with calamine and writes a filled copy with xlsxwriter under another sheet name,
as a clerk re-saving in WPS would. Most rows get a sound decision; a few are wrong on purpose (an unknown
台账编号, 不属实 without 备注, a date in the future, a measure not in the list, a step on a closed case), so the
import's refusals show in the demo."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import xlsxwriter

FILL_COLUMNS = ("核查结论", "帮扶措施", "核查人", "核查日期", "备注")
CLERKS = ("王秀英", "李建国", "张桂兰", "刘志强", "陈红梅", "杨卫东")
MEASURES_BY_KIND = {"BELOW_LINE": "公益岗位", "SUDDEN_DROP": "稳岗就业", "UNSTABLE_LIFTED": "产业帮扶",
                    "GUARANTEE_GAP": "危房改造、饮水改造"}
HOUSEHOLD_LABELS = {"低于监测线": "BELOW_LINE", "收入骤减": "SUDDEN_DROP", "脱贫不稳定": "UNSTABLE_LIFTED",
                    "三保障及饮水问题": "GUARANTEE_GAP"}


@dataclass(frozen=True)
class Habits:
    """How one round of filling-in goes: shares of rows decided each way, and the mistakes made on purpose."""

    confirm: float = 0.55     # 属实 (half of them with measures at once)
    dismiss: float = 0.12     # 不属实 with a note
    mistakes: bool = True


def read_sheet(path: Path) -> tuple[list[str], list[list[str]]]:
    """The 待办 sheet's header and rows as text (the sheet that has the ledger's header)."""
    import fastexcel

    book = fastexcel.read_excel(path.read_bytes())
    for name in book.sheet_names:
        columns = book.load_sheet_eager(name, header_row=None, dtypes="string").columns
        rows = [["" if v is None else v for v in row] for row in zip(*(c.to_pylist() for c in columns))]
        if rows and "台账编号" in rows[0]:
            return rows[0], rows[1:]
    raise ValueError(f"{path.name}: no case sheet")


def decide(row: dict, rng: random.Random, today: date, habits: Habits) -> tuple[str, ...] | None:
    """The five cells a clerk writes for one case row (None: not visited this round)."""
    opened = date.fromisoformat(row["发现日期"])
    when = max(opened, today - timedelta(days=rng.randint(0, 9))).isoformat()
    who = rng.choice(CLERKS)
    status, kind = row["状态"], HOUSEHOLD_LABELS.get(row["类型"])
    if "可申请风险消除" in status:
        return ("风险消除", row["帮扶措施"], who, when, "连续达标，经村民代表评议")
    if status.startswith("已核实") and kind:
        return ("属实", MEASURES_BY_KIND[kind], who, when, "")
    if not status.startswith("待核查") or row["类型"] == "数据错误待更正":
        return None  # assisting cases wait; data errors are fixed by a corrected file
    draw = rng.random()
    if draw < habits.confirm:
        measures = MEASURES_BY_KIND.get(kind, "") if kind and rng.random() < 0.5 else ""
        return ("属实", measures, who, when, "")
    if draw < habits.confirm + habits.dismiss:
        return ("不属实", "", who, when, "入户核实收入已达标")
    return None


def mistakes(rows: list[dict], closed_ids: list[str], rng: random.Random, today: date) -> list[tuple[str, tuple]]:
    """Wrong rows a clerk makes: each (台账编号, five cells)."""
    later = (today + timedelta(days=3)).isoformat()
    wrong = [("K202003NOSUCHCASE00", ("属实", "", "王秀英", today.isoformat(), ""))]
    open_rows = [r for r in rows if r["状态"].startswith("待核查") and r["类型"] != "数据错误待更正"]
    picks = rng.sample(open_rows, min(3, len(open_rows)))
    cells = [("不属实", "", "李建国", today.isoformat(), ""),            # no note
             ("属实", "", "张桂兰", later, ""),                          # a date in the future
             ("属实", "发放慰问金", "刘志强", today.isoformat(), "")]      # not a listed measure
    wrong += [(r["台账编号"], c) for r, c in zip(picks, cells)]
    if closed_ids:
        wrong.append((rng.choice(closed_ids), ("属实", "", "陈红梅", today.isoformat(), "")))  # a closed case
    return wrong


def fill_workbook(source: Path, target: Path, today: date, seed: int, closed_ids: list[str] = (),
                  habits: Habits = Habits()) -> int:
    """Write target: source's rows with the clerk's decisions (and mistakes appended); returns rows decided."""
    header, rows = read_sheet(source)
    rng = random.Random(f"{seed}:{source.name}:{today}")
    records = [dict(zip(header, r)) for r in rows]
    decided = 0
    book = xlsxwriter.Workbook(str(target), {"strings_to_numbers": False})
    sheet = book.add_worksheet("已核查")
    sheet.write_row(0, 0, header)
    for index, record in enumerate(records, start=1):
        cells = decide(record, rng, today, habits)
        if cells:
            record.update(zip(FILL_COLUMNS, cells))
            decided += 1
        sheet.write_row(index, 0, [record.get(h, "") for h in header])
    extra = mistakes(records, list(closed_ids), rng, today) if habits.mistakes else []
    for offset, (case_id, cells) in enumerate(extra, start=len(records) + 1):
        record = {"台账编号": case_id, **dict(zip(FILL_COLUMNS, cells))}
        sheet.write_row(offset, 0, [record.get(h, "") for h in header])
    book.close()
    return decided
