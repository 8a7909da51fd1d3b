"""An 18-digit ID typed into Excel as a number keeps 15 significant digits (430521198210280131 is stored as
4.30521198210280E+17). povmon read it as the 18 digits the double holds, 430521198210280000: a valid-looking
different ID (its check digit happens to fit), accepted without a word. Expected: a ROW_ID_NUMBER problem
saying the digits were lost (as for 4.30521E+17 in a CSV), never a changed ID."""
import xlsxwriter

from _night import run_night
from tests.support.returns import HEADER, household

V = "430521001001"


def build(inbox):
    book = xlsxwriter.Workbook(str(inbox / f"{V}_202003.xlsx"))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, HEADER)
    row = household(V, 1)
    row[2] = float("4.30521198210280E+17")  # what Excel keeps of 430521198210280131 typed as a number
    sheet.write_row(1, 0, row)
    book.close()


problems, rows = run_night(build)
print("problems:", [(p["row"], p["code"], p["detail"]) for p in problems] or "none")
print("stored:", [(r[1], r[3], "quarantined" if r[7] else "accepted") for r in rows])
