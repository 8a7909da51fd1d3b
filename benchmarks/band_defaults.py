"""The band's settings ([projection] band_history_prior, band_default_low/high) fitted on other cities' backtests, and
the coverage they give in every backtested year of every store given (fitting and checking).

- The history prior by month (`--fit-prior`): a line from month 1 to month 11, the one of a grid that puts the
  fitting stores' coverage nearest `band_coverage` (least squares over their years × months): their learned years
  with each county's 10th–90th percentile scaled errors of its previous backtested year (as projection_bands holds
  them), their first years with the defaults below fitted for that prior. Without it, `--prior` (one number or 11;
  default: the shipped settings').
- The remaining-share power is not fitted (`--power`; default the shipped settings'): on the synthetic cities every
  power from 0.5 to 2 fits better than 0, and none clearly better than another; 1 says the error is in proportion
  to what is still to come.
- The first year's band: per month 1–11, the mean over the fitting stores of their first backtested year's 10th and
  90th percentile scaled errors (`scaled`): the years a default stands in for, when households have one year of
  history (band_default_low/high); and the same in units of each county's year-over-year spread at the month
  (band_default_spread_low/high: the mean over the stores of the mean over their counties of quantile ÷ spread,
  the spread as the pipeline measures it, sql/marts/backtest_spreads.sql). The first year's coverage printed is
  with the per-spread defaults where a county has a spread, the constant ones elsewhere.

The coverage printed is the pipeline's but for the new households' own band (band_min_new_households), which it
leaves out: the first year with the default band (as the pipeline's, to 0.05 point, on six synthetic cities), each
later year with the band learned from the year before (up to 1.7 points from the pipeline's there).

Usage: python benchmarks/band_defaults.py --fit A.duckdb B.duckdb ... [--check C.duckdb ...] [--fit-prior]
(each store after `povmon run` on a city with at least two complete income years).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb
import polars as pl

from core import db
from core.settings import Settings, load_settings
from tasks.marts.project import festival_months_frame

MONTHS = list(range(1, 12))
ERRORS = """
SELECT county_code, income_year AS year, income_month::INTEGER AS month, history_years,
       (actual_per_capita - projected_per_capita) / abs(projected_per_capita) AS relative_error,
       CASE WHEN projected_per_capita > 0 THEN 1 - ytd_per_capita / projected_per_capita ELSE 1 END AS remaining
FROM projection_backtest WHERE projected_per_capita <> 0"""
FIRST_GRID = [1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 5.0, 6.0, 8.0]
LAST_GRID = [0.25, 0.5, 0.75, 1.0, 1.5, 2.0]


def backtest_errors(store: Path, settings: Settings, power: float) -> pl.DataFrame:
    """A store's backtest: one row per household × year × month 1–11 with its relative error, its share still to
    come (at least band_remaining_min) ^ power, the band's remaining-share factor, and in its county's first
    backtested year its county's year-over-year spread for that month (NULL elsewhere, or where measured on fewer
    than band_spread_min_households households), as the pipeline measures them with these settings (the spreads as
    the store's backtest measured them, with its runs' band_spread_min_households)."""
    with duckdb.connect(str(store), read_only=True) as con:
        con.execute(db.sql_text("schema/006_projection_macros").replace(" MACRO ", " TEMP MACRO "))
        con.register("festival_months", festival_months_frame(settings))
        db.run(con, "marts/backtest_spreads")  # the spreads the store measured with its runs' settings
        errors = con.sql(ERRORS).pl()
        spreads = con.sql("SELECT county_code, income_year AS year, income_month::INTEGER AS month, spread "
                          "FROM backtest_spreads").pl()
    # backtest_spreads holds only the months with no learned band: each county's first backtested year
    return errors.join(spreads, on=["county_code", "year", "month"], how="left").with_columns(
        remaining_factor=pl.col("remaining").clip(settings.band_remaining_min, 1.0).pow(power))


def scaled(errors: pl.DataFrame, priors: list[float]) -> pl.DataFrame:
    """The errors with their scaled error: relative error × √(history years + the month's prior) ÷ the
    remaining-share factor (the pipeline's projection_bands.sql)."""
    by_month = pl.DataFrame({"month": MONTHS, "prior": priors}, schema={"month": pl.Int32, "prior": pl.Float64})
    return errors.join(by_month, on="month").with_columns(
        scaled=pl.col("relative_error") * (pl.col("history_years") + pl.col("prior")).sqrt()
        / pl.col("remaining_factor"))


def quantiles(frame: pl.DataFrame, keys: list[str], tail: float) -> pl.DataFrame:
    """The low and high quantile of the scaled errors per key, widened to hold 0 (the band holds the estimate)."""
    return frame.group_by(keys).agg(low=pl.col("scaled").quantile(tail, "linear").clip(upper_bound=0),
                                    high=pl.col("scaled").quantile(1 - tail, "linear").clip(lower_bound=0))


def learned_coverage(frame: pl.DataFrame, tail: float) -> pl.DataFrame:
    """Coverage by year × month of each year after the first, its band each county's quantiles of the year before."""
    bands = quantiles(frame, ["county_code", "year", "month"], tail).with_columns(year=pl.col("year") + 1)
    return covered(frame.join(bands, on=["county_code", "year", "month"]))


def covered(frame: pl.DataFrame) -> pl.DataFrame:
    """Share of rows whose scaled error lies in [low, high], by year × month."""
    return (frame.with_columns(inside=pl.col("scaled").is_between(pl.col("low"), pl.col("high")))
            .group_by("year", "month").agg(coverage=pl.col("inside").mean()).sort("year", "month"))


def fitted_prior(stores: list[pl.DataFrame], target: float, tail: float) -> list[float]:
    """The month-1-to-month-11 line of the grid whose coverage (learned years, and first years with the defaults
    fitted for it) is nearest the target over the stores' years × months."""
    def misfit(first: float, last: float) -> float:
        priors = line(first, last)
        low, high = fitted_defaults(stores, priors, tail)
        return sum((c - target) ** 2 for s in stores
                   for year in coverage_by_year(s, priors, low, high, tail).values() for c in year)
    return line(*min(((f, t) for f in FIRST_GRID for t in LAST_GRID), key=lambda ft: misfit(*ft)))


def line(first: float, last: float) -> list[float]:
    """11 monthly priors from first (month 1) to last (month 11), to 3 decimals."""
    return [round(first + (last - first) * (m - 1) / 10, 3) for m in MONTHS]


def fitted_defaults(stores: list[pl.DataFrame], priors: list[float], tail: float) -> tuple[list[float], list[float]]:
    """The mean over the stores of their first backtested year's quantiles by month, to 2 decimals."""
    firsts = [scaled(s, priors).filter(pl.col("year") == s["year"].min()) for s in stores]
    means = pl.concat([quantiles(f, ["month"], tail) for f in firsts]).group_by("month").mean().sort("month")
    return [round(v, 2) for v in means["low"]], [round(v, 2) for v in means["high"]]


def fitted_spread_defaults(stores: list[pl.DataFrame], priors: list[float], tail: float
                           ) -> tuple[list[float], list[float]]:
    """By month, the mean over the stores of the mean over their counties of the first year's quantiles ÷ the
    county's year-over-year spread, to 2 decimals (the first year's band in units of the spread)."""
    ratios = []
    for errors in stores:
        first = scaled(errors, priors).filter(pl.col("spread").is_not_null())
        per_county = quantiles(first, ["county_code", "month"], tail).join(
            first.group_by("county_code", "month").agg(pl.col("spread").first()), on=["county_code", "month"])
        ratios.append(per_county.group_by("month").agg((pl.col("low") / pl.col("spread")).mean(),
                                                       (pl.col("high") / pl.col("spread")).mean()))
    means = pl.concat(ratios).group_by("month").mean().sort("month")
    return [round(v, 2) for v in means["low"]], [round(v, 2) for v in means["high"]]


def coverage_by_year(errors: pl.DataFrame, priors: list[float], low: list[float], high: list[float],
                     tail: float, per_spread: tuple[list[float], list[float]] | None = None) -> dict[int, list[float]]:
    """Each backtested year's coverage by month 1–11: the first year's with the default band (per_spread × the
    county's spread where it has one, as default_scaled_error), later ones learned."""
    frame = scaled(errors, priors)
    defaults = pl.DataFrame({"month": MONTHS, "low": low, "high": high}, schema_overrides={"month": pl.Int32})
    first = frame.filter(pl.col("year") == frame["year"].min()).join(defaults, on="month")
    if per_spread:
        ratios = pl.DataFrame({"month": MONTHS, "rl": per_spread[0], "rh": per_spread[1]},
                              schema_overrides={"month": pl.Int32})
        first = first.join(ratios, on="month").with_columns(
            low=pl.coalesce(pl.col("rl") * pl.col("spread"), pl.col("low")),
            high=pl.coalesce(pl.col("rh") * pl.col("spread"), pl.col("high"))).drop("rl", "rh")
    years: dict[int, list[float]] = {}
    for year, _month, coverage in pl.concat([covered(first), learned_coverage(frame, tail)]).sort("year", "month").rows():
        years.setdefault(year, []).append(coverage)
    return years


def main(argv: list[str] | None = None) -> int:
    """Fit the prior (or take it) and the defaults, print them as TOML and the coverage they give."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit", type=Path, nargs="+", required=True)
    parser.add_argument("--check", type=Path, nargs="*", default=[])
    parser.add_argument("--prior", type=float, nargs="+", help="one number (every month) or 11")
    parser.add_argument("--fit-prior", action="store_true", help="fit the history prior by month (a line)")
    parser.add_argument("--power", type=float, help="band_remaining_power (default: the shipped settings')")
    args = parser.parse_args(argv)
    settings = load_settings(None, environ={})
    power = settings.band_remaining_power if args.power is None else args.power
    tail = (1 - settings.band_coverage) / 2
    fit = [backtest_errors(s, settings, power) for s in args.fit]
    priors = list(settings.band_history_prior) if not args.prior else args.prior * (11 // len(args.prior))
    if len(priors) != 11:
        parser.error("--prior takes one number or 11")
    if args.fit_prior:
        priors = fitted_prior(fit, settings.band_coverage, tail)
    low, high = fitted_defaults(fit, priors, tail)
    per_spread = fitted_spread_defaults(fit, priors, tail)
    print(f"band_history_prior = {priors}\nband_default_low = {low}\nband_default_high = {high}\n"
          f"band_default_spread_low = {per_spread[0]}\nband_default_spread_high = {per_spread[1]}")
    checks = (backtest_errors(s, settings, power) for s in args.check)
    for label, stores, frames in (("fit", args.fit, fit), ("check", args.check, checks)):
        for store, errors in zip(stores, frames):
            for year, coverage in coverage_by_year(errors, priors, low, high, tail, per_spread).items():
                inside = sum(0.75 <= c <= 0.85 for c in coverage)
                cells = " ".join(f"{100 * c:.1f}" for c in coverage)
                print(f"{label:5} {str(store.parent.name):>12} {year}: {inside:>2}/11 in 75-85 %: {cells}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
