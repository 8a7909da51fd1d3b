"""Reading a filled township workbook and checking each decision row against the case it names (cases.md)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from tasks.cases import replay, rules
from tasks.cases.sheets import (HEADER_SEARCH_ROWS, ID_COLUMN, SUBJECT_COLUMNS, ZIP_MAGIC, NotACaseWorkbook, clean,
                                fill_merged, header_columns, hidden_sheets, listed_cell, refuse_partial_header,
                                unsaved_cells)
from tasks.cases.workbook import DECISION_COLUMNS
from tasks.ingest.xlsx_layout import first_used_row
from tasks.report.cells import defused
from tasks.validate.id_number import mask_id_shaped

EXCEL_EPOCH = date(1899, 12, 30)
DATE_TEXT = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
# the refusal code of a decision cell holding a formula saved without its result (cases.md's codes, by column)
# the reason of a 核查日期 after the import's today (check): the one check that compares with the day of the import
FUTURE_DATE = re.compile(r"核查日期\d{4}-\d{2}-\d{2}晚于今天\d{4}-\d{2}-\d{2}")
UNSAVED_CODES = dict(zip(DECISION_COLUMNS, ("CASE_CONCLUSION", "CASE_MEASURE", "CASE_ACTOR", "CASE_DATE",
                                            "CASE_NOTE_REQUIRED")))
# the reason of measures without a 属实 on their row or in force by their 核查日期
NEEDS_CONFIRMED = "帮扶措施须在核查属实后填写"


@dataclass
class Decision:
    """One decision row as written: its Excel row and the five cells (and the case id) as text."""

    row: int
    case_id: str
    conclusion: str
    measures: str
    actor: str
    decided_on: str
    note: str
    refusals: list[tuple[str, str]] = field(default_factory=list)
    sheet: str = ""  # the sheet's name when the workbook has more than one sheet of decisions
    unsaved: list[str] = field(default_factory=list)  # its decision columns holding a formula saved without a result
    shown: dict[str, str] = field(default_factory=dict)  # its 户编号 and 类型 as written (the columns present)


def read_decisions(data: bytes) -> list[Decision]:
    """The decision rows of a workbook (rows with any of the five cells filled), from every sheet not hidden that has
    the ledger's header (a clerk may fill a copy of the sheet), in the workbook's order; raise NotACaseWorkbook when
    none does (naming the hidden ones that do)."""
    if not data.startswith(ZIP_MAGIC):
        raise NotACaseWorkbook("不是Excel工作簿(.xlsx)，无法读取")
    try:
        import fastexcel

        book = fastexcel.read_excel(data)
        sheets = [[list(r) for r in zip(*(c.to_pylist() for c in
                   book.load_sheet_eager(name, header_row=None, dtypes="string").columns))]
                  for name in book.sheet_names]
    except Exception as err:  # calamine reports broken zips and XML in many ways
        raise NotACaseWorkbook(f"Excel文件已损坏或不完整: {type(err).__name__}") from err
    found, hidden, hidden_ledgers = [], hidden_sheets(data), []
    for position, (name, rows) in enumerate(zip(book.sheet_names, sheets)):
        for index, header in enumerate(rows[:HEADER_SEARCH_ROWS]):
            if ID_COLUMN not in {str(cell or "").strip() for cell in header}:
                continue
            if name in hidden:  # never read (hidden_sheets); named below when no other sheet holds the ledger
                hidden_ledgers.append(name)
                break
            # calamine leaves out empty rows above the first used one: Excel's row numbers count them
            skipped = first_used_row(data, position) - 1
            fill_merged(data, position, rows, index, skipped)
            names = header_columns(name, rows, index, header)
            if missing := [c for c in DECISION_COLUMNS if c not in names]:
                refuse_partial_header(name, rows, index, names, missing)
                continue
            found.append((name, decision_rows(rows, index, names, skipped, unsaved_cells(data, position, skipped))))
            break
    if not found and hidden_ledgers:
        raise NotACaseWorkbook(f"问题台账工作表“{'、'.join(hidden_ledgers)}”已隐藏，隐藏的工作表不读取：请取消隐藏后再导入")
    if not found:
        raise NotACaseWorkbook("不是问题台账工作簿：找不到含“台账编号、核查结论、帮扶措施、核查人、核查日期、备注”的表头")
    if len(found) > 1:  # a row number alone no longer says where a row is
        for name, decisions in found:
            for decision in decisions:
                decision.sheet = name
    return [decision for _, decisions in found for decision in decisions]


def decision_rows(rows: list[list], header_index: int, names: dict[str, int], skipped: int,
                  unsaved: set[tuple[int, int]] = frozenset()) -> list[Decision]:
    """Decision rows (a cell of the five, or a result-less formula), Excel-numbered: below the header, above it naming a case."""
    found = []
    for index, row in enumerate(rows):
        cell = {name: listed_cell(name, row[col]) if col < len(row) else "" for name, col in names.items()}
        formulas = [c for c in DECISION_COLUMNS if (index, names[c]) in unsaved]
        if index == header_index or (index < header_index and not cell[ID_COLUMN]):
            continue
        if formulas or any(cell[c] for c in DECISION_COLUMNS):
            found.append(Decision(index + 1 + skipped, cell[ID_COLUMN], *(cell[c] for c in DECISION_COLUMNS),
                                  unsaved=formulas, shown={c: cell[c] for c in SUBJECT_COLUMNS if c in cell}))
    return found


def parse_date(text: str) -> date | None:
    """An Excel date (serial number or date cell) or text YYYY-MM-DD / YYYY/M/D; None when it is not one."""
    if re.fullmatch(r"\d{5}(\.0+)?", text):
        return EXCEL_EPOCH + timedelta(days=int(float(text)))
    matched = DATE_TEXT.fullmatch(text)
    if not matched:
        return None
    try:
        return date(int(matched[1]), int(matched[2]), int(matched[3]))
    except ValueError:
        return None


def check(decision: Decision, case: dict | None, today: date) -> dict | None:
    """Fill decision.refusals (code, Chinese reason) with every check it fails; return the normalised decision
    (conclusion, measures, actor, decided_on, note) when it passes."""
    refuse = decision.refusals.append
    for column in decision.unsaved:
        refuse((UNSAVED_CODES[column], f"{column}是公式，文件中没有保存它的结果(请用Excel或WPS打开、保存后再导入)"))
    if case is None:
        refuse(("CASE_UNKNOWN", f"台账编号“{decision.case_id}”不存在" if decision.case_id else "台账编号为空"))
        return None
    if mismatch := other_subject(decision, case):
        refuse(("CASE_UNKNOWN", f"台账编号“{decision.case_id}”是{mismatch}的台账，与本行不符（台账编号被改动？）"))
        return None
    if decision.conclusion and decision.conclusion not in rules.CONCLUSIONS:
        refuse(("CASE_CONCLUSION", f"核查结论“{decision.conclusion}”不在可选项内（属实、不属实、风险消除）"))
    measures = rules.split_measures(decision.measures)
    unknown = [m for m in measures if m not in rules.MEASURES]
    if unknown:
        refuse(("CASE_MEASURE", f"帮扶措施“{'、'.join(unknown)}”不在可选项内"))
    if decision.conclusion == rules.DISMISSED and not decision.note:
        refuse(("CASE_NOTE_REQUIRED", "核查结论为不属实时须在备注中说明理由"))
    if not decision.actor:
        refuse(("CASE_ACTOR", "未填写核查人"))
    decided_on = parse_date(decision.decided_on)
    if decided_on is None:
        refuse(("CASE_DATE", f"核查日期“{decision.decided_on}”不是日期" if decision.decided_on else "未填写核查日期"))
    elif decided_on < case["opened_on"]:
        refuse(("CASE_DATE", f"核查日期{decided_on}早于发现日期{case['opened_on']}"))
    elif decided_on > today:
        refuse(("CASE_DATE", f"核查日期{decided_on}晚于今天{today}"))
    refuse_status(decision, case, measures, refuse)
    if decision.refusals:
        return None
    return {"conclusion": decision.conclusion or None, "measures": rules.MEASURE_SEPARATOR.join(measures) or None,
            "actor": decision.actor, "decided_on": decided_on, "note": decision.note or None}


def rechecked(code: str, detail: str, case_id: str | None) -> bool:
    """Whether a refusal recorded for a file's row may come out otherwise when the same bytes are imported again:
    it compared the row with the import's today (a 核查日期 after it) or with the ledger (the case's status, no case
    of that id), not with the file and the case's fixed facts alone."""
    if code == "CASE_STATUS":
        return True
    if code == "CASE_DATE":
        return FUTURE_DATE.match(detail) is not None
    return code == "CASE_UNKNOWN" and bool(case_id) and detail.startswith(f"台账编号“{case_id}”不存在")


def other_subject(decision: Decision, case: dict) -> str | None:
    """What the case of the row's 台账编号 is, when the row's 户编号 or 类型 (where written) shows another case."""
    expected = {"户编号": case["household_id"] or "", "类型": rules.kind_label(case["kind"])}
    for column, written in decision.shown.items():
        if written and written != as_shown(expected[column]):
            return f"{column}“{expected[column] or '（村级）'}”"
    return None


def refuse_status(decision: Decision, case: dict, measures: list[str], refuse) -> None:
    """The checks of the case's status: no step on a case the pipeline closed (its cause gone) or one a case opened
    since for its subject × kind has replaced (naming it), 风险消除 only for a removal candidate, measures only with
    属实 now or before. A case a person closed (不属实, 风险消除) takes a decision of any date: the later 核查日期 wins
    (cases.md), so a closing is replaced by a later decision, or replays one dated before it under it, and cannot
    refuse it; had the other file come first, the decision would have been applied. Such a decision, and one dated
    before the decision in force, is checked on case["standing"], the state the other decisions dated on or before
    it leave without the closings (replay.standing); a 风险消除 passes on the case now as well. Measures need 属实 on
    their row or in force by their date, so the 属实 imported first does not let earlier measures in."""
    status = case["status"]
    if status not in rules.ACTIVE and (case.get("opened_since") or not rules.closed_by_person(case)):
        now = ""
        subject = "户" if case["household_id"] else "村"
        if reopened := case.get("reopened_as"):  # the case opened since for the same subject × kind: the id to use
            now = (f"；该{subject}此类问题现在的台账编号为“{reopened[0]}”（{rules.STATUS_LABELS[reopened[1]]}），"
                   "请填写在该台账")
        elif since := case.get("opened_since"):  # a later case, itself closed: the closed one is not taken back
            now = f"；该{subject}此类问题此后已另立台账“{since[0]}”（{rules.STATUS_LABELS[since[1]]}）"
        refuse(("CASE_STATUS", f"台账状态为{rules.STATUS_LABELS[status]}，不能再填写结论{now}"))
        return
    states = (case, case["standing"]) if case.get("standing") else (case,)
    if decision.conclusion == rules.REMOVED and not any(removable(state, measures) for state in states):
        refuse(("CASE_STATUS", "该户尚不符合风险消除条件（须帮扶中、连续达标、有措施且有劳动力或兜底）"))
    if measures and rules.CONFIRMED not in (decision.conclusion, states[-1]["conclusion"]):
        refuse(("CASE_STATUS", NEEDS_CONFIRMED))


def removable(case: dict, measures: list[str]) -> bool:
    """Whether a candidate stays one as the row leaves it: its measures (the row's replace them) hold 兜底保障, or labour
    (case: the case now, or the state a decision is checked against, refuse_status)."""
    kept = measures or rules.split_measures(case["measures"])
    return bool(case["is_removal_candidate"]) and (rules.GUARANTEE in kept or (case.get("labor_count") or 0) >= 1)


def repeats(decision: Decision, case: dict | None, applied: list[dict]) -> bool:
    """Whether a row repeats a decision already applied to its case: the one in force, or one applied before it
    that a workbook exported earlier still shows (a clerk's copy returned untouched), or the cells an applied row
    wrote (a copy of its file re-sent); unchanged. The note and 核查人 are also compared as the workbook showed
    them (as_shown)."""
    if case is None or case["decided_on"] is None:
        return False
    written = (decision.conclusion or None, rules.MEASURE_SEPARATOR.join(rules.split_measures(decision.measures))
               or None, decision.actor or None, parse_date(decision.decided_on), decision.note or None)
    # a row's own cells differ from the state after it where it left a cell blank (measures on a case confirmed
    # by another file): re-sent, it would be applied again, and at its date win over a later import
    own = [{**event, **replay.as_decided(event)} for event in applied]
    for state in (case, *applied, *own):
        kept = (state["conclusion"], state["measures"], state["actor"], state["decided_on"], state["note"])
        if written in (kept, (*kept[:2], as_shown(kept[2]), kept[3], as_shown(kept[4]))):
            return True
    return False


def restore_masked(decision: Decision, case: dict | None, applied: list[dict]) -> None:
    """A note or 核查人 written back as the workbook showed it (as_shown) is the one on record: put the text on
    record back, so a decision that changes another cell does not replace it with its shown copy."""
    for state in (() if case is None else (case, *applied)):
        for name in ("note", "actor"):
            kept = state[name]
            if kept and getattr(decision, name) != kept and getattr(decision, name) == as_shown(kept):
                setattr(decision, name, kept)


def as_shown(text: str | None) -> str | None:
    """A note or 核查人 on record as the workbook shows it and the import reads it back: ID-shaped text masked,
    on one line, a formula-like start prefixed with ' (tasks.cases.workbook.sheet_cells), trimmed."""
    return text if not text else clean(defused(mask_id_shaped(text)))
