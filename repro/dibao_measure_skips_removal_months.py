"""An assisting case whose measures include 兜底保障 is listed as a risk-removal candidate (可申请风险消除) and
accepts 风险消除 the day it is confirmed, though the household is still below the line: the derive SQL's
'labour or 兜底' test short-circuits past the 'removal_months consecutive months at or above the range' test.
cases.md: a candidate needs the last 6 months at or above the range AND a measure AND (labour or 兜底)."""
import sys
from harness import V1, cli, fill, fresh, harness, id_number, q, ret_row, returns, run

root = fresh(sys.argv[1] if len(sys.argv) > 1 else "/tmp/h3-dibao")
H1 = id_number(1)
with harness():
    for m, period in enumerate(["201910", "201911", "201912", "202001", "202002", "202003"], start=1):
        returns(root, V1, period, [ret_row(V1, 1, H1, wage=500 * m)])  # ~2,000 a head a year: below the 4,000 line
    run(root, "2020-04-05")
    [(case_id, per_capita)] = q(root, "SELECT c.case_id, round(s.projected_per_capita) FROM cases c JOIN household_status s "
                                      "ON s.household_id = c.household_id AND s.period = '202003' WHERE kind = 'BELOW_LINE'")
    print("BELOW_LINE case", case_id, "projected per capita", per_capita)
    assert cli(root, "cases", "export", "--today", "2020-04-06") == 0
    book = fill(root, "430521", {case_id: ("属实", "兜底保障", "李四", "2020-04-07", None)}, "b1.xlsx")
    assert cli(root, "cases", "import", str(book), "--today", "2020-04-08") == 0
    print("after 属实+兜底保障:", q(root, "SELECT status, is_removal_candidate FROM cases WHERE case_id = ?", [case_id]))
    assert cli(root, "cases", "export", "--today", "2020-04-09") == 0
    book = fill(root, "430521", {case_id: ("风险消除", None, "李四", "2020-04-10", None)}, "b2.xlsx")
    assert cli(root, "cases", "import", str(book), "--today", "2020-04-10") == 0
    [(status, reason)] = q(root, "SELECT status, close_reason FROM cases WHERE case_id = ?", [case_id])
    print("after 风险消除:", status, reason)
    print("BUG: a household below the line had its risk removed" if status == "closed" else "ok: 风险消除 refused")
