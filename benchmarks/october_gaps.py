"""Time the year before's gap estimates as a new October leaves them: made again whole, against amended after the
households' last returns alone (tasks/marts/calendars.amend_gap_tails), on a copy of a store; both are checked to
give the same rows after a third of one county's October is taken away.

--times K first makes the year's households K times as many on the copy (IDs suffixed, the same villages; rows in
the order the pipeline stores them, by month then village), e.g. a city store's year made province-sized.

Usage: python benchmarks/october_gaps.py STORE --year 2019 [--times 9]
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
from core.settings import load_settings  # noqa: E402
from tasks.marts import calendars, mart_keys  # noqa: E402

COLUMNS = ["household_id", "county_code", "income_year", "income_month", "household_size", "before_month",
           "after_month", "wage_income", "business_income", "property_income", "transfer_income", "business_expense"]


def multiply(con, table: str, times: int, years: list[int]) -> None:
    """The table's rows of the income years given copied times - 1 more times under suffixed household IDs, the
    whole table then rewritten in month and village order where it has them."""
    columns = [c for (c,) in con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                                         "ORDER BY ordinal_position", [table]).fetchall()]
    renamed = ", ".join("household_id || '_' || k AS household_id" if c == "household_id" else c for c in columns)
    order = "ORDER BY period, village_code" if "period" in columns else ""
    # table and column names are this script's own, not input
    con.execute(f"CREATE TEMP TABLE grown AS SELECT * FROM (SELECT * FROM {table} UNION ALL SELECT {renamed} "
                f"FROM {table}, range(1, $times) t(k) WHERE income_year IN (SELECT unnest($years))) {order}",
                {"times": times, "years": years}).fetchall()
    con.execute(f"DELETE FROM {table}").fetchall()
    con.execute(f"INSERT INTO {table} SELECT * FROM grown").fetchall()
    con.execute("DROP TABLE grown").fetchall()


def estimates(con, year: int):
    """The year's gap estimates, sorted."""
    return con.sql(f"SELECT {', '.join(COLUMNS)} FROM household_month_gaps WHERE income_year = $year",
                   params={"year": year}).pl().sort(COLUMNS)


def timed(label: str, work) -> int:
    """Run work(), print its seconds; returns its rows."""
    started = time.perf_counter()
    rows = work()
    print(f"  {label:<44} {time.perf_counter() - started:6.2f} s  {rows:>9,} rows", flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store")
    parser.add_argument("--year", type=int, required=True, help="a complete income year whose next October is on record")
    parser.add_argument("--times", type=int, default=1)
    args = parser.parse_args()
    copy = Path(tempfile.mkdtemp(prefix="october_gaps_")) / "store.duckdb"
    shutil.copyfile(args.store, copy)
    settings = load_settings(environ={})
    con = db.connect(copy)  # the copy grown without the store's memory limit; the estimates timed under it
    try:
        if args.times > 1:
            multiply(con, "household_months", args.times, [args.year, args.year + 1])
            con.execute("DELETE FROM household_month_gaps WHERE income_year = $year", {"year": args.year}).fetchall()
            con.execute("CHECKPOINT").fetchall()
        db.limit_memory(con, settings.memory_limit)
        units = [(c, u) for c, u, _ in db.rows(con, "marts/read_keys", {"artifact": "gaps"}) if u == str(args.year)]
        rows = db.scalar(con, "SELECT count(*) FROM household_months WHERE income_year = $year", {"year": args.year})
        print(f"{len(units)} county units, {rows:,} household months in {args.year}")
        for _ in range(2):
            with db.transaction(con):
                mart_keys.register_units(con, units)
                db.rows(con, "marts/forget/household_month_gaps")
                timed("made again whole", lambda: calendars.estimate_gaps(con, settings))
            with db.transaction(con):
                mart_keys.register_units(con, units)
                timed("amended, October unchanged", lambda: calendars.amend_gap_tails(con, settings))
        with db.transaction(con):  # a third of one county's October taken away: amended, then made again whole
            con.execute("DELETE FROM household_months WHERE income_year = $year AND income_month = 1 "
                        "AND county_code = $county AND hash(household_id) % 3 = 0",
                        {"year": args.year + 1, "county": units[0][0]}).fetchall()
            mart_keys.register_units(con, units)
            timed("amended, a third of a county's October gone", lambda: calendars.amend_gap_tails(con, settings))
            amended = estimates(con, args.year)
            mart_keys.register_units(con, units)
            db.rows(con, "marts/forget/household_month_gaps")
            calendars.estimate_gaps(con, settings)
            print(f"  amended = made again whole: {amended.equals(estimates(con, args.year))} ({amended.height:,} rows)")
    finally:
        con.close()
        shutil.rmtree(copy.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
