"""A CSV whose first line is Excel's `sep=,` (`sep=;`, `sep=<tab>`…): Excel takes its delimiter from that line and
hides it, so the header is Excel's row 1 and every row number reported is the row Excel shows the village."""
from __future__ import annotations

import csv
import io

import polars as pl
import pytest

from tasks.ingest.parse import parse_return
from tasks.validate.checks import validate_batch
from tasks.validate.clean import clean_batch
from tests.support.returns import HEADER, household

V = "430521001001"


def with_sep_line(rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8",
                  line_end: str = "\r\n") -> bytes:
    """A CSV of the header and rows written with a delimiter, under Excel's `sep=` line naming it (after a BOM)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=line_end)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return (f"sep={delimiter}{line_end}" + buffer.getvalue()).encode(encoding)


def problem_rows(parsed) -> list[tuple[int, str]]:
    """(row, code) of the row problems the suite finds in a parsed return."""
    frame = parsed.frame.with_columns(pl.lit(1, pl.Int32).alias("file_id"), pl.lit(V).alias("village_code"),
                                      pl.lit("202003").alias("period"))
    problems = validate_batch(clean_batch(frame), with_gx=False).problems
    return sorted(zip(problems["source_row"].to_list(), problems["code"].to_list()))


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_a_bad_cell_is_reported_on_the_row_excel_shows(delimiter, encoding):
    """The sep line was read as a title row: the header on row 2, 一千 (Excel's row 3) reported on row 4; and a file
    of `;` or tabs was no return at all."""
    rows = [household(V, 1, wage="1,234.50"), household(V, 2, wage="一千"), household(V, 3)]
    parsed = parse_return(with_sep_line(rows, delimiter, encoding), "csv")
    assert parsed.problem_code is None, parsed.problem_detail
    assert (parsed.header_row, parsed.frame["source_row"].to_list()) == (1, [2, 3, 4])
    assert parsed.frame["wage_income"].to_list() == ["1,234.50", "一千", "1200"]
    assert problem_rows(parsed) == [(3, "ROW_NOT_NUMBER")]


@pytest.mark.parametrize("line_end", ["\n", "\r"])
def test_only_a_first_line_of_sep_and_one_character_is_hidden(line_end):
    """Ended as the file's lines are (LF, or CR: Excel for Mac); a title row that merely starts so is a row Excel
    shows, and a file without the line keeps its rows."""
    parsed = parse_return(with_sep_line([household(V, 1), household(V, 2)], ";", line_end=line_end), "csv")
    assert (parsed.header_row, parsed.frame["source_row"].to_list()) == (1, [2, 3])
    plain = with_sep_line([household(V, 1)], line_end=line_end).split(line_end.encode(), 1)[1]
    assert parse_return(plain, "csv").frame["source_row"].to_list() == [2]
    titled = "sep=,2020年".encode() + line_end.encode() + plain
    assert parse_return(titled, "csv").frame["source_row"].to_list() == [3]


def test_a_file_level_reason_names_the_row_excel_shows():
    """A quote never closed, rows swallowed by stray quotes (told by the delimiter named), a last row cut short and
    an undecodable byte, in a file with the sep line: their rows too are Excel's."""
    lines = with_sep_line([household(V, n) for n in range(1, 13)]).split(b"\r\n")
    lines[11] = lines[11].replace(",张三,".encode(), ',"张三,'.encode())  # Excel's row 11
    assert "第11行的引号没有闭合" in parse_return(b"\r\n".join(lines), "csv").problem_detail
    lines = with_sep_line([household(V, n) for n in range(1, 13)], ";").split(b"\r\n")
    for row in (5, 9):
        lines[row] = lines[row].replace(";张三;".encode(), ';"张三;'.encode())
    swallowed = parse_return(b"\r\n".join(lines), "csv").problem_detail
    assert swallowed.startswith("第5行的引号直到第9行才闭合，其后4行"), swallowed
    whole = with_sep_line([household(V, 1), household(V, 2)])
    cut = parse_return(whole[: whole.rindex(",脱贫户".encode())], "csv")
    assert cut.problem_detail.startswith("文件在第3行中途结束")
    lines = with_sep_line([household(V, n) for n in range(1, 9)]).split(b"\r\n")
    lines[5] = lines[5].replace(b",3,", b",3\xe9,")  # Excel's row 5: a Latin-1 byte in a UTF-8 file
    assert "第5行(该行第" in parse_return(b"\r\n".join(lines), "csv").problem_detail


def without_sep_line_written(rows: list[list[str]], delimiter: str, encoding: str = "utf-8") -> bytes:
    """The same file without the `sep=` line: a text file saved with tabs (or semicolons) and renamed .csv."""
    return with_sep_line(rows, delimiter, encoding).split(b"\r\n", 1)[1]


@pytest.mark.parametrize("delimiter", [";", "\t"])
@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_a_tab_or_semicolon_file_without_a_sep_line_is_read_by_its_delimiter(delimiter, encoding):
    """It was refused as no return (no known column name in its first rows); a comma, a tab or a semicolon in a
    cell of a comma file does not make it one of them."""
    good, bad = household(V, 1), household(V, 2)
    bad[HEADER.index("工资性收入")] = "一千"
    parsed = parse_return(without_sep_line_written([good, bad], delimiter, encoding), "csv")
    assert parsed.problem_code is None and parsed.header_row == 1
    assert problem_rows(parsed) == [(3, "ROW_NOT_NUMBER")]


def test_a_comma_file_with_tabs_and_semicolons_in_its_cells_stays_a_comma_file():
    noted = household(V, 1)
    noted[HEADER.index("户主姓名")] = "张三;;;;\t\t\t\t"  # four of each in one cell: fewer than the row's commas
    parsed = parse_return(without_sep_line_written([noted, household(V, 2)], ","), "csv")
    assert parsed.problem_code is None and parsed.rows_read == 2
    assert parsed.frame["head_name"].to_list()[0].startswith("张")
