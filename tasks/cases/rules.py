"""The ledger's fixed vocabulary and pure rules: kinds, states, lists, case ids, deadlines, month arithmetic."""
from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta
from functools import lru_cache

from core.flag_codes import HOUSEHOLD_FLAGS
from core.income_year import income_year_month
from core.settings import CaseSettings
from tasks.departments.events import EVENTS
from tasks.report.labels import LABELS

VILLAGE_SIGNALS = ("THRESHOLD_BUNCHING", "IDENTICAL_ROWS", "MISSING_RETURN")
DATA_ERRORS = "DATA_ERRORS"
STATUS_LABELS = {"open": "待核查", "confirmed": "已核实", "assisting": "帮扶中", "dismissed": "不属实", "closed": "已销号"}
ACTIVE = ("open", "confirmed", "assisting")
CONFIRMED, DISMISSED, REMOVED = "属实", "不属实", "风险消除"
CONCLUSIONS = (CONFIRMED, DISMISSED, REMOVED)
CLOSINGS = (DISMISSED, REMOVED)  # the conclusions by which a person closes a case (不属实: dismissed; 风险消除: closed)
SETTLED_REASON_END = "按已办结销号"  # how the close_reason of a settled DEPT case ends (evaluate.settled_event)
DISMISSAL_REASON = "核查不属实"  # the close_reason of a dismissal; that of 风险消除 is REMOVED (tasks/cases/replay.after)
MEASURES = ("兜底保障", "稳岗就业", "公益岗位", "产业帮扶", "医疗救助", "教育资助", "残疾人补贴", "临时救助", "危房改造",
            "饮水改造", "其他")
MEASURE_SEPARATOR = "、"
GUARANTEE = MEASURES[0]  # 兜底保障: stands in for labour in risk removal (cases.md)
# what a department finding's detail quotes of its record (tasks/departments/details.py): the event date with the
# record's amount ("住建局2020-03-05报危房（D）", "民政局2020-03-05报临时救助，金额1,000元"), or a household's
# "医保自付累计23,410元"; a DEPT source's detail joins those of its household's findings (sources.py)
RECORD = re.compile(r"(\d{4}-\d{2}-\d{2})报[^，；]*(?:，金额([0-9,]+(?:\.[0-9]+)?)元)?|医保自付累计([0-9,]+(?:\.[0-9]+)?)元")
DETAIL_SEPARATOR = "；"


def kind_label(kind: str) -> str:
    """The Chinese label of a case kind (a department kind: 部门比对 and its event's label)."""
    if kind.startswith("DEPT_"):
        event = kind.removeprefix("DEPT_")
        return f"部门比对：{EVENTS.get(event, {}).get('label', event)}"
    return LABELS.get(kind) or kind


def removal_ground(status: str, measures: list[str], labour: int | None) -> bool:
    """Whether a case's decisions give a 风险消除 its ground (cases.md, Risk removal): assisting, a measure, and labour
    or 兜底保障 (the months at or above the floor, which decisions do not change, aside)."""
    return status == "assisting" and bool(measures) and (GUARANTEE in measures or (labour or 0) >= 1)


def closed_by_person(case: dict) -> bool:
    """Whether a case is closed by a person's decision (不属实, or 风险消除, or a DEPT case's 属实 left without a
    measure: settled), not by the pipeline (its cause gone)."""
    return (case["status"], case["close_reason"]) in (("dismissed", DISMISSAL_REASON), ("closed", REMOVED)) \
        or is_settled(case)


def is_settled(state: dict) -> bool:
    """Whether a case (or a state of it) is a DEPT case the pipeline closed as settled (evaluate.settled_event: 属实,
    no measure for close_after_months months): the person's 属实 stands, and a measure recorded later reopens it."""
    return (state["status"] == "closed" and state["conclusion"] == CONFIRMED
            and (state["close_reason"] or "").endswith(SETTLED_REASON_END))


def closes_when_gone(kind: str) -> bool:
    """Whether a run closes an active case of this kind once its source is gone (evaluate.close_reason): data
    errors corrected, a village signal gone, a department record withdrawn; a household flag's case closes only
    once a person confirmed it, open and assisting ones stay whatever the flag does."""
    return kind == DATA_ERRORS or kind in VILLAGE_SIGNALS or kind.startswith("DEPT_")


def is_household_kind(kind: str) -> bool:
    """Whether cases of this kind are about one household (flags and department findings)."""
    return kind in HOUSEHOLD_FLAGS or kind.startswith("DEPT_")


def case_id(kind: str, subject_key: str, opened_period: str, number: int) -> str:
    """The case's id: a function of subject, kind, opening month and how many cases of the same subject and kind
    came before, so a store rebuilt from the same files and workbooks gives the same ids."""
    digest = hashlib.sha256(f"{kind}|{subject_key}|{opened_period}|{number}".encode()).hexdigest()[:12].upper()
    return f"K{opened_period}{digest}"


def deadline(kind: str, opened_on: date, settings: CaseSettings) -> date:
    """opened_on + verify_days (fix_days for DATA_ERRORS); a campaign's end when the case opened before it and the
    end is earlier (the same rule as sql/cases/derive.sql)."""
    due = opened_on + timedelta(days=settings.fix_days if kind == DATA_ERRORS else settings.verify_days)
    end = settings.campaign_end
    return end if end is not None and opened_on < end < due else due


def overdue_days(status: str, kind: str, due: date, today: date) -> int:
    """Days past the deadline of a case still waiting (open; a DATA_ERRORS case until closed), else 0."""
    waiting = status == "open" or (kind == DATA_ERRORS and status in ACTIVE)
    return max((today - due).days, 0) if waiting else 0


def worsened(was: float | None, now: float | None, factor: float) -> bool:
    """Whether the projected per-capita fell a further `factor` below its value when dismissed (cases.md)."""
    # the fall is a share of the value's size: a negative value times (1 - factor) lies above it, and zero's is zero
    return was is not None and now is not None and now < was and now <= was - abs(was) * factor


@lru_cache(maxsize=4096)  # a run's ledger asks it of a few months, four times for each of its cases
def period_index(period: str) -> int:
    """A YYYYMM month as a month count, so consecutive months differ by 1."""
    return int(period[:4]) * 12 + int(period[4:6]) - 1


def income_year(period: str) -> int:
    """The income year of a YYYYMM month (October starts the next one)."""
    return income_year_month(period)[0]


def split_measures(text: str | None) -> list[str]:
    """The measures of a cell: split on 、 (and the commas and semicolons people type instead), blanks dropped."""
    if not text:
        return []
    for sep in ("，", ",", "；", ";", "/", " "):
        text = text.replace(sep, MEASURE_SEPARATOR)
    return [m.strip() for m in text.split(MEASURE_SEPARATOR) if m.strip()]


def department_records(detail: str | None) -> list[tuple[str | None, float | None]]:
    """The event date and amount of each department record a DEPT detail quotes (None where it quotes none)."""
    def amount(text: str | None) -> float | None:
        return float(text.replace(",", "")) if text else None
    return [(m[1], amount(m[2] or m[3])) for m in RECORD.finditer(detail or "")]


def is_new_record(now: str | None, was: str | None) -> bool:
    """Whether a DEPT source's detail names a record the detail a case opened on does not cover (cases.md: another
    event date or a higher amount): a case covers every record its household's findings quoted when it opened.
    What the detail says of the household's return (its month, its flags, its projected income) changes month by
    month and is no new record; a detail quoting neither date nor amount compares whole."""
    records, known = department_records(now), department_records(was)
    if not records:
        return (now or "") != (was or "")
    return not all(_covered(record, known) for record in records)


def _covered(record: tuple[str | None, float | None], known: list[tuple[str | None, float | None]]) -> bool:
    """Whether a record is one of the known ones: the same event date, and no higher amount."""
    day, amount = record
    return any(day == known_day and (amount is None or (known_amount is not None and amount <= known_amount))
               for known_day, known_amount in known)
