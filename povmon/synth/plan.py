"""The mess plan: for each period, which villages are missing, send bad files, bad rows or corrections.

A period's plan depends only on the seed, the city and the plan of the period before, never on
as_of, so the files of a month are the same whichever month the city is generated up to.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from povmon.synth.households import Basics
from povmon.synth.schema import N_PERIODS, month_of_year
from povmon.synth.styles import StyleTable
from povmon.synth.units import City

FILE_VARIANTS = {
    "FILE_NAME_INVALID": ["dash_period", "village_xlsx", "short_code", "browser_copy"],
    "FILE_UNKNOWN_VILLAGE": ["unknown_township"],
    "FILE_UNREADABLE": ["empty", "truncated_csv", "truncated_xlsx", "png_as_xlsx", "text_as_xlsx",
                        "random_bytes", "utf16"],
    "FILE_MISSING_COLUMNS": ["head_id_number", "transfer_income"],
}
ROW_VARIANTS = {
    "ROW_HOUSEHOLD_ID": ["short15", "other_village"],
    "ROW_DUPLICATE": ["twice"],
    "ROW_MISSING_VALUE": ["empty_size", "empty_wage"],
    "ROW_NOT_NUMBER": ["garbled", "wu"],
    "ROW_OUT_OF_RANGE": ["negative", "size0", "size25", "labor_gt_size"],
    "ROW_HOUSEHOLD_TYPE": ["poor_household"],
    "ROW_ID_NUMBER": ["check_digit", "bad_date", "sci_notation"],
    "ROW_YTD_DECREASE": ["lower"],
    "ROW_OUTLIER": ["x50"],
}
WARNINGS = {"ROW_ID_NUMBER", "ROW_YTD_DECREASE", "ROW_OUTLIER"}
FIXED_BY_V2 = ["ROW_NOT_NUMBER", "ROW_MISSING_VALUE", "ROW_OUT_OF_RANGE", "ROW_HOUSEHOLD_TYPE"]


@dataclass
class RowCase:
    """One planted bad row: which household, which problem, which way."""

    code: str
    variant: str
    household: int


@dataclass
class VillagePlan:
    """What happens to one village's return in one period."""

    status: str = "normal"  # normal | missing | rejected (only file unreadable) | first_bad (then a good _v2)
    bad_code: str = ""
    bad_variant: str = ""
    rows: list[RowCase] = field(default_factory=list)
    correction: str = ""  # "_v2" or "_更正": a corrected file follows the one with bad rows
    misnamed: list[str] = field(default_factory=list)
    unknown: list[int] = field(default_factory=list)  # ordinals of copies sent under unknown village codes
    resend: str = ""  # "county" or "misc": the same bytes delivered again in another folder


@dataclass
class PeriodPlan:
    """Every village's plan and style for one period."""

    index: int
    styles: StyleTable
    villages: dict[int, VillagePlan]
    touched: set[tuple[int, int]]
    quiet_next: set[int]

    def of(self, village: int) -> VillagePlan:
        """The plan of one village (a plain normal return when nothing is planned)."""
        return self.villages.get(village) or VillagePlan()


def cases_per_period(n_villages: int) -> int:
    """How many of each planted case a period gets: 1 per ~150 villages, at least 1."""
    return max(1, round(n_villages / 150))


def build_plans(seed: int, city: City, basics: list[Basics], special: set[int], xlsx_share: float) -> list[PeriodPlan]:
    """Plans for all 48 periods in order (each sees the one before)."""
    plans: list[PeriodPlan] = []
    for index in range(N_PERIODS):
        plans.append(plan_period(seed, index, city, basics, special, xlsx_share, plans[-1] if plans else None))
    return plans


def _spread(rng: np.random.Generator, villages: list[int], city: City) -> list[int]:
    """Villages in random order, interleaving counties so consecutive picks fall in different counties."""
    by_county: dict[int, list[int]] = {}
    for v in rng.permutation(villages):
        by_county.setdefault(city.villages[int(v)].county_index, []).append(int(v))
    queues = [by_county[c] for c in rng.permutation(sorted(by_county))]
    order = []
    while any(queues):
        order += [q.pop() for q in queues if q]
    return order


def plan_period(seed: int, index: int, city: City, basics: list[Basics], special: set[int], xlsx_share: float,
                previous: PeriodPlan | None) -> PeriodPlan:
    """Choose this period's missing villages, bad files, bad rows, corrections and resends."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(5, index)))
    n = len(city.villages)
    styles = StyleTable(rng, n, xlsx_share, special)
    k = cases_per_period(n)
    blocked = special | (previous.quiet_next if previous else set())
    order = _spread(rng, [v for v in range(n) if v not in blocked], city)
    plans: dict[int, VillagePlan] = {}

    def take(plan: VillagePlan) -> int:
        village = order.pop(0)
        plans[village] = plan
        return village

    unreadable = FILE_VARIANTS["FILE_UNREADABLE"]
    for _ in range(2 * k):
        take(VillagePlan(status="missing"))
    for j in range(k):
        take(VillagePlan("rejected", "FILE_UNREADABLE", unreadable[(index + 3 + j) % len(unreadable)]))
        take(VillagePlan("first_bad", "FILE_UNREADABLE", unreadable[(index + j) % len(unreadable)]))
        columns = FILE_VARIANTS["FILE_MISSING_COLUMNS"]
        take(VillagePlan("first_bad", "FILE_MISSING_COLUMNS", columns[(index + j) % len(columns)]))
    touched: set[tuple[int, int]] = set()
    prev_touched = previous.touched if previous else set()
    prev_absent = {v for v, p in (previous.villages.items() if previous else []) if p.status in ("missing", "rejected")}

    def add_case(village: int, code: str, variant: str) -> None:
        b = basics[village]
        ok = (b.join <= index - 1) & (b.labor > 0) if code == "ROW_YTD_DECREASE" else b.join <= index
        free = [h for h in np.nonzero(ok)[0].tolist() if (village, h) not in touched and (village, h) not in prev_touched]
        household = int(rng.choice(free))
        touched.add((village, household))
        plans.setdefault(village, VillagePlan()).rows.append(RowCase(code, variant, household))

    for j in range(k):
        code = FIXED_BY_V2[(index + j) % len(FIXED_BY_V2)]
        variants = ROW_VARIANTS[code]
        add_case(take(VillagePlan(correction="_v2")), code, variants[(index // 4 + j) % len(variants)])
        add_case(take(VillagePlan(correction="_更正")), "ROW_OUTLIER", "x50")
    row_pool = order[: max(len(ROW_VARIANTS) * k, 1)]
    quiet_next: set[int] = set()
    for code, variants in ROW_VARIANTS.items():
        if code == "ROW_YTD_DECREASE" and month_of_year(index) == 1:
            continue  # no earlier month in the income year to decrease from
        for j in range(k):
            pool = [v for v in row_pool if code != "ROW_YTD_DECREASE" or v not in prev_absent] or row_pool
            village = pool[(list(ROW_VARIANTS).index(code) * k + j) % len(pool)]
            add_case(village, code, variants[(index + j) % len(variants)])
            if code == "ROW_OUTLIER" and month_of_year(index) < 12:
                quiet_next.add(village)  # next month's lower YTD is a real consequence; keep that file clean
    extras = [v for v in order if v not in plans]
    names = FILE_VARIANTS["FILE_NAME_INVALID"]
    for j in range(k):
        plans.setdefault(extras[j % len(extras)], VillagePlan()).misnamed.append(names[(index + j) % len(names)])
        plans.setdefault(extras[(j + k) % len(extras)], VillagePlan()).unknown.append(j)
        plans.setdefault(extras[(j + 2 * k) % len(extras)], VillagePlan()).resend = ("county", "misc")[(index + j) % 2]
    return PeriodPlan(index, styles, plans, touched, quiet_next)
