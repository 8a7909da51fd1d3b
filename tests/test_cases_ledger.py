"""The ledger on a real store: runs open and close cases from flags, signals and data errors; events append only."""
from __future__ import annotations

from datetime import date

import polars as pl

from tasks.ingest.load import refresh_every_current_file
from tasks.cases import rules
from tasks.cases.run import judge_as_of, update_ledger, write_cases_csv
from tests.support.cases_store import HIGH, LOW, VILLAGE, hid, judge, ledger_store, cases_by_household
from tests.support.store_builder import year_periods

PERIODS = year_periods(2020, 6)  # 201910 .. 202003


def test_a_run_opens_cases_for_flags_and_data_errors_and_writes_cases_csv(tmp_path):
    con, settings = ledger_store({1: [LOW] * 6, 2: [HIGH] * 6}, PERIODS, rejected=[(VILLAGE, "202004")])
    con.execute("INSERT INTO admin_units VALUES ('430521100002', '二村', 'village', '430521100', false)").fetchall()
    counts = judge(con, settings, "202003", date(2020, 4, 5))
    found = cases_by_household(con)
    assert [c["kind"] for c in found[hid(1)]] == ["BELOW_LINE"] and hid(2) not in found
    assert found[hid(1)][0]["case_id"] == rules.case_id("BELOW_LINE", hid(1), "202003", 0)
    assert found[hid(1)][0]["deadline"] == date(2020, 4, 20)
    assert found["430521100002"][0]["kind"] == "MISSING_RETURN"
    assert f"{VILLAGE}:202004" not in found  # a later month than the as-of opens nothing yet
    assert counts["opened"] == len(con.sql("SELECT * FROM cases").fetchall())
    judge_as_of(con, settings, date(2020, 4, 25))
    path = write_cases_csv(con, tmp_path)
    table = pl.read_csv(path, infer_schema_length=0)
    assert table.columns == ["case_id", "county_code", "township_code", "village_code", "household_id", "kind",
                             "opened_period", "opened_on", "deadline", "status", "conclusion", "measures",
                             "closed_on", "overdue_days", "previous_case_id", "subject_period"]
    row = table.filter(pl.col("household_id") == hid(1)).row(0, named=True)
    assert (row["opened_on"], row["deadline"], row["overdue_days"], row["status"]) == \
        ("2020-04-05", "2020-04-20", "5", "open")


def test_a_second_run_keeps_cases_and_appends_only_events():
    con, settings = ledger_store({1: [LOW] * 6}, PERIODS)
    judge(con, settings, "202003", date(2020, 4, 5))
    before = con.execute("SELECT * FROM case_events ORDER BY seq").fetchall()
    assert judge(con, settings, "202003", date(2020, 4, 6), run_id=2) == {"opened": 0, "closed": 0}
    assert con.execute("SELECT * FROM case_events ORDER BY seq").fetchall() == before


def test_data_errors_case_opens_for_a_rejected_only_file_and_closes_when_a_good_file_arrives():
    con, settings = ledger_store({1: [HIGH] * 6}, PERIODS[:5], rejected=[(VILLAGE, "202003")])
    judge(con, settings, "202003", date(2020, 4, 5))
    [errors] = cases_by_household(con)[f"{VILLAGE}:202003"]
    assert (errors["kind"], errors["subject_period"], errors["deadline"]) == ("DATA_ERRORS", "202003", date(2020, 4, 12))
    con.execute("INSERT INTO source_files (file_id, sha256, file_name, first_path, size_bytes, village_code, period, "
                "correction_rank, ingest_run_id, ingested_at, status) VALUES (77, 'good', ?, ?, 1, ?, '202003', 2, 2, "
                "now(), 'loaded')", [f"{VILLAGE}_202003_更正.csv"] * 2 + [VILLAGE]).fetchall()
    refresh_every_current_file(con)
    judge(con, settings, "202003", date(2020, 4, 9), run_id=2)
    [closed] = cases_by_household(con)[f"{VILLAGE}:202003"]
    assert (closed["status"], closed["closed_on"]) == ("closed", date(2020, 4, 9))
    assert con.execute("SELECT count(*) FROM case_events WHERE case_id = ?", [closed["case_id"]]).fetchall()[0][0] == 2


def test_department_findings_enter_through_the_seam():
    con, settings = ledger_store({1: [HIGH] * 6}, PERIODS)
    settings_run = judge(con, settings, "202003", date(2020, 4, 5))
    findings = pl.DataFrame({"event": ["DIBAO_NEW"], "household_id": [hid(1)], "county_code": ["430521"],
                             "township_code": ["430521100"], "village_code": [VILLAGE], "detail": ["2020-03-02 新增低保"]})
    assert update_ledger(con, settings, "202003", date(2020, 4, 6), 2, findings)["opened"] == 1
    assert cases_by_household(con)[hid(1)][0]["kind"] == "DEPT_DIBAO_NEW"
    assert update_ledger(con, settings, "202003", date(2020, 4, 7), 3, findings.clear())["closed"] == 1
    assert settings_run["opened"] == 0


def test_a_department_case_is_shown_with_its_events_label(tmp_path):
    """On the county page's 待办台账 and in the township workbook, a DEPT_<EVENT> case reads 部门比对 and the
    event's Chinese name, as every other kind reads its label (not the code)."""
    from core import db
    from tasks.cases.workbook import export_workbooks

    con, settings = ledger_store({1: [HIGH] * 6}, year_periods(2020, 6))
    settings = settings.with_paths(out=tmp_path / "out")
    findings = pl.DataFrame({"event": ["TEKUN_NEW"], "household_id": [hid(1)], "county_code": [VILLAGE[:6]],
                             "township_code": [VILLAGE[:9]], "village_code": [VILLAGE], "detail": ["2020-03-05 特困"]})
    judge(con, settings, "202003", date(2020, 4, 5))
    update_ledger(con, settings, "202003", date(2020, 4, 25), 2, findings)
    con.execute("INSERT INTO department_labels VALUES ('event', 'TEKUN_NEW', '新纳入特困供养')").fetchall()
    judge_as_of(con, settings, date(2020, 6, 1))  # overdue by then: on the 待办 list
    todo = db.frame(con, "reports/cases_todo", {"county_codes": [VILLAGE[:6]], "period": "202003"})
    assert todo.filter(pl.col("kind") == "DEPT_TEKUN_NEW")["kind_label"].to_list() == ["部门比对：新纳入特困供养"]
    [path] = export_workbooks(con, settings, date(2020, 6, 1))
    import fastexcel

    sheet = fastexcel.read_excel(path.read_bytes()).load_sheet(0).to_polars()
    assert "部门比对：新纳入特困供养" in sheet["类型"].to_list()


def test_a_department_case_opened_now_has_its_evidence_now(tmp_path):
    """The evidence of a household whose department case opened in this run is kept by this run, so the next
    run with nothing new adds nothing to the store."""
    con, settings = ledger_store({1: [HIGH] * 6}, year_periods(2020, 6))
    findings = pl.DataFrame({"event": ["TEKUN_NEW"], "household_id": [hid(1)], "county_code": [VILLAGE[:6]],
                             "township_code": [VILLAGE[:9]], "village_code": [VILLAGE], "detail": ["2020-03-05 特困"]})
    judge(con, settings, "202003", date(2020, 4, 5))
    assert update_ledger(con, settings, "202003", date(2020, 4, 25), 2, findings)["opened"] == 1
    evidence = con.execute("SELECT * FROM case_evidence ORDER BY ALL").fetchall()
    assert [row[0] for row in evidence] == [hid(1)] * 6
    assert update_ledger(con, settings, "202003", date(2020, 4, 26), 3, findings) == {"opened": 0, "closed": 0}
    assert con.execute("SELECT * FROM case_evidence ORDER BY ALL").fetchall() == evidence


def test_deriving_again_rewrites_only_the_cases_that_changed_and_equals_a_derivation_from_scratch():
    """A decision on one case and a later day: that case's row is replaced, every other keeps its row (its
    overdue days updated), and the table is what deriving every case from the ledger gives."""
    from tasks.cases import ledger
    from tasks.cases.batch import decision_event

    con, settings = ledger_store({n: [LOW] * 6 for n in range(1, 4)}, PERIODS)
    judge(con, settings, "202003", date(2020, 4, 5))
    row_ids = "SELECT case_id, rowid FROM cases ORDER BY case_id"
    before = dict(con.execute(row_ids).fetchall())
    decided = cases_by_household(con)[hid(2)][0]
    event = decision_event(decided, {"conclusion": rules.CONFIRMED, "measures": "公益岗位", "actor": "李四",
                                     "decided_on": date(2020, 4, 20), "note": None}, None)
    ledger.append_events(con, [{**event, "event_on": date(2020, 4, 20), "kind": decided["kind"],
                                "subject_key": decided["subject_key"]}], None)
    later = date(2020, 6, 30)
    ledger.derive_cases(con, settings, "202003", later)
    after = dict(con.execute(row_ids).fetchall())
    assert set(after) == set(before) and len(before) >= 3
    assert [case_id for case_id in after if after[case_id] != before[case_id]] == [decided["case_id"]]
    state = cases_by_household(con)
    assert state[hid(2)][0]["status"] == "assisting"
    assert state[hid(1)][0]["overdue_days"] > 0 and state[hid(1)][0]["judged_on"] == later
    kept = con.execute("SELECT * FROM cases ORDER BY case_id").fetchall()
    con.execute("DELETE FROM cases").fetchall()  # every case derived again from the ledger alone
    ledger.derive_cases(con, settings, "202003", later)
    assert con.execute("SELECT * FROM cases ORDER BY case_id").fetchall() == kept


def test_a_ledger_of_more_cases_than_a_row_group_keeps_every_case_through_its_runs():
    """More than 122,880 cases (a DuckDB row group): DuckDB 2.0.0 hid the rows a transaction inserted into a table
    it had made by CREATE … AS … LIMIT 0, so a province's ledger read every case as gone and its table was left
    empty. The derivation runs in one transaction, as a run's ledger update does; twice, as on two nights."""
    from core import db
    from tasks.cases import ledger

    con, settings = ledger_store({1: [LOW] * 6}, PERIODS)
    judge(con, settings, "202003", date(2020, 4, 5))
    first = con.execute("SELECT min(seq) FROM case_events WHERE event = 'opened'").fetchall()[0][0]
    copies = 130_000  # copies of that opening, each a case of its own
    con.execute("""INSERT INTO case_events
                   SELECT e.* REPLACE (seq + i * 1000000 AS seq, case_id || '-' || i AS case_id,
                                       subject_key || '-' || i AS subject_key)
                   FROM case_events e, range(1, ? + 1) t(i) WHERE e.seq = ?""", [copies, first]).fetchall()
    expected = con.execute("SELECT count(DISTINCT case_id) FROM case_events").fetchall()[0][0]
    assert expected > copies
    for today in (date(2020, 4, 6), date(2020, 4, 7)):
        with db.transaction(con):
            ledger.derive_cases(con, settings, "202003", today)
        assert con.execute("SELECT count(*), count(DISTINCT case_id), min(judged_on) FROM cases").fetchall() == [
            (expected, expected, today)]


def test_an_opening_recorded_twice_for_one_case_id_derives_one_case():
    """A second 'opened' event of a case id (left by a run whose cases table was emptied) is not a second case."""
    from tasks.cases import ledger

    con, settings = ledger_store({n: [LOW] * 6 for n in range(1, 3)}, PERIODS)
    judge(con, settings, "202003", date(2020, 4, 5))
    kept = con.execute("SELECT * FROM cases ORDER BY case_id").fetchall()
    con.execute("""INSERT INTO case_events SELECT * REPLACE (seq + 1000 AS seq)
                   FROM case_events WHERE event = 'opened'""").fetchall()
    con.execute("DELETE FROM cases").fetchall()  # derived again from the ledger alone, as after such a run
    ledger.derive_cases(con, settings, "202003", date(2020, 4, 5))
    assert con.execute("SELECT * FROM cases ORDER BY case_id").fetchall() == kept and len(kept) >= 2


def deliver_version(con, period: str, rank: int, run_id: int, error_row: int | None) -> None:
    """A later version (_v<rank>) of the test village's file of a month, with an error at error_row or none."""
    file_id = 600 + rank * 100 + int(period) % 100
    con.execute("INSERT INTO source_files (file_id, sha256, file_name, first_path, size_bytes, village_code, period, "
                "correction_rank, ingest_run_id, ingested_at, status) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, now(), "
                "'loaded')", [file_id, f"v{rank}{period}", *[f"{VILLAGE}_{period}_v{rank}.csv"] * 2, VILLAGE, period,
                              rank, run_id]).fetchall()
    refresh_every_current_file(con)
    if error_row is not None:
        add_error(con, file_id, error_row, run_id)


def add_error(con, file_id: int, row: int, run_id: int) -> None:
    """An error row (a negative wage) of a file."""
    con.execute("INSERT INTO problems VALUES (?, ?, NULL, 'ROW_NEGATIVE', 'error', '工资性收入为负', ?)",
                [file_id, row, run_id]).fetchall()


def first_version(con, period: str) -> int:
    """The file id of the test village's first file of a month."""
    return con.execute("SELECT file_id FROM source_files WHERE village_code = ? AND period = ? AND correction_rank = 1",
                       [VILLAGE, period]).fetchall()[0][0]


def test_data_errors_brought_back_by_a_later_file_in_the_month_they_closed_open_a_new_case():
    """cases.md: the cause returning after its case closed opens a new case, in the same as-of month too (a _v3
    bringing back what _v2 corrected is a later file, not the evidence the case closed on)."""
    con, settings = ledger_store({1: [HIGH] * 6}, PERIODS)
    add_error(con, first_version(con, "202003"), 45, 1)
    judge(con, settings, "202003", date(2020, 4, 10))
    deliver_version(con, "202003", 2, 2, None)
    judge(con, settings, "202003", date(2020, 4, 11), run_id=2)
    deliver_version(con, "202003", 3, 3, 45)
    assert judge(con, settings, "202003", date(2020, 4, 12), run_id=3) == {"opened": 1, "closed": 0}
    first, second = cases_by_household(con)[f"{VILLAGE}:202003"]
    assert (first["status"], first["closed_on"]) == ("closed", date(2020, 4, 11))
    assert (second["status"], second["opened_on"], second["previous_case_id"]) == \
        ("open", date(2020, 4, 12), first["case_id"])
    assert "_v3" in second["detail"]
    assert judge(con, settings, "202003", date(2020, 4, 13), run_id=4) == {"opened": 0, "closed": 0}


def test_data_errors_of_last_income_years_september_open_after_october_arrived_but_older_history_does_not():
    """September's file corrected, then its errors brought back by a file that arrives with October's returns (the
    as-of month in the next income year) opens a case; so does a September file whose errors are new then. A month
    of an income year before the ledger's first (the store's history) opens none."""
    periods = ["201909", *year_periods(2020), "202010"]
    con, settings = ledger_store({1: [HIGH] * 13}, periods)
    con.execute("INSERT INTO admin_units VALUES ('430521100002', '二村', 'village', '430521100', false)").fetchall()
    add_error(con, first_version(con, "201909"), 7, 1)
    add_error(con, first_version(con, "202009"), 45, 1)
    judge(con, settings, "202009", date(2020, 10, 10))
    deliver_version(con, "202009", 2, 2, None)
    judge(con, settings, "202009", date(2020, 10, 20), run_id=2)
    assert cases_by_household(con)[f"{VILLAGE}:202009"][0]["status"] == "closed"
    deliver_version(con, "202009", 3, 3, 45)
    con.execute("INSERT INTO source_files (file_id, sha256, file_name, first_path, size_bytes, village_code, period, "
                "correction_rank, ingest_run_id, ingested_at, status) VALUES (990, 'late', '430521100002_202009.csv', "
                "'430521100002_202009.csv', 1, '430521100002', '202009', 1, 3, now(), 'loaded')").fetchall()
    refresh_every_current_file(con)
    add_error(con, 990, 3, 3)
    judge(con, settings, "202010", date(2020, 11, 10), run_id=3)
    found = cases_by_household(con)
    closed, reopened = found[f"{VILLAGE}:202009"]
    assert (reopened["status"], reopened["opened_period"], reopened["previous_case_id"]) == \
        ("open", "202010", closed["case_id"])
    assert found["430521100002:202009"][0]["status"] == "open"
    assert f"{VILLAGE}:201909" not in found


def test_a_dismissed_department_case_reopens_only_for_a_record_it_did_not_cover():
    """cases.md: after 不属实 only a new department record (another event date or a higher amount) opens a case in
    the income year. The case opened on a household's two TEMP_RELIEF records covers both: the next months, which
    still hold them, open nothing; a third record opens one, which covers all three."""
    from tasks.cases import ledger
    from tasks.cases.batch import decision_event
    from tests.support.store_builder import rebuild_marts

    def relief(*days: str) -> pl.DataFrame:
        return pl.DataFrame({"event": "TEMP_RELIEF", "household_id": hid(1), "county_code": VILLAGE[:6],
                             "township_code": VILLAGE[:9], "village_code": VILLAGE,
                             "detail": [f"民政局{day}报临时救助，村报表未反映，建议入户核实" for day in days]})

    def run(as_of: str, today: date, run_id: int, findings: pl.DataFrame) -> int:
        rebuild_marts(con, settings, as_of)
        return update_ledger(con, settings, as_of, today, run_id, findings)["opened"]

    def dismiss(case: dict, on: date) -> None:
        event = decision_event(case, {"conclusion": rules.DISMISSED, "measures": None, "actor": "李四",
                                      "decided_on": on, "note": "已核实无此事"}, None)
        ledger.append_events(con, [{**event, "event_on": on, "as_of_period": case["opened_period"]}], None)
        ledger.derive_cases(con, settings, case["opened_period"], on)

    con, settings = ledger_store({1: [HIGH] * 10}, year_periods(2020, 10))
    two = relief("2020-04-05", "2020-05-06")
    assert run("202005", date(2020, 5, 31), 1, two) == 1
    dismiss(cases_by_household(con)[hid(1)][0], date(2020, 6, 2))
    assert run("202006", date(2020, 6, 30), 2, two) == 0
    assert run("202006", date(2020, 7, 1), 3, relief("2020-05-06")) == 0
    assert run("202006", date(2020, 7, 2), 4, relief("2020-04-05", "2020-05-06", "2020-06-20")) == 1
    first, second = cases_by_household(con)[hid(1)]
    assert (first["status"], second["previous_case_id"]) == ("dismissed", first["case_id"])
    dismiss(second, date(2020, 7, 3))
    assert run("202007", date(2020, 7, 31), 5, relief("2020-04-05", "2020-05-06", "2020-06-20")) == 0
