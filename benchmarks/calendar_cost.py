"""Time sql/marts/calendar_shares.sql (a new income year's household calendars: before session 11 the largest part
of a province's first-of-year increment, read since from the running sums of calendar_sums) on a bootstrapped
store, read-only, for the first N counties as one group, and print where its CPU goes (DuckDB's profile: the
costliest operators).

Usage: python benchmarks/calendar_cost.py STORE [--counties 1 4 10] [--year YYYY]"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import duckdb  # noqa: E402
import polars as pl  # noqa: E402

from core.income_year import period_of  # noqa: E402
from core.settings import load_settings  # noqa: E402
from tasks.marts.project import festival_months_frame  # noqa: E402

SQL = Path(__file__).resolve().parents[1] / "sql" / "marts" / "calendar_shares.sql"


def calendar_query(settings) -> str:
    """The statement's SELECT (its INSERT taken off), the settings' values in place of its parameters."""
    query = SQL.read_text(encoding="utf-8").split("INSERT INTO calendar_shares", 1)[1].strip().rstrip(";")
    for name in ("household_prior_years", "village_prior_years"):
        query = query.replace(f"${name}", repr(getattr(settings, name)))
    return query


def costliest_operators(profile: dict, top: int = 5) -> list[tuple[float, str, int]]:
    """The operators of a DuckDB JSON profile with the most time: (seconds, type, rows out)."""
    found: list[tuple[float, str, int]] = []

    def walk(node: dict) -> None:
        found.append((node.get("timing", 0.0), node.get("type", "?"), node.get("intermediate_rows", 0)))
        for child in node.get("children", []):
            walk(child)

    for node in profile.get("operator", []):
        walk(node)
    return sorted(found, reverse=True)[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store")
    parser.add_argument("--counties", type=int, nargs="+", default=[1, 4, 10])
    parser.add_argument("--year", type=int, help="target income year (default: the store's latest)")
    args = parser.parse_args()
    settings = load_settings(environ={})
    con = duckdb.connect(args.store, read_only=True,
                         config={"autoinstall_known_extensions": False, "memory_limit": settings.memory_limit})
    counties = [c for (c,) in con.execute("SELECT DISTINCT county_code FROM household_months ORDER BY 1").fetchall()]
    year = args.year or con.execute("SELECT max(income_year) FROM household_months").fetchall()[0][0]
    con.register("festival_months", festival_months_frame(settings))
    query = calendar_query(settings)
    for n in args.counties:
        # a unit is a county × period: all twelve months of the year, as a new year's first month made them once
        units = [(county, period_of(year, month)) for county in counties[:n] for month in range(1, 13)]
        con.register("mart_units", pl.DataFrame({"county_code": [c for c, _ in units], "unit": [p for _, p in units]}))
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            con.execute(f"PRAGMA enable_profiling='json'; PRAGMA profiling_output='{out.name}'")
            started = time.perf_counter()
            rows = con.execute(f"SELECT count(*) FROM ({query})").fetchall()[0][0]
            seconds = time.perf_counter() - started
            con.execute("PRAGMA disable_profiling")
            profile = json.loads(Path(out.name).read_text())
        operators = ", ".join(f"{kind} {t:.2f} s ({rows_out:,} rows)"
                              for t, kind, rows_out in costliest_operators(profile, 3))
        print(f"{n} of {len(counties)} counties, target year {year}: {rows:,} calendar rows in {seconds:.1f} s "
              f"(CPU {profile['query']['cpu_time']:.1f} s); costliest: {operators}")
        con.unregister("mart_units")


if __name__ == "__main__":
    main()
