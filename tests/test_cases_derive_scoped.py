"""Deriving the cases table again after new events reads only the cases they touch (and the assisting ones), and
leaves the table exactly as deriving every case from the whole ledger does."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from core import db
from tasks.cases import ledger
from tests.support.cases_store import cases_table, derived_whole
from tests.support.store_builder import settings_with

HH1, HH2 = "4305211000010001", "4305211000010002"
VILLAGE = HH1[:12]
PLACE = {"county_code": "430521", "township_code": "430521100", "village_code": VILLAGE}


def opened(case_id: str, kind: str, subject: str, household: str | None, period: str, on: date, **more) -> dict:
    """The opening event of a case."""
    return {"case_id": case_id, "event": "opened", "event_on": on, "as_of_period": period, "run_id": 1,
            "status": "open", "kind": kind, "subject_key": subject, "household_id": household, **PLACE,
            "opened_period": period, "opened_on": on, **more}


def later(case_id: str, event: str, on: date, status: str, **more) -> dict:
    """An event after a case's opening."""
    return {"case_id": case_id, "event": event, "event_on": on, "status": status, **more}


def evidence(con, household: str, above: list[bool]) -> None:
    """A household's months 201910-202003 in case_evidence, each above the floor or not."""
    con.execute("DELETE FROM case_evidence WHERE household_id = ?", [household]).fetchall()
    for period, ok in zip(["201910", "201911", "201912", "202001", "202002", "202003"], above):
        con.execute("INSERT INTO case_evidence VALUES (?, ?, ?, 6000, 1, '')",
                    [household, period, 6000.0 if ok else 5999.99]).fetchall()


def ledger_store():
    """A ledger of four cases: a household's open case, an assisting household (a removal candidate), a village's
    open signal and a village month's data errors, closed."""
    con = db.connect(":memory:")
    ledger.append_events(con, [
        opened("K1", "BELOW_LINE", HH1, HH1, "201910", date(2019, 10, 20)),
        opened("K2", "NEAR_LINE", HH2, HH2, "201910", date(2019, 10, 20)),
        later("K2", "decision", date(2019, 10, 25), "assisting", conclusion="属实", measures="兜底保障",
              actor="李四", decided_on=date(2019, 10, 25)),
        opened("K3", "THRESHOLD_BUNCHING", VILLAGE, None, "201910", date(2019, 10, 20)),
        opened("K4", "DATA_ERRORS", f"{VILLAGE}:201910", None, "201910", date(2019, 10, 20), subject_period="201910"),
        later("K4", "closed", date(2019, 11, 20), "closed", closed_on=date(2019, 11, 20), close_reason="已更正"),
    ], None)
    evidence(con, HH2, [True] * 6)
    return con


def test_new_events_derive_their_cases_and_the_assisting_ones_and_leave_the_table_as_a_whole_derivation():
    con, settings = ledger_store(), settings_with()
    assert ledger.derive_cases(con, settings, "202003", date(2020, 4, 5)) == 4  # no record yet: every case
    ledger.append_events(con, [
        later("K1", "closed", date(2020, 4, 20), "closed", closed_on=date(2020, 4, 20), close_reason="连续3个月未预警"),
    ], None)
    assert ledger.derive_cases(con, settings, "202003", date(2020, 4, 20)) == 2  # K1, and K2 (assisting)
    ledger.append_events(con, [opened("K5", "BELOW_LINE", HH1, HH1, "202004", date(2020, 5, 20), previous_case_id="K1")],
                         None)
    evidence(con, HH2, [True] * 5 + [False])  # the assisting household's last month fell below: no candidate now
    today = date(2020, 6, 30)  # K3 waits, overdue by more days than when last judged
    # K5 (its event) and K1 (its subject's first case: K5 is the second), K2 (assisting); not K3 or K4
    assert ledger.derive_cases(con, settings, "202003", today) == 3
    scoped = cases_table(con)
    assert {row[0]: row[-1] for row in scoped}["K3"] > 0
    assert scoped == derived_whole(con, settings, "202003", today)
    numbers = {case_id: number for case_id, number, candidate in con.execute(
        "SELECT case_id, case_number, is_removal_candidate FROM cases").fetchall() if not candidate}
    assert numbers["K5"] == 1 and "K2" in numbers


def test_a_later_day_alone_judges_every_case_again_without_deriving_the_waiting_ones():
    con, settings = ledger_store(), settings_with()
    ledger.derive_cases(con, settings, "202003", date(2020, 4, 5))
    assert ledger.derive_cases(con, settings, "202003", date(2020, 8, 1)) == 1  # the assisting case only
    assert cases_table(con) == derived_whole(con, settings, "202003", date(2020, 8, 1))
    assert con.execute("SELECT count(*) FROM cases WHERE judged_on <> DATE '2020-08-01'").fetchone()[0] == 0


def test_other_settings_or_a_table_changed_behind_the_record_derive_every_case_again():
    con, settings = ledger_store(), settings_with()
    ledger.derive_cases(con, settings, "202003", date(2020, 4, 5))
    con.execute("DELETE FROM cases WHERE case_id = 'K3'").fetchall()
    assert ledger.derive_cases(con, settings, "202003", date(2020, 4, 5)) == 4
    assert con.execute("SELECT count(*) FROM cases").fetchone()[0] == 4
    longer = replace(settings, cases=replace(settings.cases, verify_days=settings.cases.verify_days + 10))
    assert ledger.derive_cases(con, longer, "202003", date(2020, 4, 5)) == 4
    assert cases_table(con) == derived_whole(con, longer, "202003", date(2020, 4, 5))
