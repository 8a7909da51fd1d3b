"""A case closed by a person's 风险消除 opens again at the very next run although its cause never went away and
nothing new arrived: a DEPT_DIBAO_NEW case (the same 民政局 record of the income year) and a GUARANTEE_GAP case
(the same unsafe water). cases.md: DEPT cases are events that 'close by a person's conclusion, by risk removal';
'When the cause returns after a case closed, a new case opens'."""
import sys
from harness import V1, cli, dept, dept_row, fill, fresh, harness, id_number, q, ret_row, returns, run

root = fresh(sys.argv[1] if len(sys.argv) > 1 else "/tmp/h3-removed")
H1, H2 = id_number(1), id_number(2)
MONTHS = ["201910", "201911", "201912", "202001", "202002", "202003"]
with harness():
    for m, period in enumerate(MONTHS, start=1):
        returns(root, V1, period, [ret_row(V1, 1, H1, wage=7500 * m), ret_row(V1, 2, H2, wage=7500 * m, water="否")])
    dept(root, "civil", "202003", [dept_row(H1, "DIBAO_NEW", "2020-03-05")])
    run(root, "2020-04-05")
    cases = dict(q(root, "SELECT kind, case_id FROM cases WHERE kind IN ('DEPT_DIBAO_NEW', 'GUARANTEE_GAP')"))
    print("opened:", cases)
    assert cli(root, "cases", "export", "--today", "2020-04-06") == 0
    book = fill(root, "430521", {c: ("属实", "兜底保障", "李四", "2020-04-07", None) for c in cases.values()}, "b1.xlsx")
    assert cli(root, "cases", "import", str(book), "--today", "2020-04-08") == 0
    print(q(root, "SELECT kind, status, is_removal_candidate FROM cases ORDER BY kind"))
    assert cli(root, "cases", "export", "--today", "2020-04-09") == 0
    book = fill(root, "430521", {c: ("风险消除", None, "李四", "2020-04-10", None) for c in cases.values()}, "b2.xlsx")
    assert cli(root, "cases", "import", str(book), "--today", "2020-04-10") == 0
    print(q(root, "SELECT kind, status, close_reason FROM cases ORDER BY kind"))
    returns(root, V1, "202004", [ret_row(V1, 1, H1, wage=7500 * 7), ret_row(V1, 2, H2, wage=7500 * 7, water="否")])
    run(root, "2020-05-05")
    rows = q(root, "SELECT kind, case_id, status, opened_period, previous_case_id FROM cases "
                   "WHERE kind IN ('DEPT_DIBAO_NEW', 'GUARANTEE_GAP') ORDER BY kind, case_number")
    for r in rows:
        print(r)
    reopened = [r for r in rows if r[3] == "202004"]
    print("reopened after 风险消除 with the same cause:", [r[0] for r in reopened] or "none")
