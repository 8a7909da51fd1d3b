"""Chinese labels for the stable codes, and the number formats reports use."""
from __future__ import annotations

from datetime import datetime

from jinja2 import Undefined

LABELS = {
    # household flags (policy.md)
    "BELOW_LINE": "低于监测线", "NEAR_LINE": "临界边缘", "SUDDEN_DROP": "收入骤减",
    "UNSTABLE_LIFTED": "脱贫不稳定", "GUARANTEE_GAP": "三保障及饮水问题",
    # village signals
    "MISSING_RETURN": "未按期报送", "THRESHOLD_BUNCHING": "疑似卡线", "IDENTICAL_ROWS": "疑似雷同填报",
    "DATA_ERRORS": "数据错误待更正",  # a case kind (cases.md)
    # data problems
    "FILE_NAME_INVALID": "文件名不规范", "FILE_UNKNOWN_VILLAGE": "村代码不在区划表",
    "FILE_UNREADABLE": "文件无法读取", "FILE_MISSING_COLUMNS": "缺少必填列", "FILE_SAME_BYTES": "与另一月份或村的文件完全相同",
    "FILE_PERIOD_AHEAD": "报表月份晚于当月", "FILE_HOUSEHOLD_MISSING": "上月的户本月未列",
    "FILE_OTHER_SHEETS": "工作簿另有填有报表的工作表未读取", "FILE_SHEET_MONTH": "工作表名的月份与文件名不符",
    "FILE_TITLE_MONTH": "表格标题的月份与文件名不符",
    "FILE_NOT_TABLE_SHEETS": "工作簿中非数据表的工作表未读取",
    "ROW_HOUSEHOLD_ID": "户编号有误", "ROW_DUPLICATE": "户重复", "ROW_MISSING_VALUE": "必填项为空",
    "ROW_NOT_NUMBER": "非数字", "ROW_OUT_OF_RANGE": "数值超出范围", "ROW_HOUSEHOLD_TYPE": "户类型有误",
    "ROW_ID_NUMBER": "身份证号校验未通过", "ROW_YTD_DECREASE": "累计数小于上月", "ROW_OUTLIER": "收入异常偏离",
    "ROW_REPORT_DATE": "填报日期不是日期", "ROW_NOT_YES_NO": "是/否项无法识别",
    # levels and return status
    "error": "错误（未采用）", "warning": "警告（已采用）",
    "reported": "已报送", "unusable": "各行均有错误", "rejected": "文件被拒收", "missing": "未报送", "on_time": "按时报送",
    "late": "迟报",
    "BAND_CROSSING": "临界待核",
}
FLAG_CODES = ["BELOW_LINE", "NEAR_LINE", "SUDDEN_DROP", "UNSTABLE_LIFTED", "GUARANTEE_GAP"]


def is_blank(value) -> bool:
    """True for a missing value (None, or a name a template could not resolve)."""
    return value is None or isinstance(value, Undefined)


def label_code(code: str | None) -> str:
    """The Chinese label of a code (the code itself when it has none)."""
    if not code:
        return ""
    return LABELS.get(code, code)


def label_codes(codes: str | None) -> list[str]:
    """Labels of codes joined by ';' or ',' (as flags and reason codes are stored)."""
    return [label_code(c.strip()) for c in (codes or "").replace(",", ";").split(";") if c.strip()]


def format_count(value: int | None) -> str:
    """A count with thousands separators ('—' when unknown)."""
    return "—" if is_blank(value) else f"{int(value):,}"


def format_percent(value: float | None, digits: int = 1) -> str:
    """A share (0–1) as a percentage ('—' when unknown)."""
    return "—" if is_blank(value) else f"{value * 100:.{digits}f}%"


def format_period(period: str | None) -> str:
    """YYYYMM as 'YYYY年M月'."""
    if not period or len(period) != 6:
        return period or "—"
    return f"{period[:4]}年{int(period[4:])}月"


def format_time(value: datetime | None) -> str:
    """A timestamp to the minute."""
    return "—" if is_blank(value) else value.strftime("%Y-%m-%d %H:%M")

SUMMARY_LABELS = {
    "households_count": "监测户数", "people_count": "人口", "flagged_count": "标记户",
    "below_line_count": "低于监测线", "near_line_count": "临界边缘", "sudden_drop_count": "收入骤减",
    "unstable_lifted_count": "脱贫不稳定", "guarantee_gap_count": "三保障及饮水问题",
}
