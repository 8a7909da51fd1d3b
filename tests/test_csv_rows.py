"""A CSV holding no quote is split line by line, not by the csv module: the rows must be the module's, whatever the
text (line breaks of every kind, empty lines, delimiters at the ends, no break at the end)."""
from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings, strategies as st

from tasks.ingest.csv_rows import read_csv_rows, unquoted_lines
from tasks.ingest.decode import Unreadable
from tasks.ingest.limits import ReadLimits

# the characters that could matter to a reader (every line break Python or csv knows, delimiters, spaces) and text
UNQUOTED = st.text(alphabet=st.sampled_from(list(",;\t \r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029") + list("ab1户")),
                   max_size=60)


@settings(max_examples=500, deadline=None)
@given(UNQUOTED, st.sampled_from([",", ";", "\t"]))
def test_a_quote_free_text_splits_into_the_csv_modules_rows(text, delimiter):
    module = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    assert [line.split(delimiter) if line else [] for line in unquoted_lines(text)] == module


def test_a_return_without_quotes_reads_as_the_csv_module_reads_it_and_a_long_cell_still_refuses_it():
    """The fast path is the module's rows for a whole return; a cell over the limit is still named by the module."""
    text = "\ufeff户编号,户主姓名,工资性收入\r\n4305210010010001,张三,1200\r\n\r\n4305210010010002,李四,\r\n"
    rows, encoding = read_csv_rows(text.encode("utf-8"))
    assert encoding == "utf-8-sig"
    assert rows == list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    long = "户编号,备注\n4305210010010001," + "长" * 70 + "\n"
    with pytest.raises(Unreadable, match="超过50个字符"):  # the csv module's refusal, as before
        read_csv_rows(long.encode("utf-8"), ReadLimits(max_cell_chars=50))


@settings(max_examples=300, deadline=None)
@given(UNQUOTED)
def test_the_sniffers_lazy_lines_are_the_split_lines(text):
    from tasks.ingest.csv_rows import LINE_BREAK, _lines

    assert list(_lines(text)) == LINE_BREAK.split(text)


def test_a_citys_cell_limit_holds_for_its_file_alone_not_for_later_csv_reading_in_the_process():
    """csv.field_size_limit is process-wide: a run's strict [ingest] max_cell_chars once held every later reading
    of a CSV in the process (an export read back failed on its long reasons)."""
    before = csv.field_size_limit()
    quoted = '户编号,备注\n4305210010010001,"' + "长" * 70 + '"\n'
    with pytest.raises(Unreadable, match="超过50个字符"):
        read_csv_rows(quoted.encode("utf-8"), ReadLimits(max_cell_chars=50))
    assert csv.field_size_limit() == before
    read_csv_rows('a,"b"\n'.encode("utf-8"), ReadLimits(max_cell_chars=60))
    assert csv.field_size_limit() == before
