"""A village sent no September return: its households' last-year per-capita is an estimate, but the UNSTABLE_LIFTED
reason quotes it without （估算） (README: "reasons mark such figures （估算）")."""
from tests.support.store_builder import build_store, household_row, rebuild_marts, settings_with, status_of, year_periods

A, B = "430521100001", "430521100002"   # village A sent no 201909 return
rows = []
for village in (A, B):
    for year, last in ((2019, 12), (2020, 2)):
        rows += [household_row(f"{village}0001", p, wage=14000 * m / 12, household_type="脱贫户")  # 3500 per capita
                 for m, p in enumerate(year_periods(year, last), start=1) if not (village == A and p == "201909")]
con = build_store(rows)
rebuild_marts(con, settings_with(share_min_households=1), "201911")
for hid, row in sorted(status_of(con, "201911").items()):
    print(hid, row["flags"], "last year", round(row["last_year_per_capita"], 2))
    print("   ", row["reasons"])
