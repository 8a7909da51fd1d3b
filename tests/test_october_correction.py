"""What is kept between runs follows a correction of the income year's October: a household left out of last
September's return but back in October has last year's September estimated (household_month_gaps), so an October
return corrected to list it changes its flags and projection in every month of the year (household_status is keyed
on the village's October), and what is counted from them must change too."""
from __future__ import annotations

import csv
import re

from tests.support.returns import HEADER, csv_bytes, make_city
from tests.support.runs import run_nightly
from tests.support.store_builder import year_periods

VILLAGE = "430521001001"
LIFTED, OTHER = f"{VILLAGE}0001", f"{VILLAGE}0002"  # a 脱贫户 at 3,000 a head last year, and a well-off neighbour


def row(household_id: str, wage: float, size: int = 4) -> list[str]:
    """A return row of a household (of four) with this year-to-date wage and nothing else."""
    return [household_id, "张三", "11010519491231002X", str(size), "1", "脱贫户", f"{wage:.2f}", "0", "0", "0", "0"]


def write_return(inbox, period: str, rows: list[list[str]], mark: str = "") -> None:
    """The village's return of a month (mark: a correction's, e.g. _v2)."""
    (inbox / f"{VILLAGE}_{period}{mark}.csv").write_bytes(csv_bytes(rows, header=HEADER))


def exported(root, name: str) -> list[dict]:
    """An export's CSV rows."""
    return list(csv.DictReader((root / "out" / "exports" / name).read_text(encoding="utf-8-sig").splitlines()))


def village_signals(root) -> list[str]:
    """The codes of the village's signals in village_signals.csv (the other villages sent nothing)."""
    return [s["code"] for s in exported(root, "village_signals.csv") if s["village_code"] == VILLAGE]


def card_value(page: str, label: str) -> int:
    """The figure of a key-figure card of a county page."""
    return int(re.search(rf'<div class="label">{label}</div><div class="value">([0-9,]+)', page)[1].replace(",", ""))


def test_a_corrected_october_changes_the_as_of_months_cards_as_it_changes_the_flags(prefect_harness, tmp_path):
    inbox, _ = make_city(tmp_path)
    for month, period in enumerate(year_periods(2019), start=1):  # the 脱贫户 is left out of September's return
        write_return(inbox, period, [row(OTHER, 100000 * month / 12)] + ([row(LIFTED, 1000 * month)] if month < 12 else []))
    for month, period in enumerate(year_periods(2020, 6), start=1):  # ... and out of October's, back in November
        write_return(inbox, period, [row(OTHER, 100000 * month / 12)] + ([row(LIFTED, 8000 * month)] if month > 1 else []))
    run_nightly(tmp_path, as_of="202003", today="2020-04-10")
    write_return(inbox, "201910", [row(OTHER, 100000 / 12), row(LIFTED, 8000)], "_v2")  # October corrected: listed
    run_nightly(tmp_path, as_of="202003", today="2020-04-11")

    flags = exported(tmp_path, "flags.csv")
    assert [(f["household_id"], f["flags"]) for f in flags] == [(LIFTED, "UNSTABLE_LIFTED")]
    page = (tmp_path / "out" / "reports" / "430521.html").read_text(encoding="utf-8")
    assert (card_value(page, "脱贫不稳定"), card_value(page, "标记户")) == (1, 1)


def test_a_corrected_october_changes_the_threshold_bunching_it_brings(prefect_harness, tmp_path):
    """Nine households of one a head just above the line, and one whose projection, once last year's September is
    estimated from its corrected October, joins them: ten above, none below, THRESHOLD_BUNCHING (p = 0.001)."""
    inbox, _ = make_city(tmp_path)
    near = [f"{VILLAGE}{n:04d}" for n in range(2, 11)]
    for month, period in enumerate(year_periods(2019), start=1):  # 18,000 a year, left out of September
        write_return(inbox, period, [row(h, 4150 * month / 12, 1) for h in near]
                     + ([row(LIFTED, 18000 * month / 11, 1)] if month < 12 else []))
    for month, period in enumerate(year_periods(2020, 6), start=1):  # little this year, left out of October
        write_return(inbox, period, [row(h, 4150 * month / 12, 1) for h in near]
                     + ([row(LIFTED, 370.9 * month / 6, 1)] if month > 1 else []))
    run_nightly(tmp_path, as_of="202003", today="2020-04-10")
    assert village_signals(tmp_path) == []  # nine above the line: too few to say
    write_return(inbox, "201910", [row(h, 4150 / 12, 1) for h in near] + [row(LIFTED, 370.9 / 6, 1)], "_v2")
    run_nightly(tmp_path, as_of="202003", today="2020-04-11")

    flagged = {f["household_id"]: float(f["projected_per_capita"]) for f in exported(tmp_path, "flags.csv")}
    assert all(4000 <= flagged[h] < 4400 for h in [LIFTED, *near])  # NEAR_LINE, all ten within +10 %
    assert village_signals(tmp_path) == ["THRESHOLD_BUNCHING"]
