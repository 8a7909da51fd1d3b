"""End to end: a correction of an earlier year, sent as a file after later months were run, leaves those months'
backtest as they were run (issue 17: a backtest without leaks), through the real nightly flow and `povmon
backtest`."""
from __future__ import annotations

import csv
import io
from contextlib import redirect_stdout
from pathlib import Path

import duckdb
import pytest

from povmon import cli
from tests.support.runs import run_nightly

pytestmark = pytest.mark.slow  # generates and runs a small city of three complete years


def backtest_lines(db_path: Path) -> list[str]:
    """`povmon backtest --format csv` of a store, line by line."""
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli.main(["backtest", "--db", str(db_path), "--format", "csv"]) == 0
    return out.getvalue().splitlines()


def current_and_whole(db_path: Path, file_name: str) -> bool:
    """Whether a return file is the current version of its village and month with none of its rows quarantined."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute("SELECT count(*) FROM current_files WHERE file_name = ? AND rows_quarantined = 0",
                           [file_name]).fetchone()[0] == 1


def corrected_copy(original: Path, factor: float) -> Path:
    """A `_更正` of a CSV return beside it, in its encoding, every 工资性收入 × factor."""
    raw = original.read_bytes()
    encoding = "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "gb18030"
    rows = list(csv.reader(io.StringIO(raw.decode(encoding))))
    wage = rows[0].index("工资性收入")
    for row in rows[1:]:
        row[wage] = f"{float(row[wage].replace(',', '')) * factor:.2f}"
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    corrected = original.with_name(f"{original.stem}_更正.csv")
    corrected.write_bytes(text.getvalue().encode(encoding))
    return corrected


def test_a_later_correction_of_an_earlier_september_leaves_the_later_years_backtest_as_run(prefect_harness,
                                                                                           tmp_path):
    from povmon.synth import generate_city

    generate_city(tmp_path, seed=7, scale="small", as_of="202109")
    run_nightly(tmp_path, today="2021-10-20")
    before = backtest_lines(tmp_path / "db.duckdb")
    assert {line[:4] for line in before[1:]} == {"2019", "2020", "2021"}
    septembers = sorted((tmp_path / "inbox").glob("4305*/201909/*_201909.csv"))
    clean = [p for p in septembers if current_and_whole(tmp_path / "db.duckdb", p.name)]
    corrected = corrected_copy(clean[0], 2.5)  # the 2020 calendars and last year's September learn from it
    run_nightly(tmp_path, today="2021-10-21")
    assert current_and_whole(tmp_path / "db.duckdb", corrected.name)
    after = backtest_lines(tmp_path / "db.duckdb")
    assert [line for line in after if not line.startswith("2019")] == [
        line for line in before if not line.startswith("2019")]
    assert [line for line in after if line.startswith("2019")] != [
        line for line in before if line.startswith("2019")]  # 2019's actual is the corrected September
