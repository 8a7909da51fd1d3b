"""Rows of a department list that hold no record, as a village return's are read: a signature or note line under
the table (制表人：…, 注：…), the header repeated on a printed page's top and a note typed right of the table in a row
of its own are skipped and counted, not reported to the department as records with an empty 身份证号, 事项 and
发生日期, in a CSV or a workbook."""
from __future__ import annotations

from tests.support.departments import DEPT_HEADER, RETURN_HEADER, dept_row, id_number, ret_row, table_csv
from tests.support.returns import make_city, write_xlsx
from tests.support.runs import problems, query, run_nightly

V = "430521001001"
HEADS = [id_number(1), id_number(2)]
NOT_RECORDS = [DEPT_HEADER,                                      # the header again, atop a printed page
               ["注：本表为2020年3月新增记录"],                     # a note
               ["制表人：王芳", "", "审核人：李明", "", "联系电话：12345678"]]  # the signature line


def test_notes_signatures_and_a_repeated_header_are_no_records(prefect_harness, tmp_path):
    inbox, _ = make_city(tmp_path)
    rows = [ret_row(V, i + 1, head) for i, head in enumerate(HEADS)]
    (inbox / f"{V}_202003.csv").write_bytes(table_csv(RETURN_HEADER, rows))
    civil = [dept_row(HEADS[0], "新纳入低保"), NOT_RECORDS[0], dept_row(HEADS[1], "临时救助"), *NOT_RECORDS[1:]]
    (inbox / "dept_civil_202003.csv").write_bytes(table_csv(DEPT_HEADER, civil, "gb18030", title="某县民政局2020年3月"))
    police = [dept_row(HEADS[0], "死亡"), *NOT_RECORDS]
    write_xlsx(inbox / "dept_police_202003.xlsx", police, DEPT_HEADER, total=False)
    hrss = [dept_row(HEADS[1], "失业登记"), ["", "", "", "", "", "", "", "本表由县人社局提供"]]  # a note right of it
    (inbox / "dept_hrss_202003.csv").write_bytes(table_csv(DEPT_HEADER, hrss))
    run_nightly(tmp_path, as_of="202003", today="2020-04-03")
    assert [(p["file"], p["row"], p["code"]) for p in problems(tmp_path) if p["file"].startswith("dept_")] == []
    assert query(tmp_path, "SELECT department, rows_read, rows_skipped, rows_used, rows_quarantined FROM department_files "
                           "ORDER BY department") == [("civil", 5, 3, 2, 0), ("hrss", 2, 1, 1, 0), ("police", 4, 3, 1, 0)]
