"""Department file names: `dept_<department>_<YYYYMM>[_vN|_更正].csv/.xlsx`."""
from __future__ import annotations

from dataclasses import dataclass

from tasks.departments.events import DEPARTMENTS
from tasks.ingest.department_names import match_department_name


@dataclass(frozen=True)
class DepartmentName:
    """What a department file's name says: department, period, correction rank, format; or why it is unusable."""

    department: str | None
    period: str | None
    correction_rank: int | None
    extension: str | None
    invalid_reason: str | None = None


def parse_department_name(file_name: str) -> DepartmentName:
    """Read a department file's name; an unusable one (unknown department included) gets its reason."""
    match = match_department_name(file_name)
    if not match:
        return DepartmentName(None, None, None, None,
                              f"文件名不符合“dept_部门代码_年月[_v2|_更正].csv/.xlsx”: {file_name}")
    department, period = match["department"].lower(), match["period"]
    real_month = 1 <= int(period[4:]) <= 12 and 2000 <= int(period[:4]) <= 2100
    if department not in DEPARTMENTS:  # its problem carries the file's month (departments.md), when it is one
        return DepartmentName(None, period if real_month else None, None, None,
                              f"部门代码“{match['department']}”不在部门名单中")
    if not real_month:
        return DepartmentName(None, None, None, None, f"文件名中的年月无效: {period}")
    rank = int(match["v"]) if match["v"] else (2 if match["mark"] else 1)
    if rank < 1:
        return DepartmentName(None, None, None, None, f"更正版本号无效: {match['mark']}")
    return DepartmentName(department, period, rank, match["ext"].lower())
