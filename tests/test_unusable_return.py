"""A return whose every row is in error is no usable return (policy.md, MISSING_RETURN): the county page's
reporting table, its village table and quality chart, and the 本月报送村 cards say so, as the village signal does."""
from __future__ import annotations

import re

import pytest

from tests.support.returns import csv_bytes, household, make_city
from tests.support.runs import query, run_nightly

pytestmark = pytest.mark.usefixtures("prefect_harness")
GOOD, BROKEN = "430521001001", "430521001002"


@pytest.fixture
def county_page(tmp_path):
    """One night with a good return and one whose every household is 0 people (out of range), before the due day."""
    inbox, _ = make_city(tmp_path)
    (inbox / f"{GOOD}_202003.csv").write_bytes(csv_bytes([household(GOOD, 1), household(GOOD, 2)]))
    (inbox / f"{BROKEN}_202003.csv").write_bytes(csv_bytes([household(BROKEN, 1, size="0"),
                                                            household(BROKEN, 2, size="0")]))
    run_nightly(tmp_path, as_of="202003", today="2020-04-03")
    return tmp_path, (tmp_path / "out" / "reports" / "430521.html").read_text(encoding="utf-8")


def test_a_return_of_rows_all_in_error_is_flagged_missing_and_not_counted_as_reported(county_page):
    root, page = county_page
    assert query(root, "SELECT village_code FROM village_signals WHERE code = 'MISSING_RETURN' AND period = '202003' "
                       "AND county_code = '430521'") == [(BROKEN,)]
    cells = re.findall(r'<td class="r-([a-z_]+)"[^>]*>([^<]*)</td>', page)
    # 202003's two returns (the months before: missing): the good one late (dated by its file, written today), the
    # other no return at all; it was late too
    assert sorted(status for status, _ in cells if status != "missing") == ["late", "unusable"]
    assert ("unusable", "✗ 无效") in cells
    card = re.search(r"本月报送村</div>\s*<div[^>]*>([^<]*)<", page)
    assert card is not None and card.group(1).replace(" ", "") == "1/2"  # was 2/2
    assert "各行均有错误" in page  # the village table's status, and the quality chart's absent village


def test_the_city_overview_counts_the_county_as_one_of_two_villages_reported(county_page):
    root, _ = county_page
    city = (root / "out" / "reports" / "index.html").read_text(encoding="utf-8")
    assert "1 / 2" in city and "2 / 2" not in city
