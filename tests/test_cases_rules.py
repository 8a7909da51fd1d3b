"""The ledger's rules as pure functions: opening, closing, suppression, reopening, deadlines with a campaign."""
from __future__ import annotations

from datetime import date

from core.settings import CaseSettings
from tasks.cases import rules
from tasks.cases.evaluate import RunContext, months_without, plan_events

HH = "4305211000010001"
TODAY = date(2020, 4, 5)


def source(kind="BELOW_LINE", key=HH, value=3000.0, detail="预计人均3000元") -> dict:
    """A source row as tasks.cases.sources gives it."""
    household = key if rules.is_household_kind(kind) else None
    return {"kind": kind, "subject_key": key, "county_code": "430521", "township_code": "430521100",
            "village_code": key[:12], "household_id": household, "subject_period": None, "detail": detail,
            "evidence_value": value}


def case(status="open", kind="BELOW_LINE", key=HH, opened="202001", closed_period=None, number=0, value=None,
         **extra) -> dict:
    """A case row as the cases table holds it."""
    return {"case_id": rules.case_id(kind, key, opened, number), "kind": kind, "subject_key": key,
            "household_id": key if rules.is_household_kind(kind) else None, "status": status,
            "opened_period": opened, "closed_period": closed_period, "case_number": number, "conclusion": None,
            "measures": None, "actor": None, "decided_on": None, "note": None, "evidence_value": value,
            "detail": "", **extra}


def months(flags_by_period: dict[str, str]) -> list[dict]:
    """Evidence rows of one household."""
    return [{"period": p, "flags": f} for p, f in sorted(flags_by_period.items())]


DEFAULTS = CaseSettings()


def plan(cases, sources, evidence=None, as_of="202003", settings=DEFAULTS):
    """The events of a run over these cases and sources (all sources openable)."""
    return plan_events(cases, sources, sources, {HH: evidence or []}, RunContext(9, as_of, TODAY, settings))


def test_a_new_source_opens_one_case_with_a_deterministic_id():
    events = plan([], [source()])
    assert [(e["event"], e["status"], e["opened_on"], e["opened_period"]) for e in events] == \
        [("opened", "open", TODAY, "202003")]
    assert events[0]["case_id"] == rules.case_id("BELOW_LINE", HH, "202003", 0) == plan([], [source()])[0]["case_id"]
    assert events[0]["previous_case_id"] is None


def test_a_flag_seen_again_is_the_same_case_whatever_its_active_status():
    for status in rules.ACTIVE:
        assert plan([case(status)], [source()]) == []


def test_an_open_case_stays_open_however_long_its_flag_is_gone():
    gone = months({"202001": "", "202002": "", "202003": ""})
    assert plan([case("open", opened="201912")], [], gone) == []


def test_an_assisting_case_never_closes_by_itself():
    gone = months({p: "" for p in ("201910", "201911", "201912", "202001", "202002", "202003")})
    assert plan([case("assisting", opened="201909")], [], gone) == []


def test_a_confirmed_case_closes_after_close_after_months_without_its_flag():
    two = months({"202001": "BELOW_LINE", "202002": "", "202003": ""})
    assert plan([case("confirmed")], [], two) == []
    three = months({"201912": "BELOW_LINE", "202001": "", "202002": "NEAR_LINE", "202003": ""})
    [closing] = plan([case("confirmed", opened="201911")], [], three)
    assert (closing["event"], closing["status"], closing["closed_on"]) == ("closed", "closed", TODAY)
    assert "3" in closing["close_reason"]


def test_a_month_without_a_return_breaks_the_absence_count():
    assert months_without("BELOW_LINE", months({"202001": "", "202003": ""}), "202003") == 1
    assert months_without("BELOW_LINE", months({"202002": ""}), "202003") == 0


def test_village_signals_and_data_errors_close_when_their_cause_is_gone():
    village = "430521100001"
    signal = case("confirmed", kind="THRESHOLD_BUNCHING", key=village)
    errors = case("open", kind="DATA_ERRORS", key=f"{village}:202002")
    closings = plan([signal, errors], [])
    assert sorted(e["case_id"] for e in closings) == sorted([signal["case_id"], errors["case_id"]])
    assert plan([signal, errors], [source("THRESHOLD_BUNCHING", village), source("DATA_ERRORS", f"{village}:202002")]) \
        == []


def test_a_cause_returning_after_closing_opens_a_new_case_pointing_back():
    closed = case("closed", opened="201911", closed_period="202002")
    [opening] = plan([closed], [source()])
    assert opening["previous_case_id"] == closed["case_id"]
    assert opening["case_id"] == rules.case_id("BELOW_LINE", HH, "202003", 1)
    assert plan([closed], [source()], as_of="202001") == []  # a replay of an earlier month


def test_a_cause_coming_back_in_the_month_its_case_closed_opens_a_new_case():
    """The pipeline closed the case because its cause was gone: a source in the same month is the cause back (a
    correction bringing back a flag, a signal, a file's errors), not the evidence the case closed on."""
    village = "430521100001"
    for kind, key in (("BELOW_LINE", HH), ("THRESHOLD_BUNCHING", village), ("DATA_ERRORS", f"{village}:202003")):
        closed = case("closed", kind=kind, key=key, opened="202001", closed_period="202003", conclusion="属实")
        [opening] = plan([closed], [{**source(kind, key), "subject_period": "202003" if kind == "DATA_ERRORS"
                                     else None}])
        assert (opening["event"], opening["previous_case_id"]) == ("opened", closed["case_id"]), kind


def test_a_case_a_person_closed_does_not_open_again_in_that_month_from_the_evidence_still_there():
    removed = case("closed", opened="202001", closed_period="202003", conclusion="风险消除")
    assert plan([removed], [source()]) == []
    assert plan([removed], [source()], as_of="202004")[0]["previous_case_id"] == removed["case_id"]
    dismissed = case("dismissed", opened="202001", closed_period="202003", value=3000.0)
    assert plan([dismissed], [source(value=1000.0)]) == []
    assert len(plan([dismissed], [source(value=1000.0)], as_of="202004")) == 1


def test_a_dismissal_of_a_months_data_errors_holds_after_its_income_year():
    """The errors of a village × month belong to that month's income year: a run in the next one (September's file
    still open to cases after October arrived) brings no new evidence."""
    key = "430521100001:202009"
    dismissed = case("dismissed", kind="DATA_ERRORS", key=key, opened="202009", closed_period="202009")
    assert plan([dismissed], [{**source("DATA_ERRORS", key, value=None), "subject_period": "202009"}],
                as_of="202010") == []


def test_a_dismissal_holds_in_its_income_year_until_the_evidence_worsens_by_the_factor():
    dismissed = case("dismissed", closed_period="202001", value=3000.0)
    assert plan([dismissed], [source(value=2700.01)]) == []
    [reopened] = plan([dismissed], [source(value=2700.0)])
    assert reopened["previous_case_id"] == dismissed["case_id"]
    assert plan([dismissed], [source(value=2900.0)], as_of="202010")[0]["event"] == "opened"  # next income year


def test_a_dismissal_of_a_zero_or_negative_projection_reopens_only_for_a_further_fall():
    """A projection can be zero or negative (expenses above income): one that stayed or rose did not fall."""
    for was, held, reopens in ((-1000.0, -950.0, -1100.0), (0.0, 0.0, -0.01)):
        dismissed = case("dismissed", closed_period="202001", value=was)
        assert plan([dismissed], [source(value=held)]) == [], was
        assert plan([dismissed], [source(value=-999.0 if was else 0.0)]) == [], was
        assert plan([dismissed], [source(value=reopens)])[0]["previous_case_id"] == dismissed["case_id"], was


def test_a_department_case_reopens_after_dismissal_only_for_a_new_record():
    dept = case("dismissed", kind="DEPT_DIBAO_NEW", closed_period="202001", detail="2020-01-05 低保")
    assert plan([dept], [source("DEPT_DIBAO_NEW", detail="2020-01-05 低保")]) == []
    assert len(plan([dept], [source("DEPT_DIBAO_NEW", detail="2020-03-01 低保")])) == 1


def test_a_replay_of_an_earlier_month_leaves_later_cases_alone():
    assert plan([case("open", kind="MISSING_RETURN", key="430521100001", opened="202003")], [], as_of="202002") == []


def test_a_replay_of_an_earlier_month_closes_nothing_a_later_run_kept_open():
    """Opened in February, kept open at March's run: a rerun as of February, its signal gone, leaves it open."""
    kept = case("open", kind="MISSING_RETURN", key="430521100001", opened="202002")
    replay = RunContext(9, "202002", TODAY, DEFAULTS, judged_until="202003")
    assert plan_events([kept], [], [], {}, replay) == []
    latest = RunContext(9, "202003", TODAY, DEFAULTS, judged_until="202003")
    assert [e["event"] for e in plan_events([kept], [], [], {}, latest)] == ["closed"]


def test_deadlines_without_and_with_a_campaign():
    plain = CaseSettings()
    assert rules.deadline("BELOW_LINE", date(2020, 5, 1), plain) == date(2020, 5, 16)
    assert rules.deadline("DATA_ERRORS", date(2020, 5, 1), plain) == date(2020, 5, 8)
    campaign = CaseSettings(campaign_name="回头看", campaign_end=date(2020, 5, 30))
    assert rules.deadline("BELOW_LINE", date(2020, 5, 20), campaign) == date(2020, 5, 30)  # earlier: the campaign's
    assert rules.deadline("BELOW_LINE", date(2020, 5, 10), campaign) == date(2020, 5, 25)  # own deadline earlier
    assert rules.deadline("DATA_ERRORS", date(2020, 5, 27), campaign) == date(2020, 5, 30)
    assert rules.deadline("BELOW_LINE", date(2020, 6, 1), campaign) == date(2020, 6, 16)   # opened after its end


def test_overdue_days_only_while_waiting():
    due = date(2020, 4, 1)
    assert rules.overdue_days("open", "BELOW_LINE", due, date(2020, 4, 11)) == 10
    assert rules.overdue_days("open", "BELOW_LINE", due, due) == 0
    assert rules.overdue_days("confirmed", "BELOW_LINE", due, date(2020, 4, 11)) == 0
    assert rules.overdue_days("confirmed", "DATA_ERRORS", due, date(2020, 4, 11)) == 10
    assert rules.overdue_days("closed", "DATA_ERRORS", due, date(2020, 4, 11)) == 0


def test_a_subject_named_twice_in_one_run_opens_one_case():
    assert len(plan([], [source(detail="a"), source(detail="b")])) == 1


def test_decision_dates_in_the_forms_people_and_excel_write():
    from tasks.cases.decisions import parse_date

    expected = date(2020, 4, 10)
    for text in ("2020-04-10", "2020/4/10", "2020.4.10", "2020年4月10日", "2020-04-10 00:00:00", "2020-04-10 09:30",
                 "43931", "43931.0"):
        assert parse_date(text) == expected, text
    for text in ("2020-13-01", "10/4/2020", "昨天", "", "43931.5"):
        assert parse_date(text) is None, text


def test_a_department_case_closes_only_when_open_and_its_record_is_withdrawn():
    """DEPT cases are events, not states (cases.md): a person's conclusion stands, and a finding that is no longer
    made while its record is still in the department file (the household's own figures changed) closes nothing."""
    ctx = RunContext(9, "202003", TODAY, DEFAULTS, departments_checked=True)
    cases = [case(status, kind="DEPT_VEHICLE", opened="202002") for status in ("open", "confirmed", "assisting")]
    events = [plan_events([c], [], [], {HH: []}, ctx) for c in cases]
    assert [[e["event"] for e in found] for found in events] == [["closed"], [], []]
    still_there = RunContext(9, "202003", TODAY, DEFAULTS, departments_checked=True,
                             department_records=frozenset({("DEPT_VEHICLE", HH)}))
    assert plan_events([cases[0]], [], [], {HH: []}, still_there) == []


def finding_detail(event: str, finding: str, return_period: str = "202003", day: int = 5, amount=None,
                   income=None, grade=None) -> str:
    """A department finding's detail as tasks.departments.details writes it."""
    from tasks.departments.details import detail_of
    from tasks.departments.findings import Rules

    record = {"event": event, "event_date": date(2020, 3, day), "amount": amount, "grade": grade,
              "return_period": return_period, "insured_count": 3, "household_size": 3, "income": income}
    return detail_of(record, finding, "甲县", Rules())


def test_a_dismissed_department_case_holds_while_only_the_return_it_quotes_changes():
    """The detail of a MISMATCH quotes the return's month and a medical share the projected income: another month
    of those is no new record (cases.md: another event date or a higher amount reopens)."""
    housing = case("dismissed", kind="DEPT_UNSAFE_HOUSING", closed_period="202003",
                   detail=finding_detail("UNSAFE_HOUSING", "MISMATCH", "202003", grade="D"))
    assert plan([housing], [source("DEPT_UNSAFE_HOUSING", detail=finding_detail(
        "UNSAFE_HOUSING", "MISMATCH", "202004", grade="D"))], as_of="202004") == []
    assert len(plan([housing], [source("DEPT_UNSAFE_HOUSING", detail=finding_detail(
        "UNSAFE_HOUSING", "MISMATCH", "202004", day=20, grade="D"))], as_of="202004")) == 1
    medical = case("dismissed", kind="DEPT_MEDICAL_OOP", closed_period="202003",
                   detail=finding_detail("MEDICAL_OOP", "CLUE", amount=12000.0, income=20000.0))
    for amount, income, opens in ((12000.0, 21000.0, 0), (11000.0, 20000.0, 0), (12500.0, 20000.0, 1)):
        found = plan([medical], [source("DEPT_MEDICAL_OOP", detail=finding_detail(
            "MEDICAL_OOP", "CLUE", amount=amount, income=income))], as_of="202004")
        assert len(found) == opens, (amount, income)


def test_a_department_case_closed_by_risk_removal_reopens_only_for_a_new_record():
    """DEPT cases are events (cases.md): the record a person closed by 风险消除 stays in the department files of the
    income year, and is no returning cause; a record withdrawn and sent again is."""
    same = finding_detail("DIBAO_NEW", "CLUE")
    removed = case("closed", kind="DEPT_DIBAO_NEW", opened="202003", closed_period="202003", conclusion="风险消除",
                   detail=same)
    assert plan([removed], [source("DEPT_DIBAO_NEW", detail=same)], as_of="202004") == []
    assert len(plan([removed], [source("DEPT_DIBAO_NEW", detail=finding_detail("DIBAO_NEW", "CLUE", day=25))],
                    as_of="202004")) == 1
    withdrawn = {**removed, "conclusion": None}
    assert len(plan([withdrawn], [source("DEPT_DIBAO_NEW", detail=same)], as_of="202004")) == 1


def test_a_dismissed_department_case_covers_every_record_its_detail_quotes():
    """A DEPT case's detail joins its household's findings of the event (sources.department_sources): any of those
    records again is no new record; another date, or a higher amount than the same date's, is."""
    def relief(*records: tuple[int, float]) -> str:
        return "；".join(finding_detail("TEMP_RELIEF", "CLUE", day=d, amount=a) for d, a in records)

    dismissed = case("dismissed", kind="DEPT_TEMP_RELIEF", closed_period="202003", detail=relief((5, 800.0), (20, 500.0)))
    for records, opens in ((((5, 800.0), (20, 500.0)), 0), (((20, 500.0),), 0), (((5, 800.0), (20, 300.0)), 0),
                           (((5, 800.0), (20, 600.0)), 1), (((5, 800.0), (20, 500.0), (25, 100.0)), 1)):
        found = plan([dismissed], [source("DEPT_TEMP_RELIEF", detail=relief(*records))], as_of="202004")
        assert len(found) == opens, records
