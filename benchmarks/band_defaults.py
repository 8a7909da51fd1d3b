"""The first year's band (settings [projection] band_default_low/high) from the backtests of other cities' stores:
per month 1–11, the mean over the fitting stores of their 10th and 90th percentile scaled errors (relative error ×
√(history years + band_history_prior)); then the coverage those defaults give in each backtested year of every store
given (fitting and checking).

Usage: python benchmarks/band_defaults.py --fit A.duckdb B.duckdb ... [--check C.duckdb ...] [--prior 1.5]
(each store after `povmon run` on a city with at least two complete income years).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

QUANTILES = """
SELECT income_month, quantile_cont(e, 0.1) AS low, quantile_cont(e, 0.9) AS high
FROM (SELECT income_month,
             (actual_per_capita - projected_per_capita) / abs(projected_per_capita) * sqrt(history_years + $prior) AS e
      FROM projection_backtest WHERE projected_per_capita <> 0)
GROUP BY income_month ORDER BY income_month"""

COVERAGE = """
SELECT income_year, income_month,
       avg((actual_per_capita BETWEEN projected_per_capita + abs(projected_per_capita) * $low[income_month]
                                                           / sqrt(history_years + $prior)
                                  AND projected_per_capita + abs(projected_per_capita) * $high[income_month]
                                                           / sqrt(history_years + $prior))::INTEGER) AS coverage
FROM projection_backtest GROUP BY ALL ORDER BY ALL"""


def fitted_defaults(stores: list[Path], prior: float, widest: bool = False) -> tuple[list[float], list[float]]:
    """The mean over the stores of each month's 10th and 90th percentile scaled errors, to 2 decimals."""
    lows: dict[int, list[float]] = {}
    highs: dict[int, list[float]] = {}
    for store in stores:
        with duckdb.connect(str(store), read_only=True) as con:
            for month, low, high in con.execute(QUANTILES, {"prior": prior}).fetchall():
                lows.setdefault(month, []).append(low)
                highs.setdefault(month, []).append(high)
    months = range(1, 12)
    if widest:
        return [round(min(lows[m]), 2) for m in months], [round(max(highs[m]), 2) for m in months]
    return ([round(sum(lows[m]) / len(lows[m]), 2) for m in months],
            [round(sum(highs[m]) / len(highs[m]), 2) for m in months])


def coverage_by_year(store: Path, low: list[float], high: list[float], prior: float) -> dict[int, list[float]]:
    """Each backtested year's coverage by month 1–11 had every household the default band."""
    with duckdb.connect(str(store), read_only=True) as con:
        rows = con.execute(COVERAGE, {"low": low, "high": high, "prior": prior}).fetchall()
    years: dict[int, list[float]] = {}
    for year, _month, coverage in rows:
        years.setdefault(year, []).append(coverage)
    return years


def main(argv: list[str] | None = None) -> int:
    """Fit the defaults, print them as TOML and the coverage they give in every store's years."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit", type=Path, nargs="+", required=True)
    parser.add_argument("--check", type=Path, nargs="*", default=[])
    parser.add_argument("--prior", type=float, default=1.5)
    parser.add_argument("--widest", action="store_true", help="the widest store's quantile each month, not the mean")
    args = parser.parse_args(argv)
    low, high = fitted_defaults(args.fit, args.prior, args.widest)
    print(f"band_default_low = {low}\nband_default_high = {high}")
    for label, stores in (("fit", args.fit), ("check", args.check)):
        for store in stores:
            for year, coverage in coverage_by_year(store, low, high, args.prior).items():
                inside = sum(0.75 <= c <= 0.85 for c in coverage)
                cells = " ".join(f"{100 * c:.1f}" for c in coverage)
                print(f"{label:5} {store.parent.name:>12} {year}: {inside:>2}/11 in 75-85 %: {cells}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
