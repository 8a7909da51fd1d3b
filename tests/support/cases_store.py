"""A small store for ledger tests: one village's households month by month, marts and ledger as a run does."""
from __future__ import annotations

from datetime import date

from tasks.cases import ledger
from tasks.cases.run import update_ledger
from tests.support.store_builder import VILLAGE, build_store, household_row, rebuild_marts, settings_with

LOW, HIGH, MID = 8000.0, 100000.0, 30000.0   # year totals for 4 people: 2000 (below), 25000 (safe), 7500 (above range)


def hid(n: int) -> str:
    """A household ID of the test village."""
    return f"{VILLAGE}{n:04d}"


def rows_until(plan: dict[int, list[float]], periods: list[str], **other) -> list[dict]:
    """Rows of each household for the periods, its year total per month from plan (ytd = total × month / 12)."""
    rows = []
    for n, totals in plan.items():
        for month, (period, total) in enumerate(zip(periods, totals), start=1):
            rows.append(household_row(hid(n), period, wage=total * month / 12, household_type="监测户", **other))
    return rows


def ledger_store(plan: dict[int, list[float]], periods: list[str], rejected=()):
    """A store holding the plan's rows; returns (connection, settings)."""
    settings = settings_with(share_min_households=1)
    return build_store(rows_until(plan, periods), rejected=list(rejected)), settings


def judge(con, settings, as_of: str, today: date, run_id: int = 1) -> dict:
    """The marts and the ledger for one as-of month, as a run does them."""
    rebuild_marts(con, settings, as_of)
    return update_ledger(con, settings, as_of, today, run_id)


def cases_by_household(con) -> dict[str, list[dict]]:
    """Every case by subject, oldest first."""
    found: dict[str, list[dict]] = {}
    for row in con.sql("SELECT * FROM cases ORDER BY case_number").pl().to_dicts():
        found.setdefault(row["subject_key"], []).append(row)
    return found


def save_to_file(con, path) -> None:
    """Copy an in-memory store into a DuckDB file (for the command line), then close it."""
    con.execute(f"ATTACH '{path}' AS target").fetchall()  # our own temporary path, not input
    con.execute("COPY FROM DATABASE memory TO target").fetchall()
    con.execute("DETACH target").fetchall()
    con.close()


def fill_workbook(source, target, decisions: dict[str, tuple], extra_rows: list[tuple] = ()) -> None:
    """Fill a case workbook as a clerk would in another program (openpyxl): the five cells of the cases named,
    extra rows appended, the sheet renamed, columns widened and a sheet added in front."""
    import openpyxl

    book = openpyxl.load_workbook(source)
    sheet = book["待办"]
    for row in range(2, sheet.max_row + 1):
        filled = decisions.get(sheet.cell(row, 1).value)
        if filled:
            for col, value in enumerate(filled, start=13):
                sheet.cell(row, col).value = value
                if isinstance(value, str):  # typed as text: openpyxl would make "=..." a formula
                    sheet.cell(row, col).data_type = "s"
    for extra in extra_rows:
        sheet.append(list(extra))
    sheet.title = "已核查"
    sheet.column_dimensions["G"].width = 80
    book.create_sheet("汇总", 0)
    book.save(target)


def opened_cases(out, below: int):
    """A store whose run on 2020-04-05 opened BELOW_LINE cases for households 1 to `below`, the next household
    fine, with its outputs under `out`; returns (connection, settings, case id by household)."""
    from tests.support.store_builder import year_periods

    con, settings = ledger_store({**{n: [LOW] * 6 for n in range(1, below + 1)}, below + 1: [HIGH] * 6},
                                 year_periods(2020, 6))
    settings = settings.with_paths(out=out)
    judge(con, settings, "202003", date(2020, 4, 5))
    return con, settings, {key: found[0]["case_id"] for key, found in cases_by_household(con).items()}


def cases_table(con) -> list[tuple]:
    """Every row of the cases table, in case order."""
    return con.execute("SELECT * FROM cases ORDER BY case_id").fetchall()


def derived_whole(con, settings, as_of: str, today: date) -> list[tuple]:
    """The cases table as deriving every case from the whole ledger leaves it (the record of the last derivation
    forgotten), checked to have derived them all."""
    con.execute("DELETE FROM cases_derived").fetchall()
    assert ledger.derive_cases(con, settings, as_of, today) == con.execute("SELECT count(*) FROM cases").fetchone()[0]
    return cases_table(con)
