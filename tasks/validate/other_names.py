"""Other names clerks' templates give a return's columns and household types, meaning the same (README lists them),
and the look-alike headers that name another figure."""
from __future__ import annotations

# canonical column -> other header names of the same column (matched as the contract's own names are: spaces of any
# width ignored, a unit or required mark around them). Only names meaning the same: 家庭人口 is the household's size,
# 财产净收入 (the national household survey's name) is property income: the contract deducts no property expense,
# so the net figure is the household's property income in its net income, and can only make that income lower
SYNONYMS: dict[str, tuple[str, ...]] = {
    "head_name": ("户主",),
    "head_id_number": ("户主身份证号码", "户主公民身份号码", "户主身份证件号码"),
    "household_size": ("家庭人口", "家庭人数", "人口数", "家庭人口总数", "家庭成员数"),
    "labor_count": ("劳动力", "劳动力数", "劳动力人口数"),
    "household_type": ("户别", "户属性", "农户类型", "农户属性", "户类别"),
    "business_income": ("经营性收入", "家庭经营性收入", "生产经营收入"),  # gross, as 生产经营性收入; never 经营净收入
    "business_expense": ("生产经营支出", "经营性支出", "家庭经营性支出"),
    "property_income": ("财产净收入",),
    "housing_safe": ("是否住房安全", "住房是否安全", "住房安全有保障", "住房安全是否有保障"),
    "water_safe": ("是否饮水安全", "饮水是否安全", "饮水安全有保障", "饮水安全是否有保障"),
    # never 参保人数 alone: a return may count the pension's insured (养老保险) as well
    "insured_count": ("基本医疗保险参保人数", "参加医疗保险人数", "参加基本医保人数", "医保参保人数"),
    "dropout_count": ("义务教育阶段辍学人数", "义务教育失学辍学人数"),
    "last_year_per_capita": ("上年度人均纯收入", "上年家庭人均纯收入", "去年人均纯收入"),
}

# headers that look like a contract column but hold another figure: read as it, a household's income would be wrong.
# Kept aside as any other column; a file naming one of them instead of the column is refused with this reason
NOT_THE_COLUMN: dict[str, tuple[str, str]] = {
    "经营净收入": ("business_income", "经营净收入是扣除生产经营性支出后的净额，不是生产经营性收入(再减支出会减两次)"),
    "生产经营净收入": ("business_income", "生产经营净收入是扣除生产经营性支出后的净额，不是生产经营性收入(再减支出会减两次)"),
    "家庭经营净收入": ("business_income", "家庭经营净收入是扣除生产经营性支出后的净额，不是生产经营性收入(再减支出会减两次)"),
    "转移净收入": ("transfer_income", "转移净收入是扣除缴纳的社保费、赡养支出等转移性支出后的净额，不是转移性收入"),
}

# 户类型 as the national monitoring system writes it -> the contract's type of the same meaning. 监测户 is the
# 脱贫监测户 (脱贫不稳定户) beside 边缘户 (边缘易致贫户), as the 2020 guideline names the two kinds of 监测对象;
# the third kind, 突发严重困难户, is a household under monitoring as well. 一般农户 alone is none of the eight
HOUSEHOLD_TYPE_NAMES: dict[str, str] = {
    "边缘易致贫户": "边缘户", "边缘易致贫户(监测对象)": "边缘户",
    "脱贫不稳定户": "监测户", "脱贫监测户": "监测户", "脱贫户(监测对象)": "监测户", "脱贫不稳定户(监测对象)": "监测户",
    "突发严重困难户": "监测户", "突发严重困难户(监测对象)": "监测户", "一般农户(监测对象)": "监测户", "监测对象": "监测户",
    "已脱贫户": "脱贫户",
}
