"""FILE_PERIOD_AHEAD says a file named for a month after the run's is read but not taken as the as-of month before
that month comes: once it has come, the warning is gone (from the store, problems.csv and the county page), as a
store rebuilt then would read the file without it."""
from __future__ import annotations

import pytest

from tests.support.returns import csv_bytes, household, make_city
from tests.support.runs import problems, run_nightly

V1 = "430521001001"
pytestmark = pytest.mark.usefixtures("prefect_harness")


def period_ahead(root) -> list[str]:
    """The files problems.csv lists with FILE_PERIOD_AHEAD."""
    return [p["file"] for p in problems(root) if p["code"] == "FILE_PERIOD_AHEAD"]


def test_the_warning_goes_when_the_files_month_comes(tmp_path):
    inbox, _ = make_city(tmp_path)
    (inbox / f"{V1}_202004.csv").write_bytes(csv_bytes([household(V1, 1)]))
    (inbox / f"{V1}_202005.csv").write_bytes(csv_bytes([household(V1, 1)]))
    run_nightly(tmp_path, today="2020-04-28")
    assert period_ahead(tmp_path) == [f"{V1}_202005.csv"]
    run_nightly(tmp_path, today="2020-05-02")
    assert period_ahead(tmp_path) == []
    page = (tmp_path / "out" / "reports" / f"{V1[:6]}.html").read_text(encoding="utf-8")
    assert "晚于本次运行的当月" not in page  # (the code itself is among the filter's options)
