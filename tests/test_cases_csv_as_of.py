"""exports/cases.csv describes the run's as-of month (cases.md: every case of the as-of income year, and every
earlier one still open), also when a run goes back to a month of an earlier income year than the ledger's latest."""
from __future__ import annotations

import csv

from tests.support.returns import csv_bytes, household, make_city
from tests.support.runs import query, run_nightly

V1, V2, V3 = "430521001001", "430521001002", "430522001001"


def ledger(root) -> list[dict]:
    """exports/cases.csv as dicts."""
    return list(csv.DictReader((root / "out/exports/cases.csv").read_bytes().decode("utf-8-sig").splitlines()))


def send(inbox, village: str, period: str) -> None:
    """A clean return of two comfortable households."""
    rows = [household(village, 1, wage="90000"), household(village, 2, wage="90000")]
    (inbox / f"{village}_{period}.csv").write_bytes(csv_bytes(rows))


def test_a_run_as_of_an_earlier_income_year_writes_that_years_cases(prefect_harness, tmp_path):
    inbox, _ = make_city(tmp_path)
    send(inbox, V1, "202009")
    send(inbox, V3, "202009")
    run_nightly(tmp_path, today="2020-10-05")      # V2 sent nothing for September: a MISSING_RETURN case
    [(missing, status)] = query(tmp_path, "SELECT case_id, status FROM cases WHERE kind = 'MISSING_RETURN'")
    assert status == "open" and missing in {r["case_id"] for r in ledger(tmp_path)}
    send(inbox, V2, "202009")
    for village in (V1, V2, V3):
        send(inbox, village, "202010")
    run_nightly(tmp_path, today="2020-11-05")      # as of 202010: the signal is gone, the case closed
    assert query(tmp_path, f"SELECT status, opened_period FROM cases WHERE case_id = '{missing}'") == \
        [("closed", "202009")]
    assert missing not in {r["case_id"] for r in ledger(tmp_path)}  # a closed case of income year 2020
    run_nightly(tmp_path, as_of="202009", today="2020-11-06")  # back to September: income year 2020's cases
    rows = ledger(tmp_path)
    assert missing in {r["case_id"] for r in rows}
    year_2020 = "SELECT case_id FROM cases WHERE opened_period BETWEEN '201910' AND '202009' OR status IN " \
                "('open', 'confirmed', 'assisting')"
    want = {case_id for (case_id,) in query(tmp_path, year_2020)}
    assert {r["case_id"] for r in rows} == want
