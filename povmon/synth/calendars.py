"""Household income calendars: when in the income year each household's components arrive, by archetype
(festival migrant, quarterly remitter, 公益岗位, day labour; farmer, livestock, shop) and by village harvest.
Two mixes: `demo` (the demo city) and `unseen` (other archetype shares, crops, harvest, payment and dividend
months: a check on data the projection was not tuned on)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from povmon.synth.schema import N_YEARS

# month index 0 = October ... 11 = September. The month the Spring Festival wages arrive, per income year
# 2018-2021: the month of the festival date less 10 days (2018-02-16, 2019-02-05, 2020-01-25, 2021-02-12),
# as core/default_settings.toml [projection.spring_festival] records it.
FESTIVAL_MONTH = np.array([4, 3, 3, 4])
HARVESTS = {  # harvest months of a village's crops
    "summer_grain": [8, 9], "autumn": [11, 0], "tea": [6, 7], "fruit": [10, 11],
}
WAGE_TYPES = ["festival", "quarterly", "public_job", "day_labour"]
WAGE_P = [0.35, 0.2, 0.15, 0.3]
BUSINESS_TYPES = ["farmer", "livestock", "shop"]
BUSINESS_P = [0.55, 0.2, 0.25]
PROPERTY = np.array([4, 4, 60, 4, 4, 4, 4, 4, 4, 4, 2, 2], float)  # rents and dividends in December
PLANTING = np.array([3, 3, 3, 3, 5, 30, 30, 8, 5, 4, 3, 3], float)  # spring planting
QUARTER_ENDS = [2, 5, 8, 11]  # 低保 paid quarterly (December, March, June, September)


@dataclass(frozen=True)
class CalendarMix:
    """The shares of the archetypes and the months of crops, payments and dividends of a synthetic city."""
    wage_p: tuple[float, ...] = tuple(WAGE_P)
    business_p: tuple[float, ...] = tuple(BUSINESS_P)
    harvests: tuple[tuple[str, tuple[int, ...]], ...] = tuple((k, tuple(v)) for k, v in HARVESTS.items())
    festival_lump: tuple[float, float] = (0.5, 0.8)
    livestock_drift: int = 2          # the livestock sale moves up to this many months from its usual month
    quarter_ends: tuple[int, ...] = tuple(QUARTER_ENDS)
    property_month: int = 2           # rents and dividends mostly in this month
    pension_p: float = 0.4


MIXES = {
    "demo": CalendarMix(),
    "unseen": CalendarMix(
        wage_p=(0.2, 0.35, 0.1, 0.35), business_p=(0.35, 0.4, 0.25),
        harvests=(("summer_grain", (7, 8)), ("autumn", (0, 1)), ("tea", (5, 6)), ("fruit", (9, 10)),
                  ("tobacco", (10, 11)), ("rice", (11, 0, 1))),
        festival_lump=(0.3, 0.9), livestock_drift=3, quarter_ends=(0, 3, 6, 9), property_month=4, pension_p=0.6),
}


def village_harvest(rng: np.random.Generator, mix: CalendarMix = MIXES["demo"]) -> np.ndarray:
    """A village's harvest calendar (12 months summing to 1): one or two of its crops, plus a little all year."""
    harvests = dict(mix.harvests)
    crops = rng.choice(list(harvests), size=int(rng.integers(1, 3)), replace=False)
    calendar = np.full(12, 0.02)
    for weight, crop in zip(rng.dirichlet(np.ones(len(crops))), crops):
        for month in harvests[crop]:
            calendar[month] += weight / len(harvests[crop])
    return calendar / calendar.sum()


def _even() -> np.ndarray:
    """An even calendar."""
    return np.full(12, 1 / 12)


def wage_calendars(rng: np.random.Generator, kinds: np.ndarray, mix: CalendarMix) -> np.ndarray:
    """Wage calendars (n, years, 12) of the wage archetypes."""
    n = len(kinds)
    cal = np.tile(_even(), (n, N_YEARS, 1))
    lump = rng.uniform(*mix.festival_lump, n)
    for y in range(N_YEARS):
        festival = np.zeros(12)
        festival[FESTIVAL_MONTH[y]] = 1.0
        rows = kinds == "festival"
        cal[rows, y] = (1 - lump[rows, None]) * _even() + lump[rows, None] * festival
    phase = rng.integers(0, 3, n)
    for h in np.nonzero(kinds == "quarterly")[0]:
        cal[h, :, :] = 0.0
        cal[h, :, phase[h]::3] = 0.25
    return cal


def business_calendars(rng: np.random.Generator, kinds: np.ndarray, harvest: np.ndarray,
                       mix: CalendarMix) -> np.ndarray:
    """Business calendars (n, years, 12): the village harvest, one livestock sale a year, or even."""
    n = len(kinds)
    cal = np.tile(_even(), (n, N_YEARS, 1))
    cal[kinds == "farmer"] = harvest
    usual = rng.integers(0, 12, n)
    sale = (usual[:, None] + rng.integers(-mix.livestock_drift, mix.livestock_drift + 1, (n, N_YEARS))) % 12
    for h in np.nonzero(kinds == "livestock")[0]:
        for y in range(N_YEARS):
            cal[h, y] = 0.15 * _even()
            cal[h, y, sale[h, y]] += 0.85
    return cal


def transfer_calendars(rng: np.random.Generator, welfare: np.ndarray, mix: CalendarMix) -> np.ndarray:
    """Transfer calendars (n, 12): 低保 quarterly (welfare households), pensions monthly, December subsidy."""
    n = len(welfare)
    quarterly = np.zeros(12)
    quarterly[list(mix.quarter_ends)] = 0.25
    december = np.zeros(12)
    december[2] = 1.0
    pension = rng.random(n) < mix.pension_p
    weights = np.stack([np.where(welfare, rng.uniform(0.5, 0.8, n), 0.0),
                        np.where(pension, rng.uniform(0.3, 0.6, n), 0.0),
                        rng.uniform(0.1, 0.3, n)], axis=1)
    weights /= weights.sum(axis=1, keepdims=True)
    return weights @ np.stack([quarterly, _even(), december])


def household_calendars(rng: np.random.Generator, labor: np.ndarray, welfare: np.ndarray,
                        harvest: np.ndarray, mix: CalendarMix = MIXES["demo"]) -> tuple[np.ndarray, np.ndarray]:
    """Every household's calendar (n, years, 12, 5), each component's months summing to 1, and its archetype
    ('wage type/business type')."""
    n = len(labor)
    wage_kind = np.array(WAGE_TYPES, dtype=object)[rng.choice(4, n, p=list(mix.wage_p))]
    wage_kind = np.where(labor > 0, wage_kind, "none")
    business_kind = np.array(BUSINESS_TYPES, dtype=object)[rng.choice(3, n, p=list(mix.business_p))]
    cal = np.empty((n, N_YEARS, 12, 5))
    cal[..., 0] = wage_calendars(rng, wage_kind, mix)
    cal[..., 1] = business_calendars(rng, business_kind, harvest, mix)
    cal[..., 2] = np.roll(PROPERTY, mix.property_month - 2) / PROPERTY.sum()
    cal[..., 3] = transfer_calendars(rng, welfare, mix)[:, None, :]
    expense = np.where((business_kind == "farmer")[:, None], PLANTING / PLANTING.sum(), _even())
    cal[..., 4] = expense[:, None, :]
    archetype = np.array([f"{w}/{b}" for w, b in zip(wage_kind, business_kind)], dtype=object)
    return cal, archetype
