"""City page: sorting the county table by 监测户 when a county has 1,000 or more households (a copy of a demo store
whose county 430522 has 1,000 more households recorded; usage: DEMO_DB WORK_DIR)."""
import shutil
import sys
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from core.settings import load_settings  # noqa: E402
from tasks.report.pages import render_city_overview  # noqa: E402
from tests.support.browser import Browser  # noqa: E402

work = Path(sys.argv[2]); work.mkdir(parents=True, exist_ok=True)
db = work / "sort.duckdb"; shutil.copy(sys.argv[1], db)
con = duckdb.connect(str(db))
con.sql("UPDATE county_month_figures SET households_count = households_count + 1000, "
        "below_line_count = below_line_count + 1000 WHERE county_code = '430522'")
index = render_city_overview(con, work / "reports", load_settings(environ={}))
con.close()
with Browser() as b:
    p = b.new_page(); p.open(index.as_uri())
    for column in (1, 4):
        name = p.evaluate(f"document.querySelectorAll('#counties-table thead th')[{column}].textContent")
        for _ in range(2):
            p.evaluate(f"document.querySelectorAll('#counties-table thead th')[{column}].click()")
            shown = p.evaluate(f"Array.from(document.querySelectorAll('#counties-table tbody tr')).map(r => r.cells[{column}].textContent)")
            order = p.evaluate(f"document.querySelectorAll('#counties-table thead th')[{column}].getAttribute('aria-sort')")
            values = [int(v.replace(',', '')) for v in shown]
            right = values == sorted(values, reverse=(order == 'descending'))
            print(f"{name} {order}: {shown} {'OK' if right else 'WRONG ORDER'}")
