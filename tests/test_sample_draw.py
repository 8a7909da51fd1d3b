"""The spot-check draw on hand-made frames: minimums, small counties, reproducibility, the weighting."""
from __future__ import annotations

import numpy as np
import polars as pl

from core.settings import load_settings
from tasks.sample.draw import draw_sample, spread_quotas, weighted_order

SPOT_CHECK = load_settings(None, environ={}).spot_check
FLAG_CYCLE = ["", "", "BELOW_LINE", "", "NEAR_LINE;SUDDEN_DROP", ""]  # a third of households flagged


def county_frames(county: str, sizes: list[int], management_area: bool = False,
                  signals: dict[int, str] | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Village and household frames (as sql/sample/*.sql give them) of one county: village i has sizes[i]
    households; signals maps a village index to 'bunching' / 'identical'."""
    signals = signals or {}
    villages, households = [], []
    for i, size in enumerate(sizes):
        village = f"{county}{i // 10 + 1:03d}{i % 10 + 1:03d}"
        flags = [FLAG_CYCLE[(i + j) % len(FLAG_CYCLE)] for j in range(size)]
        households += [{"county_code": county, "township_code": village[:9], "village_code": village,
                        "household_id": f"{village}{j + 1:04d}", "data_period": "202003", "flags": f,
                        "flag_count": len(f.split(";")) if f else 0} for j, f in enumerate(flags)]
        villages.append({"county_code": county, "township_code": village[:9], "village_code": village,
                         "is_management_area": management_area, "households_count": size,
                         "flagged_count": sum(f != "" for f in flags),
                         "has_bunching": signals.get(i) == "bunching",
                         "has_identical_rows": signals.get(i) == "identical", "has_missing_return": False})
    return pl.DataFrame(villages), pl.DataFrame(households)


def city_frames() -> tuple[pl.DataFrame, pl.DataFrame]:
    """A county of 40 villages with one bunching and one identical-rows village, a management area of 15,
    a county with fewer households than its minimum, and one with fewer villages than its minimum."""
    parts = [county_frames("430521", [20 + (7 * i) % 30 for i in range(40)], signals={3: "bunching", 17: "identical"}),
             county_frames("430571", [15 + (5 * i) % 20 for i in range(15)], management_area=True),
             county_frames("430522", [12, 30, 25, 40, 18, 9, 11, 20]),           # 165 households in 8 villages
             county_frames("430523", [80, 90, 70, 60, 100, 50])]                 # 450 households in 6 villages
    return pl.concat([v for v, _ in parts]), pl.concat([h for _, h in parts])


def per_county(sample: pl.DataFrame) -> dict[str, tuple[int, int]]:
    """county -> (households, villages) drawn."""
    grouped = sample.group_by("county_code").agg(pl.len().alias("h"), pl.col("village_code").n_unique().alias("v"))
    return {r["county_code"]: (r["h"], r["v"]) for r in grouped.iter_rows(named=True)}


def test_minimums_met_per_county_and_management_area():
    villages, households = city_frames()
    sample = draw_sample(villages, households, SPOT_CHECK, seed=7)
    counts = per_county(sample)
    assert counts["430521"] == (200, 10)
    assert counts["430571"][0] == 100 and counts["430571"][1] >= 5   # a 6th village when 5 small ones fall short
    assert counts["430522"] == (165, 8)    # fewer households than 200: every one, from every village
    assert counts["430523"] == (200, 6)    # fewer villages than 10: every village, 200 households spread
    for seed in range(30):
        counts = per_county(draw_sample(villages, households, SPOT_CHECK, seed))
        assert counts["430521"][0] == 200 and counts["430521"][1] >= 10
        assert counts["430571"][0] == 100 and counts["430571"][1] >= 5


def test_small_villages_draw_further_villages_until_enough_households():
    villages, households = county_frames("430521", [8] * 40)   # 10 villages hold only 80 households
    sample = draw_sample(villages, households, SPOT_CHECK, seed=3)
    assert per_county(sample)["430521"] == (200, 25)
    assert sample.group_by("village_code").len()["len"].to_list() == [8] * 25


def test_whole_county_is_said_so():
    villages, households = county_frames("430522", [12, 30, 25])
    sample = draw_sample(villages, households, SPOT_CHECK, seed=1)
    assert sample.height == 67 and sample["is_whole_county"].all()
    assert sample["reason"][0] == "全县（区）仅67户，不足最低抽查200户，全部抽取"


def test_households_spread_evenly_across_drawn_villages():
    assert spread_quotas([30, 30, 30, 30, 30, 30, 30, 30, 30, 30], 200) == [20] * 10
    assert spread_quotas([5, 40, 40], 61) == [5, 28, 28]
    assert spread_quotas([10, 10, 10], 7) == [3, 2, 2]


def test_same_seed_same_sample_whatever_the_row_order():
    villages, households = city_frames()
    first = draw_sample(villages, households, SPOT_CHECK, seed=7)
    shuffled = draw_sample(villages.sample(fraction=1.0, shuffle=True, seed=1),
                           households.sample(fraction=1.0, shuffle=True, seed=2), SPOT_CHECK, seed=7)
    assert first.equals(shuffled)
    other = draw_sample(villages, households, SPOT_CHECK, seed=8)
    assert set(other["household_id"]) != set(first["household_id"])


def test_one_county_draw_is_its_part_of_the_city_draw():
    villages, households = city_frames()
    city = draw_sample(villages, households, SPOT_CHECK, seed=11)
    alone = draw_sample(villages.filter(pl.col("county_code") == "430571"),
                        households.filter(pl.col("county_code") == "430571"), SPOT_CHECK, seed=11)
    assert alone.equals(city.filter(pl.col("county_code") == "430571"))


def test_signalled_villages_and_flagged_households_drawn_more_often_over_many_seeds():
    villages, households = county_frames("430521", [20 + (7 * i) % 30 for i in range(40)],
                                         signals={3: "bunching", 17: "identical"})
    seeds = range(300)
    drawn = pl.concat([draw_sample(villages, households, SPOT_CHECK, seed)
                       .select("village_code", "household_id", "flags").with_columns(seed=pl.lit(s))
                       for s, seed in enumerate(seeds)])
    rate = (drawn.unique(["seed", "village_code"]).group_by("village_code").len()
            .with_columns(rate=pl.col("len") / len(seeds)))
    rates = dict(zip(rate["village_code"], rate["rate"]))
    signalled = [villages["village_code"][3], villages["village_code"][17]]
    unflagged = [v for v in villages["village_code"] if v not in signalled]
    mean_unflagged = sum(rates.get(v, 0.0) for v in unflagged) / len(unflagged)
    assert min(rates[v] for v in signalled) > 0.95
    assert 0.15 < mean_unflagged < 0.3             # 8 of the 10 places left for 38 villages
    frame_share = (households["flags"] != "").mean()
    assert (drawn["flags"] != "").mean() > frame_share + 0.15   # flagged households over-represented


def test_weighted_order_follows_the_weights():
    """First pick of a weighted draw: probability proportional to weight (here 1:3)."""
    firsts = [weighted_order(np.random.default_rng(s), np.array([1.0, 3.0]))[0] for s in range(4000)]
    assert abs(np.mean(firsts) - 0.75) < 0.03


def test_villages_with_many_flagged_households_drawn_more_often():
    villages, households = county_frames("430521", [30] * 40)
    flagged = villages["village_code"].to_list()[::2]
    households = households.with_columns(   # every household of every other village flagged, none elsewhere
        flags=pl.when(pl.col("village_code").is_in(flagged)).then(pl.lit("BELOW_LINE")).otherwise(pl.lit("")))
    households = households.with_columns(flag_count=(pl.col("flags") != "").cast(pl.Int64))
    villages = villages.with_columns(
        flagged_count=pl.when(pl.col("village_code").is_in(flagged)).then(30).otherwise(0))
    hits = {"flagged": 0, "quiet": 0}
    for seed in range(300):
        for village in draw_sample(villages, households, SPOT_CHECK, seed)["village_code"].unique():
            hits["flagged" if village in flagged else "quiet"] += 1
    assert hits["flagged"] > 2 * hits["quiet"]     # weight 1 + 4 × 100 % = 5 against 1
