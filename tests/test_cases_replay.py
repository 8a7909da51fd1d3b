"""A run as of an earlier month (`--as-of`) closes no case that a later month's run kept open: a village missing
February's and March's returns keeps one MISSING_RETURN case, with its deadline, when February's arrives and the
office reruns as of February; March's own return closes it."""
from __future__ import annotations

from tests.support.returns import csv_bytes, household, make_city
from tests.support.runs import query, run_nightly

V1, V2, V3 = "430521001001", "430521001002", "430522001001"


def send(inbox, village: str, period: str) -> None:
    """A clean return of two comfortable households."""
    rows = [household(village, 1, wage="90000"), household(village, 2, wage="90000")]
    (inbox / f"{village}_{period}.csv").write_bytes(csv_bytes(rows))


def missing_return_cases(root) -> list[tuple]:
    """(case id, status, opened period, deadline) of V2's MISSING_RETURN cases."""
    return query(root, f"SELECT case_id, status, opened_period, deadline FROM cases "
                       f"WHERE kind = 'MISSING_RETURN' AND subject_key = '{V2}' ORDER BY case_id")


def test_a_rerun_as_of_an_earlier_month_keeps_the_case_a_later_month_kept_open(prefect_harness, tmp_path):
    inbox, _ = make_city(tmp_path)
    for village in (V1, V3):
        send(inbox, village, "202002")
    run_nightly(tmp_path, today="2020-03-06")
    [(case_id, status, opened, deadline)] = missing_return_cases(tmp_path)
    assert (status, opened) == ("open", "202002")
    for village in (V1, V3):
        send(inbox, village, "202003")
    run_nightly(tmp_path, today="2020-04-06")  # March missing too: the same case stays open
    assert missing_return_cases(tmp_path) == [(case_id, "open", "202002", deadline)]
    send(inbox, V2, "202002")
    run_nightly(tmp_path, as_of="202002", today="2020-04-07")
    assert missing_return_cases(tmp_path) == [(case_id, "open", "202002", deadline)]
    run_nightly(tmp_path, today="2020-04-08")  # as of March again: its return still missing
    assert missing_return_cases(tmp_path) == [(case_id, "open", "202002", deadline)]
    send(inbox, V2, "202003")
    run_nightly(tmp_path, today="2020-04-09")
    assert missing_return_cases(tmp_path) == [(case_id, "closed", "202002", deadline)]
