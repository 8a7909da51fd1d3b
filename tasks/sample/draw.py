"""City spot checks (市级抽查): a reproducible, risk-weighted draw of villages, then households within them."""
from __future__ import annotations

import numpy as np
import polars as pl

from tasks.report.labels import label_code

SAMPLE_SCHEMA = {
    "county_code": pl.Utf8, "township_code": pl.Utf8, "village_code": pl.Utf8, "household_id": pl.Utf8,
    "data_period": pl.Utf8, "flags": pl.Utf8, "village_signals": pl.Utf8, "village_rank": pl.Int32,
    "village_weight": pl.Float64, "household_weight": pl.Float64, "is_whole_county": pl.Boolean,
    "reason": pl.Utf8,
}


def minimums_for(spot_check: dict, is_management_area: bool) -> tuple[int, int]:
    """The (households, villages) a county must reach: smaller for a management area (管理区)."""
    prefix = "management_area_" if is_management_area else ""
    return int(spot_check[f"{prefix}min_households"]), int(spot_check[f"{prefix}min_villages"])


def weigh_villages(villages: pl.DataFrame, spot_check: dict) -> pl.DataFrame:
    """Each village's draw weight and its signal codes (README, City spot checks)."""
    return villages.with_columns(
        village_weight=1.0
        + spot_check["signal_weight"] * (pl.col("has_bunching").cast(pl.Float64)
                                         + pl.col("has_identical_rows").cast(pl.Float64))
        + spot_check["missing_return_weight"] * pl.col("has_missing_return").cast(pl.Float64)
        + spot_check["flagged_share_weight"] * pl.col("flagged_count") / pl.col("households_count"),
        village_signals=pl.concat_str([
            pl.when(pl.col("has_bunching")).then(pl.lit("THRESHOLD_BUNCHING")),
            pl.when(pl.col("has_identical_rows")).then(pl.lit("IDENTICAL_ROWS")),
            pl.when(pl.col("has_missing_return")).then(pl.lit("MISSING_RETURN"))], separator=";", ignore_nulls=True),
    )


def weighted_order(rng: np.random.Generator, weights: np.ndarray) -> np.ndarray:
    """Indices in the order of a weighted draw without replacement (Efraimidis–Spirakis keys u^(1/w));
    the first k are a weighted sample of k. Ties (never in practice) go to the earlier index."""
    keys = np.log(rng.random(len(weights))) / weights  # log of u^(1/w): same order, no underflow
    return np.lexsort((np.arange(len(weights)), -keys))


def spread_quotas(sizes: list[int], target: int) -> list[int]:
    """Households per drawn village (in draw order): as even as the villages' sizes allow, the odd ones
    to the villages drawn first, until target (or every household) is reached."""
    quotas = [0] * len(sizes)
    remaining = min(target, sum(sizes))
    while remaining > 0:
        open_ = [i for i, size in enumerate(sizes) if quotas[i] < size]
        share = remaining // len(open_)
        if share == 0:
            for i in open_[:remaining]:
                quotas[i] += 1
            break
        for i in open_:
            given = min(share, sizes[i] - quotas[i])
            quotas[i] += given
            remaining -= given
    return quotas


def explain(village: dict, household: dict, whole: tuple[int, int] | None) -> str:
    """Why a household was drawn, in Chinese for the check teams."""
    if whole:
        return f"全县（区）仅{whole[0]}户，不足最低抽查{whole[1]}户，全部抽取"
    signals = [label_code(c) for c in village["village_signals"].split(";") if c]
    share = village["flagged_count"] / village["households_count"]
    village_why = "、".join(signals + [f"标记户占{share:.0%}"])
    flags = "、".join(label_code(c) for c in household["flags"].split(";") if c) or "随机"
    return (f"村：{village_why}（权重{village['village_weight']:.1f}，第{village['village_rank']}个入选）；"
            f"户：{flags}（权重{household['household_weight']:.0f}）")


def draw_county(county_code: str, villages: pl.DataFrame, households: pl.DataFrame, spot_check: dict,
                seed: int) -> pl.DataFrame:
    """One county's sample: weighted villages until both minimums are met, then weighted households
    spread evenly across them; every household when the county has fewer than its minimum."""
    villages = weigh_villages(villages.sort("village_code"), spot_check)
    min_households, min_villages = minimums_for(spot_check, bool(villages["is_management_area"][0]))
    total = int(villages["households_count"].sum())
    whole = (total, min_households) if total <= min_households else None
    order = weighted_order(np.random.default_rng([seed, int(county_code)]), villages["village_weight"].to_numpy())
    ranked = villages[order].with_columns(village_rank=pl.int_range(1, villages.height + 1, dtype=pl.Int32))
    sizes = ranked["households_count"].to_list()
    taken = min(min_villages, len(sizes))
    target = total if whole else max(min_households, taken)
    while sum(sizes[:taken]) < target:  # small villages: draw further down the order until enough households
        taken += 1
    quotas = spread_quotas(sizes[:taken], target)
    by_village = households.sort("household_id").partition_by("village_code", as_dict=True)
    drawn = []
    for village, quota in zip(ranked.head(taken).iter_rows(named=True), quotas):
        members = by_village[(village["village_code"],)].with_columns(
            household_weight=1.0 + spot_check["household_flag_weight"] * pl.col("flag_count"))
        rng = np.random.default_rng([seed, int(county_code), int(village["village_code"])])
        picked = members[weighted_order(rng, members["household_weight"].to_numpy())[:quota]]
        for household in picked.iter_rows(named=True):
            drawn.append({**{k: village[k] for k in ("county_code", "township_code", "village_code",
                                                      "village_signals", "village_rank", "village_weight")},
                          **{k: household[k] for k in ("household_id", "data_period", "flags", "household_weight")},
                          "is_whole_county": whole is not None, "reason": explain(village, household, whole)})
    return pl.DataFrame(drawn, schema=SAMPLE_SCHEMA)


def draw_sample(villages: pl.DataFrame, households: pl.DataFrame, spot_check: dict, seed: int) -> pl.DataFrame:
    """The spot-check sample of every county in the frames. Each county's draw depends only on the seed and
    its own data, so a draw for one county (--county) is that county's part of the city's draw."""
    parts = [draw_county(county, villages.filter(pl.col("county_code") == county),
                         households.filter(pl.col("county_code") == county), spot_check, seed)
             for county in sorted(villages["county_code"].unique().to_list())]
    sample = pl.concat(parts) if parts else pl.DataFrame(schema=SAMPLE_SCHEMA)
    return sample.sort("county_code", "village_rank", "household_id")
