"""A member listed in reference/members.csv with her ID number in full-width digits (as typed in a Chinese IME)
is not matched: 民政局's 新纳入低保 record for her becomes UNREGISTERED (疑似漏评, a registered person reported as
missed) instead of a CLUE on her household, and no case opens for the household. Department files and returns
are NFKC-normalised; the roster is not."""
import sys
from harness import V1, dept, dept_row, fresh, harness, id_number, q, ret_row, returns, run

root = fresh(sys.argv[1] if len(sys.argv) > 1 else "/tmp/h3-roster")
HEAD, MEMBER = id_number(1), id_number(2)
FULL = MEMBER.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
(root / "reference" / "members.csv").write_text(
    "household_id,id_number,name,relation\n"
    f"{V1}0001,{HEAD},张三,户主\n{V1}0001,{FULL},李四,子女\n", encoding="utf-8")
with harness():
    returns(root, V1, "202003", [ret_row(V1, 1, HEAD, wage=90000)])
    dept(root, "civil", "202003", [dept_row(MEMBER, "DIBAO_NEW", "2020-03-05")])
    run(root, "2020-04-05")
    print(q(root, "SELECT household_id, event, finding FROM department_findings"))
    print(q(root, "SELECT kind, subject_key, status FROM cases WHERE kind LIKE 'DEPT%'"))
    found = q(root, "SELECT finding FROM department_findings")
    print("BUG: registered member not matched" if found != [("CLUE",)] else "ok: matched, a CLUE")
