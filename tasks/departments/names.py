"""Department file names: `dept_<department>_<YYYYMM>[_vN|_更正].csv/.xlsx`."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from tasks.departments.events import DEPARTMENTS

PREFIX = "dept_"
NAME_PATTERN = re.compile(
    r"^dept_(?P<department>[A-Za-z]+)_(?P<period>\d{6})(?P<mark>_v(?P<v>\d{1,2})|_更正)?\.(?P<ext>csv|xlsx)$", re.I)


@dataclass(frozen=True)
class DepartmentName:
    """What a department file's name says: department, period, correction rank, format; or why it is unusable."""

    department: str | None
    period: str | None
    correction_rank: int | None
    extension: str | None
    invalid_reason: str | None = None


def is_department_file(file_name: str) -> bool:
    """True for a name that claims to be a department file (starts with dept_), well formed or not."""
    return unicodedata.normalize("NFKC", file_name).strip().lower().startswith(PREFIX)


def parse_department_name(file_name: str) -> DepartmentName:
    """Read a department file's name; an unusable one (unknown department included) gets its reason."""
    name = unicodedata.normalize("NFC", file_name).strip()
    match = NAME_PATTERN.match(name)
    if not match:
        return DepartmentName(None, None, None, None,
                              f"文件名不符合“dept_部门代码_年月[_v2|_更正].csv/.xlsx”: {file_name}")
    department, period = match["department"].lower(), match["period"]
    if department not in DEPARTMENTS:
        return DepartmentName(None, None, None, None, f"部门代码“{match['department']}”不在部门名单中")
    if not 1 <= int(period[4:]) <= 12 or not 2000 <= int(period[:4]) <= 2100:
        return DepartmentName(None, None, None, None, f"文件名中的年月无效: {period}")
    rank = int(match["v"]) if match["v"] else (2 if match["mark"] else 1)
    if rank < 1:
        return DepartmentName(None, None, None, None, f"更正版本号无效: {match['mark']}")
    return DepartmentName(department, period, rank, match["ext"].lower())
