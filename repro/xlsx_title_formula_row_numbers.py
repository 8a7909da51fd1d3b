"""A template made by a program (openpyxl writes formulas without their results): the title on row 1 is a formula,
row 2 empty, the header on row 3, households on rows 4-5, the second with 户类型 贫困户 (not on the list).
calamine leaves the result-less formula out and starts the sheet at the header; povmon counted row 1 as used, so
every row number was 2 too small: the problem said row 3, Excel shows row 5 (and the header row was 1)."""
import openpyxl

from _night import run_night
from tests.support.returns import HEADER, household

V = "430521001001"


def build(inbox):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = '="一村"&"2020年3月收入月报表"'
    for row, values in ((3, HEADER), (4, household(V, 1)), (5, household(V, 2))):
        for column, value in enumerate(values, 1):
            sheet.cell(row, column, value)
    sheet.cell(5, HEADER.index("户类型") + 1, "贫困户")
    book.save(inbox / f"{V}_202003.xlsx")


problems, rows = run_night(build)
print("problems:", [(p["row"], p["household_id"], p["code"]) for p in problems], "(Excel: row 5, 4305210010010002)")
print("rows stored:", [(r[1], r[2]) for r in rows], "(Excel: rows 4 and 5)")
