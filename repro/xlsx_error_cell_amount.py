"""A VLOOKUP that found nothing leaves #N/A in a cell. In 财产性收入 povmon read it as an empty cell, which the
spec makes 0, so the household was accepted with property income 0 and no problem; in 转移性收入 (#VALUE!) it
said "为空" though the cell is not empty. Expected: the cell's text kept (#N/A), reported as not a number."""
import openpyxl

from _night import run_night
from tests.support.returns import HEADER, household

V = "430521001001"


def build(inbox):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    first, second = household(V, 1), household(V, 2)
    first[HEADER.index("财产性收入")] = "#N/A"  # openpyxl stores these as error cells (t="e")
    second[HEADER.index("转移性收入")] = "#VALUE!"
    sheet.append(first)
    sheet.append(second)
    book.save(inbox / f"{V}_202003.xlsx")


problems, rows = run_night(build)
print("problems:", [(p["row"], p["code"], p["detail"]) for p in problems] or "none")
print("stored:", [(r[1], "property", r[5], "transfer", r[6], "quarantined" if r[7] else "accepted") for r in rows])
