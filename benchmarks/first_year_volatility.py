"""Whether a city's own year-over-year volatility predicts how wide its first backtested year's band should be (issue
17: the first year's band is a default from other cities, and one default fits the two calendar mixes only as
well as their errors agree).

Per store and month 1–11 of its first backtested year it prints the 10–90 % spread of the scaled errors (as
projection_bands scales them, with the shipped settings), the mean over its counties of their year-over-year
spread (the 10–90 % spread of the households' log(year-to-date per-capita ÷ the same month's a year before), as
each month was run: sql/marts/backtest_spreads.sql, which the first year's band is in proportion to), and their
ratio. Where the ratio is steadier across cities than the spread, a default in ratio units, × the county's own
year-over-year spread, fits a city the default was not fitted on (band_default_spread_low/high).

Usage: python benchmarks/first_year_volatility.py A.duckdb B.duckdb ... (stores after `povmon run`)
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks import band_defaults  # noqa: E402
from core.settings import Settings, load_settings  # noqa: E402

def first_year_spreads(store: Path, settings: Settings) -> pl.DataFrame:
    """By month of the store's first backtested year: the scaled errors' and the year-over-year 10–90 % spreads."""
    errors = band_defaults.scaled(
        band_defaults.backtest_errors(store, settings, settings.band_remaining_power),
        list(settings.band_history_prior))
    first = errors.filter(pl.col("year") == errors["year"].min())
    spread = first.group_by("month").agg(
        spread=pl.col("scaled").quantile(0.9, "linear") - pl.col("scaled").quantile(0.1, "linear"))
    volatility = (first.group_by("county_code", "month").agg(pl.col("spread").first())
                  .group_by("month").agg(year_over_year=pl.col("spread").mean()))
    return (spread.join(volatility, on="month").sort("month")
            .with_columns(ratio=pl.col("spread") / pl.col("year_over_year")))


def main(argv: list[str] | None = None) -> int:
    """Print each store's spreads and ratio by month, then each month's variation across the stores."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stores", type=Path, nargs="+")
    args = parser.parse_args(argv)
    settings = load_settings(None, environ={})
    frames = {store: first_year_spreads(store, settings) for store in args.stores}
    for column in ("spread", "year_over_year", "ratio"):
        print(f"{column} by month 1–11")
        for store, frame in frames.items():
            print(f"  {str(store):>50}: " + " ".join(f"{v:.2f}" for v in frame[column]))
        values = pl.concat([f.select("month", column) for f in frames.values()])
        variation = values.group_by("month").agg((pl.col(column).std() / pl.col(column).mean()).alias("cv"))
        print(f"  {'coefficient of variation across stores':>50}: "
              + " ".join(f"{v:.2f}" for v in variation.sort("month")["cv"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
