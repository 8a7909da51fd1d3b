"""Parsing the messy files villages really send (village-return.md, "How files really come"): encodings, headers, blank
and total rows, CSV quoting and truncation; the workbooks in test_parse_xlsx.py."""
from __future__ import annotations

import json

import polars as pl
import pytest

from tasks.validate.clean import clean_batch
from tasks.ingest.parse import parse_return
from tests.support.returns import HEADER, csv_bytes, household, write_xlsx

V = "430521001001"


def test_utf8_bom_and_gb18030_give_the_same_rows():
    rows = [household(V, 1, name="𪚥大"), household(V, 2, name="李四")]
    parsed = {enc: parse_return(csv_bytes(rows, enc), "csv") for enc in ("utf-8", "utf-8-sig", "gb18030")}
    for encoding, result in parsed.items():
        assert result.problem_code is None, encoding
        assert result.encoding == encoding
        assert result.frame["head_name"].to_list() == ["𪚥大", "李四"]
    with pytest.raises(UnicodeEncodeError):
        "𪚥".encode("gbk")  # why gb18030, never gbk


def test_english_headers_any_order_with_spaces_and_an_unknown_column():
    header = [" wage_income", "household_id ", "head_name", "head_id_number", "household_size", "household_type",
              "business_income", "property_income", "transfer_income", "business_expense", "备注"]
    rows = [["1,234.50", f"{V}0001", "王五 ", "11010519491231002x", "3", "脱贫户", " 300 ", "", "150", "100", "新户"]]
    parsed = parse_return(csv_bytes(rows, header=header), "csv")
    cleaned = clean_batch(parsed.frame)
    assert cleaned["wage_income"][0] == 1234.5
    assert cleaned["business_income"][0] == 300.0
    assert cleaned["head_name"][0] == "王五"
    assert cleaned["head_id_number"][0] == "11010519491231002X"
    assert cleaned["extra_columns"][0] == '{"备注": "新户"}'


def test_blank_rows_full_width_spaces_and_ids_shown_as_scientific_notation():
    rows = [household(V, 1), [""] * len(HEADER), ["\u3000"] * len(HEADER), household(V, 2)]
    rows[3][2] = "4.30521E+17"
    rows[3][6] = "\u30001 234\u3000"
    parsed = parse_return(csv_bytes(rows, title="一村2020年3月收入月报表"), "csv")
    assert parsed.frame["source_row"].to_list() == [3, 6]
    assert parsed.rows_skipped == 2
    cleaned = clean_batch(parsed.frame)
    assert cleaned["head_id_number"].to_list()[1] == "4.30521E+17"  # kept as text for validation to explain
    assert cleaned["wage_income"].to_list()[1] == 1234.0


@pytest.mark.parametrize("data, extension, reason", [
    (b"", "csv", "空文件"),
    (b"  \r\n ", "csv", "空文件"),
    ("户编号,户主姓名\n".encode("utf-16"), "csv", "UTF-16"),
    (b"\xff\xfe\xfd\xfc,\xff\n", "csv", "既不是UTF-8也不是GB18030"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "xlsx", "不是Excel"),
    (b"PK\x03\x04 not really a zip", "xlsx", "损坏"),
    (b"hello world\nthis is a note\n", "csv", "不是村级收入月报表"),
])
def test_unreadable_files_get_a_reason(data, extension, reason):
    parsed = parse_return(data, extension)
    assert parsed.problem_code == "FILE_UNREADABLE"
    assert reason in parsed.problem_detail


def test_truncated_csv_and_truncated_xlsx_are_unreadable(tmp_path):
    whole = csv_bytes([household(V, 1), household(V, 2)])
    assert parse_return(whole[:-25], "csv").problem_code == "FILE_UNREADABLE"
    cut_in_character = "户编号,户主姓名".encode("utf-8")[:-1]
    assert "不完整" in parse_return(cut_in_character, "csv").problem_detail
    book = write_xlsx(tmp_path / "t.xlsx", [household(V, i) for i in range(1, 30)]).read_bytes()
    assert parse_return(book[: len(book) // 2], "xlsx").problem_code == "FILE_UNREADABLE"


def test_missing_required_column_is_named():
    header = [h for h in HEADER if h != "户主身份证号"]
    rows = [[c for i, c in enumerate(household(V, 1)) if HEADER[i] != "户主身份证号"]]
    parsed = parse_return(csv_bytes(rows, header=header), "csv")
    assert parsed.problem_code == "FILE_MISSING_COLUMNS"
    assert "户主身份证号" in parsed.problem_detail


def test_every_row_is_accounted_for():
    rows = [household(V, i) for i in range(1, 6)] + [[""] * len(HEADER), ["合计", "", "", "", "", "", "6000"]]
    parsed = parse_return(csv_bytes(rows), "csv")
    assert parsed.rows_read == parsed.frame.height + parsed.rows_skipped == 7
    assert isinstance(parsed.frame, pl.DataFrame)


@pytest.mark.parametrize("label", ["合计", "全村合计", "本村合计", "本页小计", "全 组 合 计", "总计：58户"])
def test_a_total_row_naming_whose_total_it_is_is_no_household(label):
    """A 合计 row is often labelled for its scope (全村合计, 本页小计 under each printed page): skipped as 合计 is, not
    read as a household whose 户编号 is 全村合计 and refused with errors the village cannot correct."""
    rows = [household(V, 1), household(V, 2), [label, "", "", "", "", "", "2400"]]
    parsed = parse_return(csv_bytes(rows, "gb18030"), "csv")
    assert parsed.frame["household_id"].to_list() == [f"{V}0001", f"{V}0002"]
    assert (parsed.rows_read, parsed.rows_skipped) == (3, 1)
    left = parse_return(csv_bytes([["", "", "", *r] for r in rows], header=["", "", "", *HEADER]), "csv")
    assert left.frame["household_id"].to_list() == [f"{V}0001", f"{V}0002"]  # a table from column D, saved as CSV
    numbered = parse_return(csv_bytes([["1", *rows[0]], ["2", *rows[1]], [label, *rows[2][1:]]], header=["", *HEADER]),
                            "csv")
    assert numbered.frame.height == 2  # the label under an unnamed 序号 column
    named = parse_return(csv_bytes([household(V, 1, name="王小计"), household(V, 2)]), "csv")
    assert named.frame["head_name"].to_list() == ["王小计", "张三"]  # a person's name is no total's label


def test_a_csv_cell_right_of_the_header_is_kept_under_its_position():
    """A note typed in the first column right of the table has no header: kept as 第N列, like a workbook's."""
    note = [household(V, 1) + ["户主外出务工，联系其子"], household(V, 2)]
    parsed = parse_return(csv_bytes(note), "csv")
    assert parsed.problem_code is None
    assert parsed.frame["extra_columns"].to_list() == ['{"第%d列": "户主外出务工，联系其子"}' % (len(HEADER) + 1), None]


def test_a_whole_return_without_a_final_line_end_is_read_and_one_cut_in_its_last_row_is_not():
    """A last row is cut short when it holds fewer cells than the header names: a note typed right of the table
    in an earlier row, or the header's empty cell at its end, makes no complete row look cut."""
    noted = csv_bytes([household(V, 1) + ["外出务工"], household(V, 2)]).rstrip(b"\r\n")
    parsed = parse_return(noted, "csv")
    assert parsed.problem_code is None and parsed.frame["source_row"].to_list() == [2, 3]
    wide_header = csv_bytes([household(V, 1) + ["", "备注:外出"], household(V, 2)], header=HEADER + [""])
    assert parse_return(wide_header.rstrip(b"\r\n"), "csv").problem_code is None
    cut = noted[: noted.rindex(",脱贫户".encode())]
    rejected = parse_return(cut, "csv")
    assert rejected.problem_code == "FILE_UNREADABLE"
    assert rejected.problem_detail == f"文件在第3行中途结束(上传不完整?该行只有5个单元格，表头有{len(HEADER)}列)"


def test_two_columns_outside_the_contract_under_one_header_keep_both_values():
    """The second 备注 is kept under its position too: by header alone, its value replaced the first's."""
    rows = [household(V, 1) + ["外出务工", "低保待审", "", "另记"], household(V, 2) + ["", "", "", ""]]
    parsed = parse_return(csv_bytes(rows, header=HEADER + ["备注", "备注", "", "第14列"]), "csv")
    assert parsed.problem_code is None
    assert parsed.frame["extra_columns"].to_list() == [
        '{"备注": "外出务工", "备注(第13列)": "低保待审", "第14列(第15列)": "另记"}', None]


@pytest.mark.parametrize("line_end", [b"\r\n", b"\n", b"\r"])
@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_an_undecodable_byte_is_reported_on_its_row_in_either_encoding(encoding, line_end):
    """The byte shown is where the reading that gets further stops: a UTF-8 file's stray byte was shown in row 1,
    where its hanzi stopped the GB18030 reading; lines ended by a lone CR (Excel for Mac) count as rows too."""
    lines = csv_bytes([household(V, n) for n in range(1, 40)], encoding).split(b"\r\n")
    lines[29] = lines[29].replace(b",3,", b",3\xe9,")  # row 30: a Latin-1 é in a UTF-8 file; a lone lead in GB18030
    parsed = parse_return(line_end.join(lines), "csv")
    assert parsed.problem_code == "FILE_UNREADABLE"
    byte = lines[29].index(b"\xe9") + 1
    assert f"第30行(该行第{byte}个字节)" in parsed.problem_detail, parsed.problem_detail


def stray_quotes(opening: int, closing: int, closed: str = '"张三') -> bytes:
    """A return of 12 households whose 户主姓名 on line `opening` starts with a quote, closed on line `closing`
    by `closed` (a stray quote starting the cell, or a quote ending it)."""
    lines = csv_bytes([household(V, n) for n in range(1, 13)]).split(b"\r\n")
    lines[opening - 1] = lines[opening - 1].replace(",张三,".encode(), ',"张三,'.encode())
    lines[closing - 1] = lines[closing - 1].replace(",张三,".encode(), f",{closed},".encode())
    return b"\r\n".join(lines)


@pytest.mark.parametrize("opening, closing, closed", [(5, 9, '"张三'), (5, 9, '张三"'), (5, 6, '"张三'), (2, 13, '张三"')])
def test_a_quoted_cell_that_swallowed_rows_of_the_table_is_unreadable_naming_its_row(opening, closing, closed):
    """Two stray quotes made one cell of the rows between them: those households vanished without a word, and a
    name held their IDs and figures. As a quote never closed, the file is refused naming the row it opens on."""
    parsed = parse_return(stray_quotes(opening, closing, closed), "csv")
    assert parsed.problem_code == "FILE_UNREADABLE"
    assert parsed.problem_detail == (f"第{opening}行的引号直到第{closing}行才闭合，其后{closing - opening}行被并进一个"
                                     "单元格(单元格开头多了一个引号?)")
    noted = [household(V, 1) + ["外出务工\r\n下月回"]] + [household(V, n) for n in range(2, 13)]
    lines = csv_bytes(noted, header=HEADER + ["备注"]).split(b"\r\n")  # a note's line break: lines and rows differ
    lines[6] = lines[6].replace(",张三,".encode(), ',"张三,'.encode())  # line 7, row 6
    lines[9] = lines[9].replace(",张三,".encode(), ',"张三,'.encode())
    assert parse_return(b"\r\n".join(lines), "csv").problem_detail.startswith("第7行的引号直到第10行才闭合，其后3行")


def test_a_note_over_several_lines_with_a_comma_or_two_is_read():
    """A legitimate cell over several lines (a note, a name cell with a line break) is kept as written."""
    notes = ["外出务工,在广东\n下月回,再核", "低保待审, 下月复核,县里定\r\n另:房屋, 漏雨", "\n", "一行"]
    rows = [household(V, n, name="张三\n(户主)" if n == 3 else "张三") + [notes[n % 4]] for n in range(1, 9)]
    parsed = parse_return(csv_bytes(rows, header=HEADER + ["备注"]), "csv")
    assert parsed.problem_code is None
    assert parsed.frame["household_id"].to_list() == [f"{V}{n:04d}" for n in range(1, 9)]
    assert parsed.frame["head_name"][2] == "张三\n(户主)"
    kept = [json.loads(e)["备注"] if e else None for e in parsed.frame["extra_columns"]]
    assert kept[:4] == [notes[1], None, notes[3], notes[0]]  # "\n" alone is a blank cell


def test_a_header_repeated_and_notes_under_the_table_are_no_households():
    """A page's header copied down mid-table, and the 注 and signature lines clerks type under it, are skipped and
    counted, not reported as households with a bad 户编号; a household after them keeps its Excel row."""
    rows = [household(V, 1), HEADER, household(V, 2), ["合计", "", "", "", "", "", "2400"], [],
            ["注：本表由村委会填报"], ["填表人：张三", "", "审核人：李四"], ["注1.金额单位为元"]]
    parsed = parse_return(csv_bytes(rows, title="一村2020年3月收入月报表"), "csv")
    assert parsed.frame["source_row"].to_list() == [3, 5]
    assert parsed.frame["household_id"].to_list() == [f"{V}0001", f"{V}0002"]
    assert (parsed.rows_read, parsed.rows_skipped) == (8, 6)


def test_a_household_whose_remark_comes_first_is_no_note():
    """A 备注 column in front reading 说明：新增户 on a household left without its 户编号: still a household, reported."""
    row = household(V, 1)
    row[0] = ""
    parsed = parse_return(csv_bytes([["说明：新增户", *row]], header=["备注", *HEADER]), "csv")
    assert parsed.frame["source_row"].to_list() == [2]


NUMBERS = [str(n) for n in range(1, len(HEADER) + 1)]
UNITS = ["", "", "", "(人)", "（人）", "", "(元)", "（元）", "元", "单位：元", "(元)"]


@pytest.mark.parametrize("legend", [
    [NUMBERS], [UNITS], [NUMBERS, UNITS], [UNITS, NUMBERS], [["栏次", "甲", "乙", "丙", *NUMBERS[:8]]],
    [[f"（{n}）" for n in NUMBERS]], [["单位：元"]], [["１", "２", "３", "４", "", "５", "６", "７", "８", "９", "１０"]],
])
@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_column_numbers_and_units_under_the_header_are_no_household(tmp_path, legend, extension):
    """Read as a household before, and reported with problems on row 2."""
    rows = legend + [household(V, 1), household(V, 2)]
    data = (csv_bytes(rows) if extension == "csv"
            else write_xlsx(tmp_path / "r.xlsx", rows, titles=0, total=False).read_bytes())
    parsed = parse_return(data, extension)
    assert parsed.problem_code is None
    assert parsed.frame["household_id"].to_list() == [f"{V}0001", f"{V}0002"]
    assert parsed.frame["source_row"].to_list() == [2 + len(legend), 3 + len(legend)]
    assert (parsed.rows_read, parsed.rows_skipped) == (2 + len(legend), len(legend))


@pytest.mark.parametrize("row", [
    ["", "", "", "1", "2", "", "3", "4", "5", "6", "7"],  # broken, but a household's: 户类型 missing, small figures
    ["", "", "", "1", "2", "脱贫户", "3", "4", "5", "6", "7"],
    ["", "", "", "1", "2", "", "4", "5", "6"],  # not consecutive
    ["1", "2"], ["元"], ["3", "人", "元"], ["", "", "", "1", "2", "3", "4", "5", "6"],  # 6 of the 11 columns
])
def test_a_row_under_the_header_that_only_looks_like_column_numbers_is_read_as_a_household(row):
    parsed = parse_return(csv_bytes([row, household(V, 1)]), "csv")
    assert parsed.frame["source_row"].to_list() == [2, 3]


def test_column_numbers_further_down_the_table_are_read_as_written():
    """Only the two rows right under the header are such rows; a row of numbers under a household is the clerk's,
    reported, not dropped."""
    parsed = parse_return(csv_bytes([household(V, 1), NUMBERS, household(V, 2)]), "csv")
    assert parsed.frame["source_row"].to_list() == [2, 3, 4]


def test_a_header_over_column_numbers_only_is_no_return():
    parsed = parse_return(csv_bytes([NUMBERS, UNITS]), "csv")
    assert parsed.problem_code == "FILE_UNREADABLE" and "没有任何一户" in parsed.problem_detail
