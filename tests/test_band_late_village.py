"""A county's first-year band is in proportion to its households' year-over-year spread at the month, measured over
every village of the county: a village's late return changes the spread, so the other villages' bands (quoted in
their reasons, 临界待核) must follow, as a store built from the same files at once has them."""
from __future__ import annotations

import csv

from tests.support.returns import HEADER, csv_bytes, make_city
from tests.support.runs import run_nightly

EARLY, LATE = "430521001001", "430521001002"  # two villages of one county, 20 households each


def rows(village: str, period: str) -> list[list[str]]:
    """A month's return of a village: households of four below the line, each year's year to date its own."""
    found = []
    for n in range(1, 21):
        wage = 3000 + 150 * n if period == "201903" else 3000 + 150 * ((n * 7) % 20) + (400 if village == LATE else 0)
        found.append([f"{village}{n:04d}", "张三", "11010519491231002X", "4", "1", "脱贫户", f"{wage:.2f}", "0", "0",
                      "0", "0"])
    return found


def flags(root) -> dict[str, tuple[str, str]]:
    """flags.csv of a run folder: household -> (projection, reasons)."""
    text = (root / "out" / "exports" / "flags.csv").read_text(encoding="utf-8-sig")
    return {r["household_id"]: (r["projected_per_capita"], r["reasons"]) for r in csv.DictReader(text.splitlines())}


def test_a_late_village_return_moves_the_first_year_band_of_its_county_s_other_villages(prefect_harness, tmp_path):
    inbox, reference = make_city(tmp_path)
    for village in (EARLY, LATE):
        (inbox / f"{village}_201903.csv").write_bytes(csv_bytes(rows(village, "201903"), header=HEADER))
    (inbox / f"{EARLY}_202003.csv").write_bytes(csv_bytes(rows(EARLY, "202003"), header=HEADER))
    run_nightly(tmp_path, as_of="202003", today="2020-04-10")  # 20 households: too few to measure a spread on
    (inbox / f"{LATE}_202003.csv").write_bytes(csv_bytes(rows(LATE, "202003"), header=HEADER))
    run_nightly(tmp_path, as_of="202003", today="2020-04-11")
    at_once = tmp_path / "at_once"
    run_nightly(at_once, as_of="202003", today="2020-04-11", inbox=inbox, reference=reference)

    kept, rebuilt = flags(tmp_path), flags(at_once)
    assert len(rebuilt) == 40 and all("区间" in reasons for _, reasons in rebuilt.values())
    assert {h: kept[h] for h in sorted(kept) if h.startswith(EARLY)} == \
        {h: rebuilt[h] for h in sorted(rebuilt) if h.startswith(EARLY)}
