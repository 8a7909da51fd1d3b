"""A household left out of its village's September return (the village sent it; the household is back in October)
loses last year altogether: its quarterly 低保 not yet paid this year is projected as never coming, and
UNSTABLE_LIFTED / SUDDEN_DROP have no last year. A household whose village sent no September gets an estimate."""
from tests.support.store_builder import (VILLAGE, build_store, household_row, rebuild_marts, settings_with, status_of,
                                         year_periods)

import sys
SKIP = int(sys.argv[1]) if len(sys.argv) > 1 else 12
QUARTERLY = [0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4]  # quarters of 低保 paid by each month


def household(n, year, last_month=12, skip=()):
    """4 members: wage 9600 a year evenly, 低保 2000 a quarter (months 3, 6, 9, 12)."""
    return [household_row(f"{VILLAGE}{n:04d}", p, wage=9600 * m / 12, transfer=2000 * QUARTERLY[m - 1],
                          household_type="脱贫户")
            for m, p in enumerate(year_periods(year, last_month), start=1) if m not in skip]


rows = []
for n in range(1, 41):
    rows += household(n, 2018) + household(n, 2019, skip=(SKIP,) if n == 1 else ()) + household(n, 2020, 2)
con = build_store(rows)
rebuild_marts(con, settings_with(), "201911")
status = status_of(con, "201911")
for n in (1, 2):
    row = status[f"{VILLAGE}{n:04d}"]
    print(n, "projected", round(row["projected_per_capita"], 2), "band", round(row["projected_low"], 2),
          round(row["projected_high"], 2), "last year", row["last_year_per_capita"], row["flags"])
    print("   ", row["reasons"])
print("gaps of household 1 in 2019:", con.sql(f"SELECT income_month FROM household_month_gaps "
                                              f"WHERE household_id = '{VILLAGE}0001'").fetchall())
