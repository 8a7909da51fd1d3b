"""The audit of the exports (exports/*.csv, their .xlsx twins, the case workbooks, the spot-check lists) against the
store; each function takes the Audit (tests/support/page_audit.py) and notes what differs."""
from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from tests.support.html_tree import Element


def read_csv(path: Path) -> list[dict]:
    """An export's rows (UTF-8 with a BOM)."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def sheet_rows(path: Path, sheet: int = 0, first: int = 2) -> list[tuple]:
    """A workbook sheet's rows from its row `first` (under its header; blank rows left out)."""
    from openpyxl import load_workbook
    book = load_workbook(path, read_only=True)
    try:
        rows = [r for r in book.worksheets[sheet].iter_rows(min_row=first, values_only=True)
                if any(c is not None for c in r)]
    finally:
        book.close()
    return rows


def exports(audit) -> None:
    """Each CSV export against its table, and its twin row by row (the same records in the same order)."""
    folder = audit.out / "exports"
    signals = read_csv(folder / "village_signals.csv")
    audit.differs("village_signals.csv", sorted((r["village_code"], r["code"], r["detail"]) for r in signals),
                  sorted(audit.rows("SELECT village_code, code, detail FROM village_signals WHERE period = ?",
                                    [audit.period])))
    findings = read_csv(folder / "department_checks.csv") if (folder / "department_checks.csv").exists() else []
    stored = audit.rows("SELECT count(*) FROM department_findings WHERE as_of = ? AND NOT is_outside",
                        [audit.period])[0][0]
    audit.differs("department_checks.csv rows", len(findings), stored)
    problems = read_csv(folder / "problems.csv")
    stored = audit.rows(
        "SELECT count(*) FROM (SELECT file_id FROM problems UNION ALL SELECT file_id FROM history_problems) "
        "JOIN problem_files USING (file_id)")[0][0]
    departments = {n for (n,) in audit.rows("SELECT file_name FROM department_files")}
    audit.differs("problems.csv rows of returns",
                  sum(1 for r in problems if r["file"] not in departments and r["file"] != "members.csv"), stored)
    cases = read_csv(folder / "cases.csv")
    stored = audit.rows(
        "SELECT case_id, status, overdue_days FROM cases WHERE status IN ('open', 'confirmed', 'assisting') "
        "OR (CASE WHEN right(opened_period, 2) >= '10' THEN left(opened_period, 4)::INT + 1 "
        "ELSE left(opened_period, 4)::INT END) = ?", [audit.income_year()])
    audit.differs("cases.csv", sorted((r["case_id"], r["status"], int(r["overdue_days"] or 0)) for r in cases),
                  sorted((c, s, d or 0) for c, s, d in stored))
    twins = {"flags": ("household_id", "户编号"), "problems": ("file", "文件"),
             "village_signals": ("village_code", "村代码"), "department_checks": ("person_id_masked", "身份证号")}
    for name, (column, _) in twins.items():
        if not (folder / f"{name}.csv").exists():
            continue
        rows = read_csv(folder / f"{name}.csv")
        from openpyxl import load_workbook
        book = load_workbook(folder / f"{name}.xlsx", read_only=True)
        header = next(book.worksheets[0].iter_rows(max_row=1, values_only=True))
        book.close()
        at = next((i for i, h in enumerate(header) if h and twins[name][1] in str(h)), None)
        xlsx = sheet_rows(folder / f"{name}.xlsx")
        audit.differs(f"{name}.xlsx rows", len(xlsx), len(rows))
        if at is not None:
            audit.differs(f"{name}.xlsx {column} column", [str(r[at] or "") for r in xlsx], [r[column] for r in rows])


def case_workbooks(audit) -> None:
    """exports/cases/<county>.xlsx, sheet 待办: every case not closed or dismissed of the county, once, with its
    status and days overdue (the workbook as written with the store's judged_on)."""
    labels = {"待核查": "open", "已核实": "confirmed", "帮扶中": "assisting"}
    judged_on, recorded = audit.rows("SELECT (SELECT max(judged_on) FROM cases), max(recorded_at) FROM case_events")[0]
    for county in audit.counties:
        path = audit.out / "exports" / "cases" / f"{county}.xlsx"
        # a workbook is the ledger as `cases export` wrote it: compared when written as of the day the ledger was
        # judged on and after its latest event (an import since changes the ledger, not the township's copy)
        if (not path.exists() or judged_on is None or str(judged_on) not in str(sheet_rows(path, 1, 1)[0][0])
                or recorded is not None and datetime.fromtimestamp(path.stat().st_mtime) < recorded):
            continue
        rows = sheet_rows(path)
        stored = audit.rows("SELECT case_id, status, coalesce(overdue_days, 0) FROM cases WHERE county_code = ? "
                            "AND status IN ('open', 'confirmed', 'assisting')", [county])
        audit.differs(f"cases/{county}.xlsx", sorted((r[0], labels[r[10][:3]], r[11] or 0) for r in rows),
                      sorted(stored))


def sample_links(audit, doc: Element) -> None:
    """The city page's spot-check section: each link's list exists and holds the county's drawn households."""
    section = doc.find("section", id="sample")
    if section is None:
        return
    draw = audit.rows("SELECT max(draw_id) FROM sample_draws")[0][0] if "sample_draws" in audit.relations() else None
    for link in section.find_all("a"):
        href = link.attrs.get("href") or ""
        target = (audit.out / "reports" / href).resolve()
        if not target.exists():
            audit.found.append(f"city sample link {href}: no such file")
            continue
        if target.suffix == ".csv" and draw is not None:
            shown = sorted(r["household_id"] for r in read_csv(target))
            county = target.stem
            stored = sorted(h for (h,) in audit.rows(
                "SELECT household_id FROM sample_households WHERE county_code = ? AND draw_id = (SELECT max(draw_id) "
                "FROM sample_households WHERE county_code = ?)", [county, county]))
            audit.differs(f"sample list {county}", shown, stored)
