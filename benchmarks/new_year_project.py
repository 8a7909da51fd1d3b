"""Time the projection step of a new income year's first month, artifact by artifact, on a copy of a store.

The store must hold that month (e.g. the province bench store after its increment, as-of 202010). The script
copies it, forgets what the month's run made (the month's rows, the new year's county shares, calendars and bands,
the year before's gap estimates: every stored unit of those artifacts named by the month, its income year or, for
the gaps, the year before), then runs tasks/marts/project.project_household_income and prints each artifact's
seconds and rows. A store whose marts were built by other code or settings is rebuilt whole first (the marts'
digest changed): that is printed, and the figures are then those of a rebuild, not of the month.

Usage: python benchmarks/new_year_project.py STORE --period 202010 [--copy PATH] [--keep]
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core import db  # noqa: E402
from core.income_year import income_year_month  # noqa: E402
from core.settings import load_settings  # noqa: E402
from tasks.marts import mart_keys, project  # noqa: E402

# artifact -> its table, and which of the month's units it keeps: the period, its income year, the year before
MONTH_ARTIFACTS = {"months": ("household_months", "period"), "shares": ("seasonal_shares", "year"),
                   "calendars": ("calendar_shares", "period or year"), "gaps": ("household_month_gaps", "year before"),
                   "bands": ("projection_bands", "year")}


def month_units(con, artifact: str, which: str, period: str) -> list[mart_keys.Unit]:
    """The stored units of an artifact that the month's run made."""
    year = income_year_month(period)[0]
    names = {"period": [period], "year": [str(year)], "period or year": [period, str(year)],
             "year before": [str(year - 1)]}[which]
    return [(c, u) for c, u in con.execute("SELECT county_code, unit FROM mart_keys WHERE artifact = ? AND unit IN "
                                           "(SELECT unnest(?))", [artifact, names]).fetchall()]


def timed_refresh(original):
    """mart_keys.refresh, printing each artifact's seconds and rows."""
    def refresh(con, artifact, table, wanted, compute, cost=lambda unit: 1):
        started = time.perf_counter()
        changed = original(con, artifact, table, wanted, compute, cost)
        print(f"  {artifact:<10} {time.perf_counter() - started:7.2f} s  {changed:>12,} rows deleted + inserted",
              flush=True)
        return changed
    return refresh


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store")
    parser.add_argument("--period", required=True, help="the first month of the income year (YYYY10)")
    parser.add_argument("--copy", help="where to copy the store (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the copy")
    args = parser.parse_args()
    folder = Path(args.copy).parent if args.copy else Path(tempfile.mkdtemp(prefix="new_year_"))
    copy = Path(args.copy) if args.copy else folder / "store.duckdb"
    started = time.perf_counter()
    shutil.copyfile(args.store, copy)
    print(f"copied {Path(args.store).stat().st_size / 1e9:.1f} GB in {time.perf_counter() - started:.1f} s")
    settings = load_settings(environ={})
    con = db.connect(copy, memory_limit=settings.memory_limit)
    try:
        if mart_keys.built_with_other_settings(con, settings):
            print("the marts were built by other code or settings: they are rebuilt whole first")
        for artifact, (table, which) in MONTH_ARTIFACTS.items():
            units = month_units(con, artifact, which, args.period)
            with db.transaction(con):
                rows = mart_keys.forget(con, artifact, table, units)
            print(f"forgot {artifact}: {len(units)} units, {rows:,} rows")
        con.execute("CHECKPOINT").fetchall()
        mart_keys.refresh = timed_refresh(mart_keys.refresh)
        started = time.perf_counter()
        rows = project.project_household_income(con, settings)
        print(f"project: {time.perf_counter() - started:.1f} s ({rows:,} household months)")
    finally:
        con.close()
        if not args.keep:
            copy.unlink(missing_ok=True)
            if not args.copy:
                shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
