"""Time the flag step's household_status for some counties' as-of month on a store (issue 18: is a night's flag step
slow for the code or for the disk?): the rows and keys of their villages are forgotten (household_status is kept by
village × period unit: tasks/marts/flag.py), then `flag.flag_households` recomputes them, as a night whose files
touched those villages would. Run it twice: the first run reads the store's pages from disk.

Usage: PYTHONPATH=. python benchmarks/time_status.py STORE.duckdb AS_OF [--counties N] (a store after `povmon run`
of AS_OF; it is changed: run it on a copy or a bench's work store)
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from core import db  # noqa: E402
from core.settings import load_settings  # noqa: E402
from tasks.marts import flag, mart_keys  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Forget N counties' status units of the as-of month, recompute them, print the seconds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("as_of")
    parser.add_argument("--counties", type=int, default=10)
    args = parser.parse_args(argv)
    con = db.connect(args.store)
    digits = mart_keys.COUNTY_DIGITS  # the keys' county_code column holds the unit's village
    counties = [c for (c,) in con.execute("SELECT DISTINCT left(county_code, ?) FROM mart_keys WHERE artifact = "
                                          "'status' AND unit = ? ORDER BY 1 LIMIT ?",
                                          [digits, args.as_of, args.counties]).fetchall()]
    with db.transaction(con):
        con.execute("DELETE FROM household_status WHERE period = ? AND county_code IN (SELECT unnest(?))",
                    [args.as_of, counties]).fetchall()
        con.execute("DELETE FROM mart_keys WHERE artifact = 'status' AND unit = ? "
                    "AND left(county_code, ?) IN (SELECT unnest(?))", [args.as_of, digits, counties]).fetchall()
    started = time.perf_counter()
    rows = flag.flag_households(con, load_settings(None, environ={}), args.as_of)
    print(f"household_status of {len(counties)} counties' {args.as_of} recomputed in "
          f"{time.perf_counter() - started:.2f} s ({rows} rows in the table)")
    con.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
