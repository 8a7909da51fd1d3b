"""Projection: each household's year-end per-capita net income from its year-to-date amounts and the
seasonal shares learned from its county's complete past income years (policy.md, Income)."""
from __future__ import annotations

import duckdb
import polars as pl

from povmon import db
from povmon.settings import Settings

SHARE_COLUMNS = {  # income component -> column of seasonal_shares / default_shares
    "wage_income": "wage_share",
    "business_income": "business_share",
    "property_income": "property_share",
    "transfer_income": "transfer_share",
    "business_expense": "expense_share",
}


def default_shares_frame(settings: Settings) -> pl.DataFrame:
    """The settings' default seasonal shares, one row per month of the income year (1 = October)."""
    columns = {"income_month": list(range(1, 13))}
    for component, column in SHARE_COLUMNS.items():
        shares = settings.default_shares.get(component) or [m / 12 for m in range(1, 13)]
        if len(shares) != 12:
            raise ValueError(f"projection.default_share.{component} needs 12 monthly shares, got {len(shares)}")
        columns[column] = [float(s) for s in shares]
    return pl.DataFrame(columns, schema={"income_month": pl.Int32, **{c: pl.Float64 for c in SHARE_COLUMNS.values()}})


def policy_years_frame(settings: Settings, years: list[int]) -> pl.DataFrame:
    """The line and thresholds in force for each income year given, one row per year."""
    rows = [settings.policy_for(year) for year in sorted(set(years))]
    return pl.DataFrame(rows, schema={"income_year": pl.Int32, "line": pl.Float64, "near_line_factor": pl.Float64,
                                      "drop_threshold": pl.Float64, "bunching_window": pl.Float64,
                                      "bunching_min_near": pl.Int32, "bunching_p_value": pl.Float64,
                                      "identical_min_households": pl.Int32})


def register_settings(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """Register the settings frames the marts read: default_shares and policy_years (every year on record)."""
    years = [int(y) for (y,) in con.execute("SELECT DISTINCT income_year FROM household_months").fetchall()]
    con.register("default_shares", default_shares_frame(settings))
    con.register("policy_years", policy_years_frame(settings, years))


def project_household_income(con: duckdb.DuckDBPyConnection, settings: Settings) -> int:
    """Rebuild household_months, seasonal_shares, the gap estimates, household_projections, the backtest and the
    bands; returns the number of household × period projections."""
    db.run(con, "marts/household_months")
    register_settings(con, settings)
    db.run(con, "marts/seasonal_shares", {"share_min_households": settings.share_min_households})
    db.run(con, "marts/household_month_gaps", {"share_min": settings.share_min})
    db.run(con, "marts/household_projections", {"share_min": settings.share_min})
    db.run(con, "marts/projection_backtest")
    tail = (1 - settings.band_coverage) / 2
    db.run(con, "marts/projection_bands", {"band_low_quantile": tail, "band_high_quantile": 1 - tail})
    return int(db.scalar(con, "SELECT count(*) FROM household_projections"))
