"""The column-wise parse of plain department CSVs gives exactly what parse_return gives, and leaves every other
file to it."""
from __future__ import annotations

import polars as pl
import pytest

from tasks.departments.columns import CONTRACT
from tasks.departments.fast_csv import parse_plain_csv
from tasks.ingest.parse import parse_return

HEADER = "身份证号,姓名,事项,发生日期,金额,等级,说明"
ID = "430521199001011234"
PLAIN = {
    "crlf": f"{HEADER}\r\n{ID},张三,危房,2020-03-05,,C,\r\n{ID},李四,危房,2020-03-06,,D,备注\r\n",
    "lf and cr": f"{HEADER}\n{ID},张三,危房,2020-03-05,,C,\r{ID},李四,危房,2020-03-06,,B,\n",
    "blank rows": f"{HEADER}\r\n\r\n,,,,,,\r\n \u3000,\t,,,,,\r\n{ID},张三,DEATH,2020-03-05,,,\r\n\r\n",
    "total rows": f"{HEADER}\r\n{ID},张三,危房,2020-03-05,,C,\r\n合 计,,,,,,\r\n,Total,,,,,\r\n,,总计：2,,,,\r\n"
                  f"{ID},小明,TEMP_RELIEF,2020-03-05,,,\r\n",
    "totals named for their scope": f"{HEADER}\r\n{ID},张三,危房,2020-03-05,,C,\r\n本页小计,,,,,,\r\n,全市合计,,,,,\r\n",
    "short and long rows": f"{HEADER}\r\n{ID},张三,危房\r\n{ID},李四,危房,2020-03-06,,D,说明,多出\r\n",
    "title row, columns reordered, optional ones missing":
        f"某县民政局2020年3月数据\r\n事项,身份证号,发生日期,姓名\r\nDIBAO_NEW,{ID},2020/3/5,王五\r\n",
    "spaces kept": f"{HEADER}\r\n {ID} , 张三 ,危房, 2020-03-05 ,1 000,c ,x\r\n",
    "a note right of the table, in a row of its own": f"{HEADER}\r\n{ID},张三,危房,2020-03-05,,C,\r\n,,,,,,,本表由住建局提供\r\n",
}
NOT_PLAIN = {
    "quoted": f'{HEADER}\r\n{ID},"张,三",危房,2020-03-05,,C,\r\n',
    "extra column": f"{HEADER},备用\r\n{ID},张三,危房,2020-03-05,,C,,x\r\n",
    "ends mid-row": f"{HEADER}\r\n{ID},张三,危房,2020-03-05,,C,\r\n{ID},李四",
    "no rows": f"{HEADER}\r\n",
    "missing column": "身份证号,姓名,发生日期\r\n",
    "control character": f"{HEADER}\r\n{ID},张\x1c三,危房,2020-03-05,,C,\r\n",
    "excel's sep line": f"sep=,\r\n{HEADER}\r\n{ID},张三,危房,2020-03-05,,C,\r\n",  # Excel hides it: rows move up
    # rows that may hold no record (parse_return skips them: notes_below)
    "a signature line": f"{HEADER}\r\n{ID},张三,危房,2020-03-05,,C,\r\n制表人：王芳,,审核人：李明,,,,\r\n",
    "the header repeated": f"{HEADER}\r\n{ID},张三,危房,2020-03-05,,C,\r\n{HEADER}\r\n{ID},李四,危房,2020-03-06,,D,\r\n",
    "the columns numbered": f"{HEADER}\r\n1,2,3,4,5,6,7\r\n{ID},张三,危房,2020-03-05,,C,\r\n",
}


@pytest.mark.parametrize("case", sorted(PLAIN))
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_a_plain_file_parses_as_parse_return_does(case, encoding):
    data = PLAIN[case].encode(encoding)
    fast = parse_plain_csv(data, CONTRACT)
    slow = parse_return(data, "csv", contract=CONTRACT)
    assert fast is not None and slow.problem_code is None
    parsed, rows = fast
    assert (parsed.encoding, parsed.header_row, parsed.rows_read, parsed.rows_skipped) == \
        (slow.encoding, slow.header_row, slow.rows_read, slow.rows_skipped)
    expected = pl.DataFrame({k: slow.columns[k] for k in rows.columns},
                            schema={"source_row": pl.Int32} | {c: pl.Utf8 for c in CONTRACT.columns})
    assert rows.equals(expected), (rows, expected)


@pytest.mark.parametrize("case", sorted(NOT_PLAIN))
def test_any_other_file_is_left_to_parse_return(case):
    assert parse_plain_csv(NOT_PLAIN[case].encode("utf-8"), CONTRACT) is None


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_department_files_are_read_under_the_settings_limits(tmp_path, extension):
    """The [ingest] limits of the settings, not the defaults: a cell over max_cell_chars, or a sheet over
    max_sheet_cells, refuses the file as it refuses a village return."""
    import hashlib
    from datetime import datetime

    from tasks.departments.read import read_department_files
    from tasks.ingest.discover import Delivery
    from tasks.ingest.limits import ReadLimits
    from tasks.ingest.read import FileSlot
    from tests.support.returns import write_xlsx

    path = tmp_path / f"dept_civil_202003.{extension}"
    rows = [[ID, "张三", "危房", "2020-03-05", "", "C", "说" * 600]]
    if extension == "csv":
        path.write_bytes(f"{HEADER}\r\n{','.join(rows[0])}\r\n".encode())
    else:
        write_xlsx(path, rows, header=HEADER.split(","))
    data = path.read_bytes()
    slot = FileSlot(Delivery(str(path), path.name, path.name, len(data), 0, hashlib.sha256(data).hexdigest()),
                    1, 1, datetime(2020, 4, 1))
    assert read_department_files([slot], tmp_path / "raw").files[0]["status"] == "loaded"
    strict = ReadLimits(max_cell_chars=500, max_sheet_cells=10)
    batch = read_department_files([slot], tmp_path / "raw", strict)
    assert batch.files[0]["status"] == "rejected"
    assert [p["code"] for p in batch.problems] == ["FILE_UNREADABLE"]
