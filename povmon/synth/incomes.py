"""Household incomes: county seasonal profiles, annual levels, shocks, and year-to-date series in cents."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from povmon.synth.schema import LINE, N_YEARS

# months of the income year: index 0 = October ... 11 = September; components in AMOUNT_COLUMNS order
WAGE = np.array([6, 6, 7, 16, 16, 6, 7, 7, 7, 7, 7, 8], float)  # migrants come home at the Spring Festival
AUTUMN_HARVEST = np.array([25, 8, 3, 2, 2, 2, 3, 3, 6, 6, 8, 32], float)
SUMMER_HARVEST = np.array([8, 4, 3, 2, 2, 3, 5, 10, 25, 22, 8, 8], float)
PROPERTY = np.array([4, 4, 60, 4, 4, 4, 4, 4, 4, 4, 2, 2], float)  # rents and dividends in December
TRANSFER = np.array([0, 0, 25, 0, 0, 25, 0, 0, 25, 0, 0, 25], float)  # quarterly, nothing in Oct/Nov
EXPENSE = np.array([3, 3, 3, 3, 5, 30, 30, 8, 5, 4, 3, 3], float)  # spring planting
MONTH_SIGMA = np.array([0.12, 0.12, 0.20, 0.05, 0.15])  # month noise per component
ROUND_CENTS = np.array([100, 100, 1, 50, 100])  # wages etc. in whole yuan, transfers in half yuan
EPIDEMIC_YEAR = 2  # income year 2020


@dataclass
class Incomes:
    """A village's income draws: YTD cents (n, 48, 5), annual levels (n, 4, 5), shocks (n, 4), pc 2017."""

    cents: np.ndarray
    annual: np.ndarray
    shock: np.ndarray
    per_capita_2017: np.ndarray
    archetype: np.ndarray | None = None  # (n,) 'wage type/business type' (calendars.py)


def county_profiles(rng: np.random.Generator) -> np.ndarray:
    """A county's monthly shares (5 components x 12 months), stable across years, each row summing to 1."""
    wage = WAGE * np.exp(rng.normal(0, 0.15, 12))
    wage[3:5] *= rng.uniform(0.6, 1.5)
    autumn = rng.uniform(0.15, 0.85)
    business = (autumn * AUTUMN_HARVEST + (1 - autumn) * SUMMER_HARVEST) * np.exp(rng.normal(0, 0.15, 12))
    prop = PROPERTY * np.exp(rng.normal(0, 0.2, 12))
    prop[2] = rng.uniform(40, 75)
    transfer = TRANSFER * rng.uniform(0.7, 1.3, 12)
    expense = EXPENSE * np.exp(rng.normal(0, 0.15, 12))
    expense[5:7] *= rng.uniform(0.7, 1.3)
    profiles = np.stack([wage, business, prop, transfer, expense])
    return profiles / profiles.sum(axis=1, keepdims=True)


def net_cents(cents: np.ndarray) -> np.ndarray:
    """Net income (wage + business + property + transfer - expense) along the last axis."""
    return cents[..., :4].sum(axis=-1) - cents[..., 4]


def draw_incomes(rng: np.random.Generator, calendars: np.ndarray, size: np.ndarray, labor: np.ndarray,
                 welfare: np.ndarray, low_prob: np.ndarray, village_median: float, growth: float,
                 shocks_on: bool) -> Incomes:
    """Draw every household's whole 4-year monthly series at once along its own calendars (n, years, 12, 5);
    as_of plays no part."""
    n = len(size)
    pc = np.clip(village_median * np.exp(rng.normal(0, 0.3, n)), 0.3 * village_median, 2.0 * village_median)
    low_pc = LINE[2018] * np.exp(rng.uniform(np.log(0.55), np.log(1.35), n))
    pc = np.where(rng.random(n) < low_prob, low_pc, pc)
    weights = np.stack([
        np.where(labor > 0, rng.uniform(0.35, 0.75, n) * (labor / size) ** 0.3, 0.0),
        rng.uniform(0.15, 0.45, n) * np.where(labor > 0, 1.0, 0.3),
        rng.uniform(0.005, 0.03, n),
        np.where(welfare, rng.uniform(0.3, 0.7, n), rng.uniform(0.05, 0.2, n)),
    ], axis=1)
    shares = weights / weights.sum(axis=1, keepdims=True)
    expense_ratio = rng.uniform(0.2, 0.35, n)
    gross = pc * size / (1 - expense_ratio * shares[:, 1])
    base = np.concatenate([gross[:, None] * shares, (gross * expense_ratio * shares[:, 1])[:, None]], axis=1)
    year_noise = np.exp(rng.normal(0, 0.05, (n, N_YEARS)))
    year_noise[:, 0] = 1.0
    level = np.cumprod(np.where(np.arange(N_YEARS) == 0, 1.0, growth) * year_noise, axis=1)
    annual = base[:, None, :] * level[:, :, None] * np.exp(rng.normal(0, 0.04, (n, N_YEARS, 5)))
    noise = np.exp(rng.normal(0, 1, (n, N_YEARS, 12, 5)) * MONTH_SIGMA - MONTH_SIGMA**2 / 2)
    monthly = annual[:, :, None, :] * calendars * noise
    multiplier, shock = draw_shocks(rng, labor, shares[:, 0])
    if shocks_on:
        monthly *= multiplier
    else:
        shock[:] = ""
    cents = ytd_cents(monthly)
    pc18 = net_cents(cents[:, 11, :]) / 100 / size
    pc17 = np.round(pc18 / growth * np.exp(rng.normal(0, 0.05, n)), 2)
    return Incomes(cents, annual, shock, pc17)


def ytd_cents(monthly: np.ndarray) -> np.ndarray:
    """Round monthly yuan (n, years, 12, 5) to each component's unit and sum to YTD cents (n, 48, 5)."""
    units = ROUND_CENTS[None, None, None, :]
    increments = (np.round(monthly * 100 / units) * units).astype(np.int64)
    return np.cumsum(increments, axis=2).reshape(len(monthly), N_YEARS * 12, 5)


def draw_shocks(rng: np.random.Generator, labor: np.ndarray, wage_share: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Illness (wage collapses), job loss, village disasters (business collapses) and the 2020 epidemic
    (migrant wages), each from a month onward."""
    n = len(labor)
    multiplier = np.ones((n, N_YEARS, 12, 5))
    shock = np.full((n, N_YEARS), "", dtype=object)
    months = np.arange(12)
    ill = (rng.random((n, N_YEARS)) < 0.012) & (labor[:, None] > 0)
    ill_start = rng.integers(0, 12, (n, N_YEARS))
    for h, y in zip(*np.nonzero(ill)):
        multiplier[h, y, ill_start[h, y]:, 0] *= 0.08
        multiplier[h, y + 1:, :, 0] *= 0.35
        shock[h, y] = "illness"
    lost = (rng.random((n, N_YEARS)) < 0.02) & (labor[:, None] > 0) & (shock == "")
    lost_start = rng.integers(0, 12, (n, N_YEARS))
    for h, y in zip(*np.nonzero(lost)):
        multiplier[h, y, lost_start[h, y]:, 0] *= 0.2
        shock[h, y] = "job_loss"
    for y in range(N_YEARS):
        struck, start = rng.random() < 0.06, int(rng.integers(0, 12))
        hit = rng.random(n) < 0.45
        if struck:
            multiplier[hit, y, start:, 1] *= rng.uniform(0.05, 0.3, int(hit.sum()))[:, None]
            shock[hit & (shock[:, y] == ""), y] = "disaster"
    migrant = (labor > 0) & (wage_share > 0.45)
    hit = migrant & (rng.random(n) < 0.12)
    start = rng.integers(3, 5, n)
    fall = rng.uniform(0.2, 0.6, n)
    after = months[None, :] >= start[:, None]
    multiplier[hit, EPIDEMIC_YEAR, :, 0] *= np.where(after[hit], fall[hit, None], 1.0)
    multiplier[hit, EPIDEMIC_YEAR + 1, :, 0] *= 0.9
    shock[hit & (shock[:, EPIDEMIC_YEAR] == ""), EPIDEMIC_YEAR] = "epidemic"
    return multiplier, shock
