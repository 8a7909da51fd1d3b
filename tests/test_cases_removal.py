"""Risk-removal candidates at exactly removal_months, the ledger's derivation from events alone, and 风险消除 imported."""
from __future__ import annotations

from datetime import date

import pytest

from core import db
from core.income_year import period_of
from tasks.cases import ledger
from tests.support.store_builder import settings_with

HH = "4305211000010001"
MONTHS = ["201910", "201911", "201912", "202001", "202002", "202003"]


def assisting_store(measures: str, labor: int, above: list[bool]):
    """A store with one assisting household case and its monthly evidence (above or below the floor)."""
    con = db.connect(":memory:")
    base = {"case_id": "K1", "event_on": date(2019, 10, 20), "as_of_period": "201910", "run_id": 1,
            "status": "open", "kind": "BELOW_LINE", "subject_key": HH, "household_id": HH, "county_code": "430521",
            "township_code": "430521100", "village_code": HH[:12], "opened_period": "201910",
            "opened_on": date(2019, 10, 20)}
    decided = {"case_id": "K1", "event": "decision", "event_on": date(2019, 10, 25), "status": "assisting",
               "conclusion": "属实", "measures": measures, "actor": "李四", "decided_on": date(2019, 10, 25)}
    ledger.append_events(con, [{**base, "event": "opened"}, decided], None)
    for period, ok in zip(MONTHS[-len(above):], above):
        con.execute("INSERT INTO case_evidence VALUES (?, ?, ?, 6000, ?, '')",
                    [HH, period, 6000.0 if ok else 5999.99, labor]).fetchall()
    ledger.derive_cases(con, settings_with(), "202003", date(2020, 4, 5))
    return con


def candidate(con) -> bool:
    """Whether the one case is a removal candidate."""
    return con.execute("SELECT is_removal_candidate FROM cases").fetchall()[0][0]


@pytest.mark.parametrize("above, expected", [
    ([True] * 6, True),                   # exactly 6 months at the floor or above
    ([True] * 5, False),                  # only 5 months on record
    ([False] + [True] * 5, False),        # 5 above after one below
    ([True] * 5 + [False], False),
])
def test_removal_needs_removal_months_consecutive_months_above_the_range(above, expected):
    assert candidate(assisting_store("稳岗就业", 1, above)) is expected


def test_removal_needs_labour_or_a_guarantee_measure():
    assert candidate(assisting_store("稳岗就业", 0, [True] * 6)) is False
    assert candidate(assisting_store("兜底保障", 0, [True] * 6)) is True


@pytest.mark.parametrize("above", [[True] * 5, [True] * 5 + [False], []])
def test_a_guarantee_measure_does_not_stand_in_for_the_months_above_the_range(above):
    """兜底保障 replaces labour, not the removal_months months at or above the range (cases.md)."""
    assert candidate(assisting_store("兜底保障", 0, above)) is False
    assert candidate(assisting_store("兜底保障、稳岗就业", 1, above)) is False


def test_the_cases_table_is_rebuilt_from_events_alone():
    con = assisting_store("稳岗就业", 1, [True] * 6)
    before = con.execute("SELECT * FROM cases").fetchall()
    con.execute("DELETE FROM cases").fetchall()
    ledger.derive_cases(con, settings_with(), "202003", date(2020, 4, 5))
    assert con.execute("SELECT * FROM cases").fetchall() == before
    assert before[0][11] == "assisting"


def assisting_from_october(last_month: int = 1):
    """A store of one household far above the range, two complete years and the third up to a month (October),
    whose 民政局 case opened in that month and is assisting (兜底保障); its settings."""
    from tests.support.store_builder import build_store, linear_year, rebuild_marts

    rows = [r for year in (2018, 2019) for r in linear_year(HH, year, size=1, wage=30000.0)]
    con = build_store(rows + linear_year(HH, 2020, last_month=last_month, size=1, wage=30000.0))
    settings = settings_with(share_min_households=1)
    as_of = period_of(2020, last_month)
    rebuild_marts(con, settings, as_of)
    base = {"case_id": "K1", "event_on": date(2019, 11, 5), "as_of_period": as_of, "run_id": 1, "status": "open",
            "kind": "DEPT_DIBAO_NEW", "subject_key": HH, "household_id": HH, "county_code": "430521",
            "township_code": "430521100", "village_code": HH[:12], "opened_period": as_of,
            "opened_on": date(2019, 11, 5)}
    ledger.append_events(con, [{**base, "event": "opened"}, {
        "case_id": "K1", "event": "decision", "event_on": date(2019, 11, 7), "status": "assisting",
        "conclusion": "属实", "measures": "兜底保障", "actor": "李四", "decided_on": date(2019, 11, 7)}], None)
    ledger.derive_cases(con, settings, as_of, date(2019, 11, 8))
    return con, settings


def test_the_removal_window_reaches_back_into_the_previous_income_year():
    """cases.md: the last removal_months months. A household far above the range whose 民政局 case opens in
    October (month 1) had only that month on record (the ledger keeps the months of a household's cases, and it had
    none before): not a candidate until March. Its months before October come from the backtest of last year, as
    each month was projected when it was run, month 12 the year's actual."""
    from tasks.cases.run import collect_evidence

    con, settings = assisting_from_october()
    collect_evidence(con, settings, "201910")
    ledger.derive_cases(con, settings, "201910", date(2019, 11, 8))
    months = con.execute("SELECT period, projected_per_capita, labor_count FROM case_evidence ORDER BY period").fetchall()
    assert [p for p, _, _ in months] == ["201905", "201906", "201907", "201908", "201909", "201910"]
    assert months[-2][1] == pytest.approx(30000.0) and months[-2][2] is None  # September: the actual
    assert all(value > 20000 for _, value, _ in months)
    assert candidate(con) is True
    collect_evidence(con, settings, "201910")  # once on record, the months are not written again
    assert con.execute("SELECT count(*) FROM case_evidence").fetchall() == [(6,)]
    # only the months before the household's first one on record come from the backtest: a later month the runs
    # saw without a return stays a gap
    con.execute("DELETE FROM case_evidence WHERE period IN ('201905', '201906', '201908')").fetchall()
    collect_evidence(con, settings, "201910")
    kept = [p for (p,) in con.execute("SELECT period FROM case_evidence ORDER BY period").fetchall()]
    assert kept == ["201905", "201906", "201907", "201909", "201910"]


def test_last_september_is_in_the_window_up_to_the_income_years_month_removal_months_minus_1():
    """With removal_months 6, a case whose household is first on record in February (month 5) still has last
    September in its window (from the backtest: the year's actual); from March (month 6) the window lies within
    the income year and last year's backtest is not read."""
    from tasks.cases.run import collect_evidence

    con, settings = assisting_from_october(last_month=5)
    assert settings.cases.removal_months == 6
    con.execute("DELETE FROM case_evidence").fetchall()
    collect_evidence(con, settings, "202002")
    periods = [p for (p,) in con.execute("SELECT period FROM case_evidence ORDER BY period").fetchall()]
    assert periods == ["201909", "201910", "201911", "201912", "202001", "202002"]


def test_a_row_group_of_backfilled_months_reaches_the_ledger_when_no_month_of_the_year_changed():
    """A run whose months of the income year are all on record (no change) but whose case households lack a row group
    (122,880 rows) or more of last year's months: DuckDB 2.0.0 hid the rows a transaction inserted into a table it
    had made by CREATE … AS with no rows, so case_evidence_changes read as empty and the months were not kept."""
    from tasks.cases.run import collect_evidence

    con, settings = assisting_from_october()
    collect_evidence(con, settings, "201910")
    others = 26_000  # households with a case whose backtest rows copy HH's: five months each in the window
    con.execute("""INSERT INTO cases SELECT c.* REPLACE (case_id || '-' || i AS case_id, subject_key || '-' || i AS
                   subject_key, household_id || '-' || i AS household_id) FROM cases c, range(?) t(i)""", [others])
    con.execute("""INSERT INTO projection_backtest SELECT b.* REPLACE (household_id || '-' || i AS household_id)
                   FROM projection_backtest b, range(?) t(i) WHERE household_id = ?""", [others, HH])
    with db.transaction(con):  # as a run's ledger update
        collect_evidence(con, settings, "201910")
    kept = con.execute("SELECT count(*) FROM case_evidence WHERE household_id LIKE ?", [HH + "-%"]).fetchall()[0][0]
    assert kept == others * 5 >= 122_880


def decision_book(path, rows: list[tuple]) -> None:
    """A case workbook holding only the header and these rows of (台账编号, the five decision cells)."""
    import xlsxwriter

    from tasks.cases.workbook import COLUMNS, DECISION_COLUMNS

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("待办")
    sheet.write_row(0, 0, COLUMNS)
    for r, (case_id, *cells) in enumerate(rows, start=1):
        sheet.write_string(r, 0, case_id)
        for name, value in zip(DECISION_COLUMNS, cells):
            if value:
                sheet.write_string(r, COLUMNS.index(name), value)
    book.close()


@pytest.mark.parametrize("measures, labor, rows, removed", [
    ("兜底保障", 0, [("风险消除", None)], True),
    ("兜底保障", 0, [("风险消除", "医疗救助")], False),              # its measures would no longer hold 兜底保障
    ("兜底保障", 0, [("属实", "医疗救助"), ("风险消除", None)], False),  # a row before it replaced them
    ("稳岗就业", 1, [("风险消除", "医疗救助")], True),               # labour stands in
])
def test_risk_removal_is_checked_on_the_measures_the_rows_leave(tmp_path, measures, labor, rows, removed):
    from tasks.cases.importer import import_workbooks

    con = assisting_store(measures, labor, [True] * 6)
    assert candidate(con) is True
    decision_book(tmp_path / "f.xlsx", [("K1", conclusion, measure, "李四", f"2020-04-1{n}", None)
                                        for n, (conclusion, measure) in enumerate(rows)])
    result = import_workbooks(con, settings_with().with_paths(out=tmp_path), [tmp_path / "f.xlsx"], date(2020, 4, 20))
    status = con.execute("SELECT status FROM cases").fetchall()[0][0]
    assert (status == "closed", result.refused) == (removed, 0 if removed else 1)
