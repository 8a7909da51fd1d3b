"""Village anomalies planted in the figures themselves (threshold bunching, identical rows); natural outliers tamed."""
from __future__ import annotations

import numpy as np

from povmon.synth.households import VillageData
from povmon.synth.incomes import net_cents, ytd_cents
from povmon.synth.schema import FIRST_INCOME_YEAR, LINE, N_YEARS

LINES = np.array([LINE[FIRST_INCOME_YEAR + y] for y in range(N_YEARS)])
IDENTICAL_HOUSEHOLDS = 8


def year_end_per_capita(data: VillageData) -> np.ndarray:
    """Per-capita net income at each September (n, 4)."""
    return net_cents(data.incomes.cents[:, 11::12, :]) / 100 / data.basics.size[:, None]


def plant_bunching(rng: np.random.Generator, data: VillageData, profiles: np.ndarray) -> list[int]:
    """Nudge every household near the line (and enough others) to 3-7 % above it, every year and month."""
    # Bunched households follow the county's seasonal profile exactly, with the village's overall mix of
    # income sources, so any projection learned from the county's earlier years lands them just above
    # the line; nobody is left just below it.
    n = len(data.household_ids)
    ratio = year_end_per_capita(data) / LINES[None, :]
    near = ((ratio >= 0.75) & (ratio <= 1.3)).any(axis=1)
    chosen = list(np.nonzero(near)[0])
    need = max(16, int(np.ceil(0.25 * n)))
    others = [h for h in np.argsort(ratio.min(axis=1), kind="stable") if not near[h]]
    chosen += [h for h in others if ratio[h].min() > 1.3][: max(0, need - len(chosen))]
    chosen = sorted(int(h) for h in chosen)
    size = data.basics.size
    mix = data.incomes.annual.sum(axis=0)  # (4, 5): the village's income sources per year
    mix_net = mix[:, :4].sum(axis=1) - mix[:, 4]
    monthly = np.zeros((len(chosen), N_YEARS, 12, 5))
    for i, h in enumerate(chosen):
        for y in range(N_YEARS):
            target = LINES[y] * rng.uniform(1.03, 1.07) * size[h]
            monthly[i, y] = (target / mix_net[y]) * mix[y][None, :] * profiles.T
    data.incomes.cents[chosen] = ytd_cents(monthly)
    data.incomes.shock[chosen] = ""
    data.incomes.per_capita_2017[chosen] = np.round(year_end_per_capita(data)[chosen, 0] / 1.05, 2)
    refresh_last_year(data, chosen)
    return chosen


def plant_identical(rng: np.random.Generator, data: VillageData) -> list[int]:
    """Copy one household's figures onto seven others of about its size, every period (copy and paste)."""
    cents, size = data.incomes.cents, data.basics.size
    eligible = np.nonzero((data.basics.join == 0) & (cents[:, :, :2].min(axis=(1, 2)) > 0)
                          & (cents[:, 2, 2] > 0))[0]
    template = int(rng.choice(eligible))
    others = np.array([h for h in eligible if h != template])
    closeness = np.lexsort((rng.random(len(others)), np.abs(size[others] - size[template])))
    chosen = sorted([template] + [int(h) for h in others[closeness][: IDENTICAL_HOUSEHOLDS - 1]])
    cents[chosen] = cents[template]
    data.incomes.shock[chosen] = ""
    refresh_last_year(data, chosen)
    return chosen


def refresh_last_year(data: VillageData, households: list[int]) -> None:
    """Recompute the 上年人均纯收入 values a village writes after its figures changed."""
    september = year_end_per_capita(data)
    for h in households:
        values = np.concatenate([[data.incomes.per_capita_2017[h]], np.round(september[h, :-1], 2)])
        filled = ~np.isnan(data.last_year_pc[h])
        data.last_year_pc[h] = np.where(filled, values, np.nan)


def tame_outliers(data: VillageData, k: float = 6.0, margin: float = 0.8) -> list[int]:
    """Scale down the few households whose per-capita YTD income passes median + k x 1.4826 x MAD."""
    # Only planted rows should raise ROW_OUTLIER (policy setting outlier_mad_k = 6), so natural extremes
    # are kept within `margin` of the limit in every period; scaling a whole series keeps it non-decreasing.
    cents, size = data.incomes.cents, data.basics.size
    present = data.basics.join[:, None] <= np.arange(cents.shape[1])[None, :]
    per_capita = np.where(present, net_cents(cents) / size[:, None], np.nan)
    median = np.nanmedian(per_capita, axis=0)
    mad = np.nanmedian(np.abs(per_capita - median), axis=0)
    limit = median + margin * k * 1.4826 * mad
    over = np.where(present & (per_capita > limit), limit / np.where(per_capita > 0, per_capita, 1), 1.0)
    factor = over.min(axis=1)
    scaled = [int(h) for h in np.nonzero(factor < 1)[0]]
    for h in scaled:
        cents[h] = (np.round(cents[h] * factor[h] / 100) * 100).astype(np.int64)
        data.incomes.per_capita_2017[h] = round(float(data.incomes.per_capita_2017[h] * factor[h]), 2)
    refresh_last_year(data, scaled)
    return scaled
