"""The county page's 待办台账 lists are cut (cases needing attention at 300 a county, sql/reports/cases_todo.sql;
refused decision rows at 200, cases_refused.sql); a cut list says so and how many there are, as every other cut
list of the page does, instead of ending without a word where the office would take it for the whole of its work."""
from __future__ import annotations

import re
from datetime import date

from tasks.cases import ledger
from tasks.cases.refusals import record_refusals
from tasks.report.pages import render_reports
from tests.support.cases_store import opened_cases
from tests.support.store_builder import COUNTY

LISTED, REFUSED = 300, 200


def listed(html: str, table: str) -> tuple[int, str | None]:
    """How many rows a table of the page's 待办台账 lists, and the cut note right under it (None: none)."""
    after = html[html.index(f'id="{table}"'):]
    body, rest = after[:after.index("</table>")], after[after.index("</table>"):after.index("</section>")]
    note = re.search(r'<p class="note cut">([^<]*)</p>', rest.split("<table")[0])
    return body.count("<tr") - 1, note[1] if note else None  # the header row aside


def test_a_cut_to_do_list_says_how_many_cases_it_leaves_out(tmp_path):
    con, settings, ids = opened_cases(tmp_path / "out", LISTED + 2)  # opened 2020-04-05, due 2020-04-20
    ledger.derive_cases(con, settings, "202003", date(2020, 5, 1))  # every one of them overdue
    page = render_reports(con, tmp_path / "reports", "202003", 1, settings)["counties"][COUNTY]
    html = page.read_text(encoding="utf-8")
    rows, note = listed(html, "cases-todo-table")
    assert rows == LISTED and note is not None and f"{LISTED}" in note and f"{LISTED + 2}" in note


def test_a_cut_list_of_refused_rows_is_headed_with_their_number_and_says_it_is_cut(tmp_path):
    con, settings, ids = opened_cases(tmp_path / "out", 1)
    record_refusals(con, [{"file_sha256": "f", "file_name": "430521_已核查.xlsx", "file_row": row,
                           "case_id": ids[next(iter(ids))], "county_code": COUNTY, "code": "CASE_ACTOR",
                           "detail": "未填写核查人", "imported_on": date(2020, 4, 6)} for row in range(2, REFUSED + 5)],
                    None)  # a store in memory: no raw store
    html = render_reports(con, tmp_path / "reports", "202003", 1, settings)["counties"][COUNTY].read_text(encoding="utf-8")
    rows, note = listed(html, "cases-refused-table")
    assert rows == REFUSED and f"退回修改的填报（{REFUSED + 3} 项）" in html
    assert note is not None and f"{REFUSED}" in note and f"{REFUSED + 3}" in note
