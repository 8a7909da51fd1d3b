"""Fixed vocabulary of the synthetic city: columns, household types, the timeline and the line."""
from __future__ import annotations

# canonical column -> Chinese header, in the order a village form lists them
COLUMNS: dict[str, str] = {
    "household_id": "户编号",
    "head_name": "户主姓名",
    "head_id_number": "户主身份证号",
    "household_size": "家庭人口数",
    "labor_count": "劳动力人数",
    "household_type": "户类型",
    "wage_income": "工资性收入",
    "business_income": "生产经营性收入",
    "property_income": "财产性收入",
    "transfer_income": "转移性收入",
    "business_expense": "生产经营性支出",
    "last_year_per_capita": "上年人均纯收入",
    "housing_safe": "住房安全",
    "water_safe": "饮水安全",
    "dropout_count": "义务教育阶段失学辍学人数",
    "insured_count": "参加基本医疗保险人数",
    "risk_causes": "风险原因",
    "report_date": "填报日期",
}
COLUMN_NAMES = list(COLUMNS)
COL = {name: i for i, name in enumerate(COLUMN_NAMES)}
AMOUNT_COLUMNS = ["wage_income", "business_income", "property_income", "transfer_income", "business_expense"]
NUMERIC_COLUMNS = set(AMOUNT_COLUMNS) | {
    "household_size", "labor_count", "last_year_per_capita", "dropout_count", "insured_count",
}

HOUSEHOLD_TYPES = ["脱贫户", "监测户", "边缘户", "低保户", "特困供养户", "重残户", "重病户", "未脱贫户"]
HOUSEHOLD_TYPE_WEIGHTS = [0.65, 0.07, 0.07, 0.10, 0.03, 0.03, 0.03, 0.02]
WELFARE_TYPES = {"低保户", "特困供养户", "重残户", "重病户"}

# the line per income year (matches core/default_settings.toml)
LINE = {2018: 3600.0, 2019: 3800.0, 2020: 4000.0, 2021: 4200.0}

FIRST_INCOME_YEAR = 2018
N_YEARS = 4
N_PERIODS = 12 * N_YEARS  # 201710 .. 202109


def period_of(index: int) -> str:
    """The YYYYMM of period index (0 = 201710, month 1 of income year 2018)."""
    months = 9 + index
    return f"{2017 + months // 12}{months % 12 + 1:02d}"


def period_index(period: str) -> int:
    """The index of a YYYYMM period on the synthetic timeline; ValueError outside 201710..202109."""
    if len(period) != 6 or not period.isdigit():
        raise ValueError(f"period must be YYYYMM, got {period!r}")
    year, month = int(period[:4]), int(period[4:])
    if not 1 <= month <= 12:
        raise ValueError(f"bad month in period {period!r}")
    index = (year - 2017) * 12 + month - 10
    if not 0 <= index < N_PERIODS:
        raise ValueError(f"as_of must be within {period_of(0)}..{period_of(N_PERIODS - 1)}, got {period}")
    return index


def month_of_year(index: int) -> int:
    """Month 1..12 of the income year (1 = October) for a period index."""
    return index % 12 + 1
