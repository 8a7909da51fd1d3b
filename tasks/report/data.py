"""The figures and rows of the reports, fetched from sql/reports/ (masked there; templates only lay out)."""
from __future__ import annotations

from collections.abc import Callable

import duckdb
import polars as pl

from core import db

# the relations each report query needs; a query whose relations are missing shows as unavailable
NEEDS = {
    "reports/county_household_figures": ["household_status"],
    "reports/flagged_households": ["household_status"],
    "reports/income_histogram": ["household_status"],
    "reports/flags_by_township": ["household_status"],
    "reports/flag_trend": ["household_status", "projection_backtest"],
    "reports/figure_changes": ["household_status", "projection_backtest", "household_months"],
    "reports/village_signals": ["village_signals"],
    "reports/missing_households": ["households_data_missing", "household_months"],
    "reports/backtest_accuracy": ["projection_accuracy"],
    "reports/sample_counties": ["sample_households", "sample_draws"],
    "reports/department_counts": ["department_findings", "department_labels"],
    "reports/department_findings": ["department_findings", "department_labels"],
    "reports/department_city": ["department_findings"],
    "reports/cases_todo": ["cases", "household_status"],
}


DUE_DAY = 5  # a month's return is due by this day of the next month (settings [report] returns_due_day)
# the sections of a county page: key -> query (rows of several counties, ordered by county)
SECTIONS = {"histogram": "reports/income_histogram", "townships": "reports/flags_by_township",
            "trend": "reports/flag_trend", "villages": "reports/village_quality", "signals": "reports/village_signals",
            "department_counts": "reports/department_counts",
            "changes": "reports/figure_changes",
            "cases_townships": "reports/cases_by_township", "cases_todo": "reports/cases_todo",
            "cases_summary": "reports/cases_summary", "cases_refused": "reports/cases_refused"}
# the long lists, cut to a row limit per county: key -> (query, key of the limit in row_limits)
LIMITED_SECTIONS = {"flagged": ("reports/flagged_households", "flagged"),
                    "problems": ("reports/village_problems", "list"),
                    "missing": ("reports/missing_households", "list"),
                   "department_findings": ("reports/department_findings", "list")}
# the sections kept as Polars frames, whole: key -> query (a county's villages × months: thousands of rows)
FRAME_SECTIONS = {"reporting": "reports/reporting_status"}
# the sections the city overview fetches for every county too: its pages take them from there (fetch_city)
CITY_SECTIONS = ("changes", "cases_summary")


class Row(dict):
    """A result row whose columns templates read as attributes (without Jinja's costly failed getattr)."""

    def __getattr__(self, name: str):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def bound(name: str, params: dict) -> dict:
    """The parameters the statement sql/<name>.sql names (a page's sections share one set of parameters)."""
    text = db.sql_text(name)
    return {key: value for key, value in params.items() if f"${key}" in text}


def fetch_dicts(con: duckdb.DuckDBPyConnection, name: str, params: dict, relations: set[str]) -> list[dict] | None:
    """Rows of sql/<name>.sql as dicts, or None when a relation it needs is not in the store."""
    if any(r not in relations for r in NEEDS.get(name, [])):
        return None
    result = con.execute(db.sql_text(name), bound(name, params))
    columns = [d[0] for d in result.description]
    return [Row(zip(columns, row)) for row in result.fetchall()]


def fetch_city(con: duckdb.DuckDBPyConnection, period: str | None) -> dict:
    """City-level figures: one entry per county of the reference list, plus the backtest."""
    relations = db.relations(con)
    counties = fetch_dicts(con, "reports/counties", {"period": period}, relations) or []
    figures = fetch_dicts(con, "reports/county_household_figures", {"period": period}, relations)
    updated = {r["county_code"]: r for r in fetch_dicts(con, "reports/data_updated", {}, relations) or []}
    by_county = {r["county_code"]: r for r in figures or []}
    codes = [c["county_code"] for c in counties]
    scoped = {"period": period, "county_codes": codes}
    sections = {key: fetch_by_county(con, SECTIONS[key], scoped, relations, codes) for key in CITY_SECTIONS}
    for county in counties:
        county["figures"] = by_county.get(county["county_code"]) if figures is not None else None
        county["updated"] = updated.get(county["county_code"])
        county["changes"] = sections["changes"][county["county_code"]]
    return {
        "counties": counties,
        "figures_available": figures is not None,
        "backtest": fetch_dicts(con, "reports/backtest_accuracy", {}, relations),
        "sample": fetch_dicts(con, "reports/sample_counties", {}, relations),
        "departments": fetch_dicts(con, "reports/department_city", {"period": period}, relations),
        "unattributed": fetch_dicts(con, "reports/unattributed_files", {}, relations),
        "cases": {code: rows[0] for code, rows in sections["cases_summary"].items() if rows},
        "relations": relations,
        "sections": sections,
    }


def split_by_county(rows: list[dict], county_codes: list[str]) -> dict[str, list[dict]]:
    """Rows of several counties by their county_code, in query order ([] for a county without rows)."""
    parts: dict[str, list[dict]] = {code: [] for code in county_codes}
    for row in rows:
        parts[row["county_code"]].append(row)  # a county not asked for fails loudly: the query filters by county
    return parts


def fetch_by_county(con: duckdb.DuckDBPyConnection, name: str, params: dict, relations: set[str],
                    county_codes: list[str]) -> dict[str, list[dict] | None]:
    """Rows of a report query for several counties at once, split by county (None for each when unavailable)."""
    rows = fetch_dicts(con, name, params, relations)
    if rows is None:
        return dict.fromkeys(county_codes)
    return split_by_county(rows, county_codes)


def fetch_frame(con: duckdb.DuckDBPyConnection, name: str, params: dict, relations: set[str]) -> pl.DataFrame | None:
    """Rows of sql/<name>.sql as a Polars frame (a long list stays columnar), or None when a relation is missing."""
    if any(r not in relations for r in NEEDS.get(name, [])):
        return None
    return con.sql(db.sql_text(name), params=bound(name, params)).pl()


def slice_by_county(frame: pl.DataFrame | None, county_codes: list[str]) -> dict[str, pl.DataFrame | None]:
    """A frame ordered by county_code as one zero-copy slice per county (empty for a county without rows)."""
    if frame is None:
        return dict.fromkeys(county_codes)
    runs = frame.select(pl.col("county_code").rle()).unnest("county_code")  # columns len, value: one per county
    unknown = set(runs["value"].to_list()) - set(county_codes)
    if unknown or runs.height != runs["value"].n_unique():
        raise ValueError(f"rows not grouped by the counties asked for: {sorted(map(str, unknown))}")
    parts = {code: frame.clear() for code in county_codes}
    offset = 0
    for length, code in runs.iter_rows():
        parts[code] = frame.slice(offset, length)
        offset += length
    return parts


def cut_rows(rows: pl.DataFrame | None, row_limit: int) -> dict:
    """A long list as shown: its first row_limit rows, and whether rows were cut (the query gives one more)."""
    return {"rows": None if rows is None else rows.head(row_limit),
            "is_cut": rows is not None and rows.height > row_limit, "limit": row_limit}


def fetch_counties(con: duckdb.DuckDBPyConnection, county_codes: list[str], period: str | None,
                   relations: set[str], row_limits: dict[str, int],
                   row_html: dict[str, Callable[[pl.DataFrame], pl.Expr]] | None = None,
                   returns: dict | None = None, fetched: dict[str, dict] | None = None) -> dict[str, dict]:
    """Every section of several counties' pages, one query per section; each county gets only its own rows
    (lists of dicts for the short sections, Polars frames for the long lists and FRAME_SECTIONS). row_html: for a
    long list or a FRAME_SECTIONS section, the expression of its rows' HTML, built in one pass over every county's
    rows; a long list's frames then hold only county_code and row_html. returns: due_day (of the next month a return
    is due) and today, for lateness; the near-line factor of the month's income year (the flagged list quotes
    projections as the reasons do). fetched: sections already fetched for these counties and more (key -> rows by
    county: fetch_city's), not fetched again."""
    scoped = {"period": period, "county_codes": county_codes, "due_day": DUE_DAY, "today": None,
              "near_line_factor": None, **(returns or {})}
    fetched = fetched or {}
    sections = {key: fetched[key] if key in fetched else fetch_by_county(con, name, scoped, relations, county_codes)
                for key, name in SECTIONS.items()}
    for key, name in FRAME_SECTIONS.items():
        found = fetch_frame(con, name, scoped, relations)
        if found is not None and key in (row_html or {}):  # beside the columns: the table is laid out of both
            found = found.with_columns(row_html[key](found).alias("row_html"))
        sections[key] = slice_by_county(found, county_codes)
    for key, (name, limit_key) in LIMITED_SECTIONS.items():
        # one row more than shown tells that rows were cut
        found = fetch_frame(con, name, {**scoped, "row_limit": row_limits[limit_key] + 1}, relations)
        if found is not None and key in (row_html or {}):  # the HTML replaces the columns it was made of
            found = found.select("county_code", row_html[key](found).alias("row_html"))
        sections[key] = {code: cut_rows(rows, row_limits[limit_key])
                         for code, rows in slice_by_county(found, county_codes).items()}
    return {code: {key: parts[code] for key, parts in sections.items()} for code in county_codes}

