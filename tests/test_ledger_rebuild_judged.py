"""A store rebuilt from its raw store knows the latest month its ledger was judged for: a run as of an earlier month
right after the rebuild closes no case that the deleted store's run of a later month kept open (a village missing
February's and March's returns keeps its MISSING_RETURN case when February's arrives late)."""
from __future__ import annotations

import pytest

from tests.support.ledger_commands import delete_store
from tests.support.returns import make_city
from tests.support.runs import query, run_nightly
from tests.test_cases_replay import V1, V2, V3, send

pytestmark = pytest.mark.slow  # several runs of the real flow


def missing_return_cases(root) -> list[tuple]:
    """(case id, status, opened period) of V2's MISSING_RETURN cases."""
    return query(root, f"SELECT case_id, status, opened_period FROM cases "
                       f"WHERE kind = 'MISSING_RETURN' AND subject_key = '{V2}' ORDER BY case_id")


def test_a_rebuilt_store_run_as_of_an_earlier_month_keeps_the_case_a_later_month_kept_open(prefect_harness, tmp_path):
    inbox, _ = make_city(tmp_path)
    for period in ("202002", "202003"):
        for village in (V1, V3):
            send(inbox, village, period)
    run_nightly(tmp_path, as_of="202002", today="2020-03-06")
    run_nightly(tmp_path, today="2020-04-06")  # March missing too: the same case stays open
    [(case_id, status, opened)] = missing_return_cases(tmp_path)
    assert (status, opened) == ("open", "202002")
    send(inbox, V2, "202002")
    delete_store(tmp_path / "db.duckdb")
    run_nightly(tmp_path, as_of="202002", today="2020-04-07")  # the rebuild's first run: February again
    assert missing_return_cases(tmp_path) == [(case_id, "open", "202002")]
    run_nightly(tmp_path, today="2020-04-08")  # as of March: its return still missing, the same case
    assert missing_return_cases(tmp_path) == [(case_id, "open", "202002")]
