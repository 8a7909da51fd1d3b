"""SUDDEN_DROP by the 上年人均纯收入 column quotes a projected figure without its band (README: the band is
"Shown beside each projection and quoted in its reasons (区间…元)")."""
from tests.support.store_builder import VILLAGE, build_store, linear_year, rebuild_marts, settings_with, status_of

rows = linear_year(f"{VILLAGE}0001", 2020, last_month=6, wage=40000.0, last_year_per_capita=25000.0,
                   household_type="监测户")
rows += linear_year(f"{VILLAGE}0002", 2020, last_month=6, wage=12000.0, household_type="监测户")
con = build_store(rows)
rebuild_marts(con, settings_with(share_min_households=1), "202003")
for hid, row in sorted(status_of(con, "202003").items()):
    print(hid, row["flags"], round(row["projected_per_capita"], 2), round(row["projected_low"], 2),
          round(row["projected_high"], 2))
    print("   ", row["reasons"])
