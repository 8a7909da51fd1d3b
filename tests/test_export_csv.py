"""The exports' CSV writer defuses only the columns that need it, and writes what defusing every column wrote."""
from __future__ import annotations

import polars as pl
import pytest

from tasks.report.exports import columns_to_defuse, defuse_text, write_csv

FRAMES = {
    "risky": pl.DataFrame({
        "village_name": ["=HYPERLINK(\"http://x\")", "+1", "@SUM(A1)", "\t村", "白石村", None, "-5"],
        "reasons": ["第一行\r\n第二行", "a\nb", "a\r\rb", "普通", "", None, '"引号"'],
        "household_id": ["4305211000010001"] * 7,
        "household_size": [1, 2, 3, None, 5, 6, 7],
    }),
    "clean": pl.DataFrame({"village_name": ["白石村", "金龙村"], "detail": ["-5", "a,b \"q\""], "n": [1, 2]}),
    "empty": pl.DataFrame(schema={"village_name": pl.String, "n": pl.Int64}),
}


def write_defusing_every_column(frame: pl.DataFrame, path) -> bytes:
    """The writer as it was: every text column defused."""
    text_columns = [c for c, t in frame.schema.items() if t == pl.Utf8]
    frame.with_columns([defuse_text(c) for c in text_columns]).write_csv(path, include_bom=True, line_terminator="\n",
                                                                          null_value="")
    return path.read_bytes()


@pytest.mark.parametrize("name", list(FRAMES))
def test_csv_is_what_defusing_every_column_wrote(tmp_path, name):
    frame = FRAMES[name]
    written = write_csv(frame, tmp_path / "new.csv").read_bytes()
    assert written == write_defusing_every_column(frame, tmp_path / "old.csv")


def test_only_columns_with_formulas_or_line_breaks_are_defused(tmp_path):
    assert columns_to_defuse(FRAMES["risky"]) == ["village_name", "reasons"]
    assert columns_to_defuse(FRAMES["clean"]) == []
    lines = write_csv(FRAMES["risky"], tmp_path / "risky.csv").read_text(encoding="utf-8-sig").split("\n")
    assert lines[1].startswith("\"'=HYPERLINK(\"\"http://x\"\")\",第一行 第二行,")
    assert lines[2].startswith("'+1,a b,") and lines[3].startswith("'@SUM(A1),a b,")
    assert lines[7].startswith("-5,")


def test_every_kind_of_line_break_in_a_cell_is_written_as_a_space(tmp_path):
    """A vertical tab (Word's Shift+Enter, pasted into a cell), a form feed, NEL or a Unicode line or paragraph
    separator quoted in a problem's detail: each breaks a line for str.splitlines (tests.support.runs.problems reads
    problems.csv so) and for most editors, and a record was cut in two."""
    cells = ["户类型“脱贫\x0b户”", "a\x0cb", "a\x85b", "a\u2028b", "a\u2029b", "a\x1cb\x1dc\x1ed"]
    frame = pl.DataFrame({"detail": cells, "n": list(range(len(cells)))})
    lines = write_csv(frame, tmp_path / "breaks.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines == ["detail,n", "户类型“脱贫 户”,0", "a b,1", "a b,2", "a b,3", "a b,4", "a b c d,5"]
