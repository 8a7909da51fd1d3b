"""The ledger's fixed vocabulary and pure rules: kinds, states, lists, case ids, deadlines, month arithmetic."""
from __future__ import annotations

import hashlib
from datetime import date, timedelta

from core.income_year import income_year_month
from core.settings import CaseSettings
from tasks.departments.events import EVENTS
from tasks.report.labels import LABELS

HOUSEHOLD_FLAGS = ("BELOW_LINE", "NEAR_LINE", "SUDDEN_DROP", "UNSTABLE_LIFTED", "GUARANTEE_GAP")
VILLAGE_SIGNALS = ("THRESHOLD_BUNCHING", "IDENTICAL_ROWS", "MISSING_RETURN")
DATA_ERRORS = "DATA_ERRORS"
STATUS_LABELS = {"open": "待核查", "confirmed": "已核实", "assisting": "帮扶中", "dismissed": "不属实", "closed": "已销号"}
ACTIVE = ("open", "confirmed", "assisting")
CONFIRMED, DISMISSED, REMOVED = "属实", "不属实", "风险消除"
CONCLUSIONS = (CONFIRMED, DISMISSED, REMOVED)
MEASURES = ("兜底保障", "稳岗就业", "公益岗位", "产业帮扶", "医疗救助", "教育资助", "残疾人补贴", "临时救助", "危房改造",
            "饮水改造", "其他")
MEASURE_SEPARATOR = "、"


def kind_label(kind: str) -> str:
    """The Chinese label of a case kind (a department kind: 部门比对 and its event's label)."""
    if kind.startswith("DEPT_"):
        event = kind.removeprefix("DEPT_")
        return f"部门比对：{EVENTS.get(event, {}).get('label', event)}"
    return LABELS.get(kind) or kind


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
