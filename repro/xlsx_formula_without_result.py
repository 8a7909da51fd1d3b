"""Amounts as formulas saved without their results (a workbook written by a program, openpyxl here, never opened
and saved in Excel; Excel and WPS show the numbers). calamine reads a result-less formula as an empty cell: 财产性收入
=120+80 became 0 with no problem (an empty property income means 0), and 工资性收入 =1000+200 was reported as
"为空" though the cell is not empty. Expected: the household not silently given 0; the problem saying the cell
holds a formula without a value."""
import openpyxl

from _night import run_night
from tests.support.returns import HEADER, household

V = "430521001001"


def build(inbox):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    first, second = household(V, 1), household(V, 2)
    first[HEADER.index("财产性收入")] = "=120+80"
    second[HEADER.index("工资性收入")] = "=1000+200"
    sheet.append(first)
    sheet.append(second)
    book.save(inbox / f"{V}_202003.xlsx")


problems, rows = run_night(build)
print("problems:", [(p["row"], p["code"], p["detail"]) for p in problems] or "none")
print("stored:", [(r[1], "wage", r[4], "property", r[5], "quarantined" if r[7] else "accepted") for r in rows])
