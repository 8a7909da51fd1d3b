"""Builders of village-return files for tests: the contract's columns, in any encoding or as .xlsx."""
from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

import xlsxwriter

HEADER = ["户编号", "户主姓名", "户主身份证号", "家庭人口数", "劳动力人数", "户类型", "工资性收入",
          "生产经营性收入", "财产性收入", "转移性收入", "生产经营性支出"]
UNITS = """code,name,level,parent_code,management_area
430521,甲县,county,,0
430521001,一镇,township,430521,0
430521001001,一村,village,430521001,0
430521001002,二村,village,430521001,0
430522,乙管理区,county,,1
430522001,三镇,township,430522,1
430522001001,三村,village,430522001,1
"""


def household(village: str, seq: int, wage: str = "1200", name: str = "张三", size: str = "3") -> list[str]:
    """One clean row of the contract's required columns for a household of a village."""
    return [f"{village}{seq:04d}", name, "11010519491231002X", size, "1", "脱贫户", wage, "300", "", "150", "100"]


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8", header: list[str] = HEADER,
              title: str | None = None) -> bytes:
    """A CSV file (optionally with a title row above the header) in the given encoding."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    if title:
        writer.writerow([title])
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def write_xlsx(path: Path, rows: list[list], header: list[str] = HEADER, titles: int = 1, total: bool = True) -> Path:
    """An .xlsx with title rows above the header and a 合计 row below the data."""
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path))
    book.set_properties({"created": datetime(2020, 1, 1)})
    sheet = book.add_worksheet()
    for index in range(titles):
        sheet.write_row(index, 0, [f"一村2020年3月收入月报表{'(续)' * index}"])
    sheet.write_row(titles, 0, header)
    for offset, row in enumerate(rows):
        sheet.write_row(titles + 1 + offset, 0, row)
    if total:
        sheet.write_row(titles + 1 + len(rows), 0, ["合计", "", "", "", "", "", 99999])
    book.close()
    return path


def make_city(root: Path) -> tuple[Path, Path]:
    """An empty inbox and a reference folder with two counties (one a management area); returns both."""
    inbox, reference = root / "inbox", root / "reference"
    inbox.mkdir(parents=True, exist_ok=True)
    reference.mkdir(parents=True, exist_ok=True)
    (reference / "admin_units.csv").write_text(UNITS, encoding="utf-8")
    return inbox, reference
