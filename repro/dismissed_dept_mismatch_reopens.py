"""A department MISMATCH case dismissed (不属实, with a note) opens again at the next month's run although no new
department record arrived: the finding's detail quotes the return's month, so it differs every month, and a
dismissed DEPT case reopens whenever the detail differs (cases.md: only 'a new department record (another event
date or a higher amount)' reopens it)."""
import sys
from harness import V1, cli, dept, dept_row, fill, fresh, harness, id_number, q, ret_row, returns, run

root = fresh(sys.argv[1] if len(sys.argv) > 1 else "/tmp/h3-dismiss")
HEAD = id_number(1)
with harness():
    returns(root, V1, "202003", [ret_row(V1, 1, HEAD, wage=90000)])
    dept(root, "housing", "202003", [dept_row(HEAD, "UNSAFE_HOUSING", "2020-03-05", grade="D")])
    run(root, "2020-04-05")
    [(case_id, detail)] = q(root, "SELECT case_id, detail FROM cases WHERE kind = 'DEPT_UNSAFE_HOUSING'")
    print("opened:", case_id, detail)
    assert cli(root, "cases", "export", "--today", "2020-04-06") == 0
    book = fill(root, "430521", {case_id: ("不属实", None, "李四", "2020-04-07", "入户查看，住房已加固，安全")})
    assert cli(root, "cases", "import", str(book), "--today", "2020-04-08") == 0
    print("after import:", q(root, "SELECT case_id, status FROM cases WHERE kind = 'DEPT_UNSAFE_HOUSING'"))
    returns(root, V1, "202004", [ret_row(V1, 1, HEAD, wage=95000)])  # the same household, nothing new from 住建局
    run(root, "2020-05-05")
    rows = q(root, "SELECT case_id, status, opened_period, previous_case_id, detail FROM cases "
                   "WHERE kind = 'DEPT_UNSAFE_HOUSING' ORDER BY case_number")
    for r in rows:
        print(r)
    print("BUG: a dismissed case reopened without a new record" if len(rows) > 1 else "ok: dismissal holds")
