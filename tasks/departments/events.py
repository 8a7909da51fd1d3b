"""The one table of departments, their events and the rule each event's finding follows (departments.md).

Rules (`rule`), read by tasks.departments.findings:
  clue           CLUE for a registered person
  clue_grade     CLUE when the grade is one of `grades` (等级), else nothing
  medical_oop    CLUE when the household's year-to-date amount reaches [departments] medical_oop_threshold
                 or medical_oop_share of its projected yearly net income
  mismatch       MISMATCH when the household's latest usable return says `return_says` (column = value);
                 with `grades`, only for those grades
  death          MISMATCH when the person is the head, CLUE for another member
  asset          ASSET for a household registered as poor or at risk ([departments] asset_household_types,
                 BELOW_LINE / NEAR_LINE); with `exempt`, not for a grade naming [departments] vehicle_exempt_types
`unregistered`: an unmatched person with this event is UNREGISTERED when the rule would make it a CLUE.
`measure`: the suggested measure (一户一策, policy.md) a CLUE of this event adds to its household's.
`amount_required`: an empty 金额 is ROW_MISSING_VALUE.
"""
from __future__ import annotations

# code -> Chinese name of the department
DEPARTMENTS: dict[str, str] = {
    "medical": "医保局", "civil": "民政局", "disability": "残联", "education": "教育局", "housing": "住建局",
    "water": "水利局", "police": "公安局", "emergency": "应急管理局", "hrss": "人社局", "market": "市场监管局",
    "vehicle": "公安交管", "property": "自然资源局",
}

SEVERE_DISABILITY = ["一级", "二级", "1", "2"]

EVENTS: dict[str, dict] = {
    "MEDICAL_OOP": {"department": "medical", "label": "医疗自付费用", "rule": "medical_oop", "amount_required": True,
                    "unregistered": True, "measure": "医疗救助"},
    "UNINSURED": {"department": "medical", "label": "未参加基本医疗保险", "rule": "mismatch",
                  "return_says": ("all_insured", True)},
    "DIBAO_NEW": {"department": "civil", "label": "新纳入低保", "rule": "clue", "unregistered": True},
    "TEKUN_NEW": {"department": "civil", "label": "新纳入特困供养", "rule": "clue", "unregistered": True},
    "TEMP_RELIEF": {"department": "civil", "label": "临时救助", "rule": "clue", "unregistered": True},
    "DISABILITY_NEW": {"department": "disability", "label": "新增残疾", "rule": "clue_grade",
                       "grades": SEVERE_DISABILITY, "unregistered": True, "measure": "残疾人补贴"},
    "DROPOUT": {"department": "education", "label": "义务教育阶段失学辍学", "rule": "mismatch",
                "return_says": ("dropout_count", 0)},
    "UNSAFE_HOUSING": {"department": "housing", "label": "危房", "rule": "mismatch", "grades": ["C", "D"],
                       "return_says": ("housing_safe", True)},
    "WATER_UNSAFE": {"department": "water", "label": "饮水不安全", "rule": "mismatch",
                     "return_says": ("water_safe", True)},
    "DEATH": {"department": "police", "label": "死亡", "rule": "death"},
    "DISASTER": {"department": "emergency", "label": "受灾", "rule": "clue", "amount_required": True,
                 "unregistered": True, "measure": "临时救助"},
    "ACCIDENT": {"department": "emergency", "label": "意外伤亡", "rule": "clue", "unregistered": True,
                 "measure": "临时救助"},
    "UNEMPLOYED": {"department": "hrss", "label": "失业登记", "rule": "clue"},
    "BUSINESS": {"department": "market", "label": "登记经营主体", "rule": "asset"},
    "VEHICLE": {"department": "vehicle", "label": "登记机动车", "rule": "asset", "exempt": True},
    "PROPERTY": {"department": "property", "label": "城镇商品房", "rule": "asset"},
}

FINDINGS: dict[str, str] = {"CLUE": "风险线索", "MISMATCH": "信息不一致", "ASSET": "财产核查", "UNREGISTERED": "疑似漏评"}
# the measures a CLUE adds, in the order policy.md lists measures (the others keep their place after them)
MEASURE_ORDER = ["医疗救助", "残疾人补贴", "教育资助", "临时救助", "危房改造", "饮水改造", "产业帮扶"]


def events_of(department: str) -> dict[str, dict]:
    """The events a department sends, by code."""
    return {code: spec for code, spec in EVENTS.items() if spec["department"] == department}


def event_lookup() -> dict[tuple[str, str], str]:
    """(department, code or Chinese label as written) -> event code, for every department's own events."""
    found = {}
    for code, spec in EVENTS.items():
        for text in (code, code.lower(), spec["label"]):
            found[(spec["department"], text)] = code
    return found


def event_rows() -> list[dict]:
    """The table as rows (department, event, labels, rule, measure) for SQL joins and the exports' labels."""
    return [{"department": spec["department"], "department_label": DEPARTMENTS[spec["department"]], "event": code,
             "event_label": spec["label"], "rule": spec["rule"], "measure": spec.get("measure")}
            for code, spec in EVENTS.items()]
