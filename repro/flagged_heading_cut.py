"""A county page rendered with flagged_row_limit = 50 from a demo store: the flagged list's heading against the
county's flagged count (usage: DEMO_DB WORK_DIR)."""
import re
import sys
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from core.settings import load_settings  # noqa: E402
from tasks.report.pages import render_reports  # noqa: E402

work = Path(sys.argv[2]); work.mkdir(parents=True, exist_ok=True)
(work / "limit.toml").write_text("[report]\nflagged_row_limit = 50\n", encoding="utf-8")
con = duckdb.connect(sys.argv[1], read_only=True)
period = con.sql("select max(period) from county_month_figures").fetchall()[0][0]
out = render_reports(con, work / "reports", period, 1, load_settings(work / "limit.toml", environ={}), only_counties={"430521"})
flagged = con.sql(f"select count(*) from household_status where county_code='430521' and period='{period}' and flags<>''").fetchall()[0][0]
html = out["counties"]["430521"].read_text(encoding="utf-8")
print("store: flagged households", flagged)
print("page heading:", re.search(r'id="appendix-flagged">\s*<h2>(.*?)</h2>', html).group(1))
print("brief:", re.search(r"共 [0-9,]+ 户，完整清单见附录", html).group(0))
