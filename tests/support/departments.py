"""Builders for the department tests: valid ID numbers, returns with the guarantee columns, department files."""
from __future__ import annotations

from tasks.validate.id_number import check_character
from tests.support.returns import HEADER, csv_bytes

RETURN_HEADER = HEADER + ["住房安全", "饮水安全", "义务教育阶段失学辍学人数", "参加基本医疗保险人数"]
DEPT_HEADER = ["身份证号", "姓名", "事项", "发生日期", "金额", "等级", "说明"]


def id_number(seq: int, county: str = "430521", birth: str = "19800101") -> str:
    """A valid GB 11643 ID number of a county (sequence 0-999)."""
    body = f"{county}{birth}{seq:03d}"
    return body + check_character(body)


def ret_row(village: str, seq: int, head_id: str, *, kind: str = "边缘户", size: int = 3, wage: int = 30000,
            housing: str = "是", water: str = "是", dropout: int = 0, insured: int | None = None) -> list[str]:
    """One return row with the guarantee columns (by default: a comfortable household, all safe, all insured)."""
    return [f"{village}{seq:04d}", "张三", head_id, str(size), "1", kind, str(wage), "300", "", "150", "100",
            housing, water, str(dropout), str(size if insured is None else insured)]


def table_csv(header: list[str], rows: list[list], encoding: str = "utf-8", title: str | None = None) -> bytes:
    """A CSV table (optionally with a title row above the header)."""
    return csv_bytes(rows, encoding, header, title)


def dept_row(person: str, event: str, date: str = "2020-03-05", amount: str = "", grade: str = "",
             name: str = "李四", note: str = "") -> list[str]:
    """One department record."""
    return [person, name, event, date, amount, grade, note]
