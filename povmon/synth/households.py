"""Households of a village: who they are, their guarantees and risks, and their income series."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from povmon.synth.calendars import MIXES, household_calendars, village_harvest
from povmon.synth.incomes import Incomes, county_profiles, draw_incomes, net_cents
from povmon.synth.names import id_numbers, person_names
from povmon.synth.schema import HOUSEHOLD_TYPE_WEIGHTS, HOUSEHOLD_TYPES, N_PERIODS, N_YEARS, WELFARE_TYPES
from povmon.synth.units import County, Village

SIZE_WEIGHTS = [0.12, 0.18, 0.20, 0.20, 0.14, 0.09, 0.05, 0.02]  # household size 1..8
LOW_INCOME_PROB = {"脱贫户": 0.03, "监测户": 0.12, "边缘户": 0.12}  # others: 0.25
BASE_CAUSES = ["因病", "因残", "因学", "缺劳力", "产业失败", "其他"]
SHOCK_CAUSES = {"illness": "因病", "disaster": "因灾", "epidemic": "因疫、务工受阻", "job_loss": "务工受阻"}


@dataclass
class Basics:
    """What the mess planner needs to know of a village's households, drawn up front."""

    join: np.ndarray  # first period index each household appears (0 for the original ones)
    size: np.ndarray
    labor: np.ndarray
    types: np.ndarray


@dataclass
class CountyTraits:
    """A county's seasonal profiles, typical per-capita income and yearly growth."""

    profiles: np.ndarray
    median: float
    growth: float


@dataclass
class VillageData:
    """Everything written about a village's households, for all 48 periods."""

    village: Village
    basics: Basics
    household_ids: list[str]
    names: list[str]
    id_numbers: list[str]
    housing_safe: np.ndarray  # (n, 4) bool per income year
    water_safe: np.ndarray
    dropout: np.ndarray
    insured: np.ndarray
    risk: np.ndarray  # (n, 4) str
    last_year_pc: np.ndarray  # (n, 4) float, nan where the village leaves it blank
    incomes: Incomes
    report_days: np.ndarray  # (48,) day of the following month the return is dated
    role: str = ""
    special_households: list[int] = field(default_factory=list)
    cache: dict = field(default_factory=dict)  # formatted cells, filled by rows.py once figures are final


def _stream(seed: int, *key: int) -> np.random.Generator:
    """An independent random stream for one purpose and one unit."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=key))


def draw_basics(seed: int, village: Village) -> Basics:
    """Household types, sizes, labour and joining period of a village (a few join after 201710)."""
    rng = _stream(seed, 3, village.index)
    n_join = int(rng.binomial(village.n_households, 0.025))
    join = np.concatenate([np.zeros(village.n_households, int), np.sort(rng.integers(1, N_PERIODS, n_join))])
    n = len(join)
    types = np.array(HOUSEHOLD_TYPES, dtype=object)[rng.choice(len(HOUSEHOLD_TYPES), n, p=HOUSEHOLD_TYPE_WEIGHTS)]
    size = rng.choice(np.arange(1, 9), n, p=SIZE_WEIGHTS)
    size = np.where(types == "特困供养户", np.minimum(size, rng.integers(1, 3, n)), size)
    weak = np.isin(types, ["特困供养户", "重残户"])
    labor = rng.binomial(size, np.where(weak, 0.2, 0.55))
    return Basics(join, size, labor, types)


def draw_county_traits(seed: int, county: County) -> CountyTraits:
    """The county's learnable seasonal pattern, income level and growth."""
    rng = _stream(seed, 2, county.index)
    return CountyTraits(county_profiles(rng), 9000 * float(np.exp(rng.normal(0, 0.1))), float(rng.uniform(1.04, 1.07)))


def draw_village(seed: int, village: Village, basics: Basics, traits: CountyTraits, shocks_on: bool,
                 calendars: str = "demo") -> VillageData:
    """Names, IDs, guarantees, risk causes and the whole income series of a village's households (calendars: the
    name of a calendar mix, povmon/synth/calendars.py MIXES)."""
    rng = _stream(seed, 4, village.index)
    n = len(basics.join)
    household_ids = [f"{village.code}{i + 1:04d}" for i in range(n)]
    rare_share = 0.05 if village.index % 11 == 1 else 0.003
    names = person_names(rng, n, rare_share)
    if village.index % 11 == 1:
        names[0] = names[0][0] + "𪚥" + names[0][2:]
    ids = id_numbers(rng, village.county_code, n)
    welfare = np.isin(basics.types, list(WELFARE_TYPES) + ["未脱贫户"])
    low_prob = np.array([LOW_INCOME_PROB.get(t, 0.25) for t in basics.types])
    median = traits.median * float(np.exp(rng.normal(0, 0.12)))
    calendar_rng = _stream(seed, 8, village.index)
    mix = MIXES[calendars]
    shares, archetype = household_calendars(calendar_rng, basics.labor, welfare, village_harvest(calendar_rng, mix), mix)
    incomes = draw_incomes(rng, shares, basics.size, basics.labor, welfare, low_prob, median,
                           traits.growth, shocks_on)
    incomes.archetype = archetype
    shape = (n, N_YEARS)
    housing = rng.random(shape) > 0.015
    water = rng.random(shape) > 0.025
    dropout = ((rng.random(shape) < 0.006) & (basics.size[:, None] >= 3)).astype(int)
    gaps = (rng.random(shape) < 0.03) * rng.integers(1, 3, shape)
    insured = np.maximum(basics.size[:, None] - gaps, 0)
    risk = draw_risk_causes(rng, basics, incomes.shock)
    last_pc = last_year_per_capita(rng, basics, incomes)
    report_days = rng.integers(1, 9, N_PERIODS)
    return VillageData(village, basics, household_ids, names, ids, housing, water, dropout, insured, risk,
                       last_pc, incomes, report_days)


def draw_risk_causes(rng: np.random.Generator, basics: Basics, shock: np.ndarray) -> np.ndarray:
    """Risk causes per household and income year, joined with 、: a standing cause plus that year's shock."""
    n = len(basics.join)
    monitored = np.isin(basics.types, ["监测户", "边缘户", "重病户", "重残户", "未脱贫户"])
    standing = monitored | (rng.random(n) < 0.05)
    picks = rng.integers(len(BASE_CAUSES), size=n)
    risk = np.full((n, N_YEARS), "", dtype=object)
    for h in np.nonzero(standing)[0]:
        cause = {"重病户": "因病", "重残户": "因残"}.get(basics.types[h], BASE_CAUSES[picks[h]])
        if basics.labor[h] == 0 and cause != "缺劳力":
            cause += "、缺劳力"
        risk[h, :] = cause
    for h, y in zip(*np.nonzero(shock != "")):
        later = range(y, N_YEARS) if shock[h, y] == "illness" else [y]
        for year in later:
            extra = SHOCK_CAUSES[shock[h, y]]
            if extra not in risk[h, year]:
                risk[h, year] = f"{risk[h, year]}、{extra}" if risk[h, year] else extra
    return risk


def last_year_per_capita(rng: np.random.Generator, basics: Basics, incomes: Incomes) -> np.ndarray:
    """What a village writes in 上年人均纯收入: mostly in the first year and the year a household joins."""
    n = len(basics.join)
    september = net_cents(incomes.cents[:, 11::12, :]) / 100 / basics.size[:, None]  # (n, 4)
    value = np.concatenate([incomes.per_capita_2017[:, None], np.round(september[:, :-1], 2)], axis=1)
    filled = rng.random((n, N_YEARS)) < np.array([0.85, 0.15, 0.15, 0.15])
    join_year = basics.join // 12
    filled |= np.arange(N_YEARS)[None, :] == join_year[:, None]
    return np.where(filled, value, np.nan)
