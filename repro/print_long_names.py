"""Print a county page (Chromium's print to PDF, as a reader's 打印) whose village has a 200-character name and check
that every page of the flagged-household list still holds its last columns (usage: DB COUNTY WORK_DIR)."""
import subprocess
import sys
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from core.settings import load_settings  # noqa: E402
from tasks.report.pages import render_reports  # noqa: E402
from tests.support.browser import Browser  # noqa: E402

db, county, work = sys.argv[1], sys.argv[2], Path(sys.argv[3])
con = duckdb.connect(db, read_only=True)
period = con.sql("select max(period) from county_month_figures").fetchall()[0][0]
print("longest village name:", con.sql(f"select max(length(name)) from admin_units where code like '{county}%'").fetchall()[0][0])
page_path = render_reports(con, work / "reports", period, 1, load_settings(environ={}), only_counties={county})["counties"][county]
with Browser() as b:
    p = b.new_page(); p.open(page_path.resolve().as_uri())
    pdf = p.print_pdf(work / f"{county}.pdf")
pages = int(next(line.split()[-1] for line in subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout.splitlines() if line.startswith("Pages")))
bad = 0
for n in range(1, pages + 1):
    text = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-layout", pdf, "-"], capture_output=True, text=True).stdout
    header = next((line for line in text.splitlines() if "户编号" in line and "身份证号" in line and "户主" in line), None)
    if header is None:
        continue
    last = all(word in header for word in ("户类型", "标记", "原因", "建议措施"))
    bad += not last
    print(f"page {n}: flagged list header {'complete' if last else 'CUT: ' + ' '.join(header.split())}")
print("pages with cut columns:", bad)
