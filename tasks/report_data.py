"""The figures and rows of the reports, fetched from sql/reports/ (masked there; templates only lay out)."""
from __future__ import annotations

import duckdb

from povmon import db

# the relations each report query needs; a query whose relations are missing shows as unavailable
NEEDS = {
    "reports/county_household_figures": ["household_status"],
    "reports/flagged_households": ["household_status"],
    "reports/income_histogram": ["household_status"],
    "reports/flags_by_township": ["household_status"],
    "reports/flag_trend": ["household_status"],
    "reports/village_signals": ["village_signals"],
    "reports/missing_households": ["households_data_missing"],
    "reports/backtest_accuracy": ["projection_accuracy"],
    "reports/sample_counties": ["sample_households", "sample_draws"],
}


class Row(dict):
    """A result row whose columns templates read as attributes (without Jinja's costly failed getattr)."""

    def __getattr__(self, name: str):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def list_relations(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Names of the tables and views in the store."""
    found = con.execute("SELECT table_name FROM duckdb_tables() UNION SELECT view_name FROM duckdb_views()").fetchall()
    return {name for (name,) in found}


def fetch_dicts(con: duckdb.DuckDBPyConnection, name: str, params: dict, relations: set[str]) -> list[dict] | None:
    """Rows of sql/<name>.sql as dicts, or None when a relation it needs is not in the store."""
    if any(r not in relations for r in NEEDS.get(name, [])):
        return None
    result = con.execute(db.sql_text(name), params)
    columns = [d[0] for d in result.description]
    return [Row(zip(columns, row)) for row in result.fetchall()]


def fetch_city(con: duckdb.DuckDBPyConnection, period: str | None) -> dict:
    """City-level figures: one entry per county of the reference list, plus the backtest."""
    relations = list_relations(con)
    counties = fetch_dicts(con, "reports/counties", {"period": period}, relations) or []
    figures = fetch_dicts(con, "reports/county_household_figures", {"period": period}, relations)
    updated = {r["county_code"]: r for r in fetch_dicts(con, "reports/data_updated", {}, relations) or []}
    by_county = {r["county_code"]: r for r in figures or []}
    for county in counties:
        county["figures"] = by_county.get(county["county_code"]) if figures is not None else None
        county["updated"] = updated.get(county["county_code"])
    return {
        "counties": counties,
        "figures_available": figures is not None,
        "backtest": fetch_dicts(con, "reports/backtest_accuracy", {}, relations),
        "sample": fetch_dicts(con, "reports/sample_counties", {}, relations),
        "relations": relations,
    }


def fetch_county(con: duckdb.DuckDBPyConnection, county_code: str, period: str | None,
                 relations: set[str], row_limits: dict[str, int]) -> dict:
    """Every section of one county's page; only rows of that county are selected."""
    scoped = {"county_code": county_code, "period": period}

    def limited_rows(name: str, row_limit: int) -> dict:
        # one row more than shown tells that rows were cut
        rows = fetch_dicts(con, name, {**scoped, "row_limit": row_limit + 1}, relations)
        return {"rows": None if rows is None else rows[:row_limit],
                "is_cut": rows is not None and len(rows) > row_limit, "limit": row_limit}

    return {
        "histogram": fetch_dicts(con, "reports/income_histogram", scoped, relations),
        "townships": fetch_dicts(con, "reports/flags_by_township", scoped, relations),
        "trend": fetch_dicts(con, "reports/flag_trend", scoped, relations),
        "villages": fetch_dicts(con, "reports/village_quality", scoped, relations),
        "signals": fetch_dicts(con, "reports/village_signals", scoped, relations),
        "flagged": limited_rows("reports/flagged_households", row_limits["flagged"]),
        "problems": limited_rows("reports/village_problems", row_limits["list"]),
        "missing": limited_rows("reports/missing_households", row_limits["list"]),
    }
