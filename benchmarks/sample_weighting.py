"""How often the spot-check draw picks a signalled village, a flagged village and a quiet one, over many seeds.

A county like those of the `city` scale (150 villages of 30–80 households, one with THRESHOLD_BUNCHING, one
with IDENTICAL_ROWS, a third of villages with many flagged households), drawn with the default settings.
Run: PYTHONPATH=. python benchmarks/sample_weighting.py [seeds] [villages]
"""
from __future__ import annotations

import sys

import numpy as np
import polars as pl

from core.settings import load_settings
from tasks.sample.draw import draw_county


def county_frames(villages_count: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Villages 0 and 1 signalled; every third village has 60 % flagged households, the others 15 %."""
    rng = np.random.default_rng(0)
    villages, households = [], []
    for i in range(villages_count):
        code = f"430521{i // 12 + 1:03d}{i % 12 + 1:03d}"
        size = int(rng.integers(30, 81))
        share = 0.6 if i % 3 == 2 else 0.15
        flags = ["BELOW_LINE" if rng.random() < share else "" for _ in range(size)]
        villages.append({"county_code": "430521", "township_code": code[:9], "village_code": code,
                         "is_management_area": False, "households_count": size,
                         "flagged_count": sum(f != "" for f in flags), "has_bunching": i == 0,
                         "has_identical_rows": i == 1, "has_missing_return": False})
        households += [{"county_code": "430521", "township_code": code[:9], "village_code": code,
                        "household_id": f"{code}{j + 1:04d}", "data_period": "202003", "flags": f,
                        "flag_count": int(f != "")} for j, f in enumerate(flags)]
    return pl.DataFrame(villages), pl.DataFrame(households)


def main(seeds: int = 1000, villages_count: int = 150) -> None:
    """Print inclusion rates by kind of village and the flagged share of drawn households."""
    spot_check = load_settings(None, environ={}).spot_check
    villages, households = county_frames(villages_count)
    codes = villages["village_code"].to_list()
    kinds = {c: "signalled" if i < 2 else "many flags (60%)" if i % 3 == 2 else "quiet (15%)"
             for i, c in enumerate(codes)}
    hits = {c: 0 for c in codes}
    flagged = drawn = 0
    for seed in range(seeds):
        sample = draw_county("430521", villages, households, spot_check, seed)
        for code in sample["village_code"].unique():
            hits[code] += 1
        flagged += int((sample["flags"] != "").sum())
        drawn += sample.height
    print(f"{villages_count} villages, {seeds} seeds, weights {spot_check}")
    for kind in ("signalled", "many flags (60%)", "quiet (15%)"):
        rates = [hits[c] / seeds for c in codes if kinds[c] == kind]
        print(f"  {kind:18s} {len(rates):4d} villages: drawn in {100 * np.mean(rates):5.1f}% of draws "
              f"(min {100 * min(rates):.1f}%)")
    share = (households["flags"] != "").mean()
    print(f"  flagged households: {100 * share:.1f}% of the county, {100 * flagged / drawn:.1f}% of those drawn")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
