"""The demo's month-by-month replay: runs with --today dates, and between them a simulated township clerk
(povmon/synth/clerk.py) filling in and importing the case workbooks, across a 回头看 campaign ending 2020-05-30."""
from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from pathlib import Path

DEMO_SETTINGS = """# the demo's settings: the defaults, with the spring 回头看 campaign (cases.md, Deadlines)
[cases.campaign]
name = "回头看"
end = "2020-05-30"
"""


def month_after(period: str, day: int) -> date:
    """That day of the calendar month after a YYYYMM month."""
    year, month = int(period[:4]), int(period[4:])
    return date(year + month // 12, month % 12 + 1, day)


def replay_days(as_of: str, months: int = 3) -> list[tuple[str, date, date | None]]:
    """The last months up to as_of, each with its run's today (the 10th, or the 20th for the middle month, so
    the campaign's end caps deadlines) and the clerk's day after it (None after the last)."""
    periods = []
    year, month = int(as_of[:4]), int(as_of[4:])
    for _ in range(months):
        periods.insert(0, f"{year}{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    days = [month_after(p, 20 if i == 1 else 10) for i, p in enumerate(periods)]
    clerks = [month_after(p, 28) for p in periods[:-1]] + [None]
    return list(zip(periods, days, clerks))


def clerk_round(root: Path, options: list[str], today: date, seed: int, cli) -> None:
    """Export the workbooks, let the clerk fill each in, import them all (as of today)."""
    from povmon.synth.clerk import fill_workbook

    assert cli(["cases", "export", *options, "--today", today.isoformat()]) == 0
    exports = root / "out" / "exports"
    closed = [r["case_id"] for r in read_csv(exports / "cases.csv") if r["status"] in ("closed", "dismissed")]
    folder = root / "clerk" / today.isoformat()
    folder.mkdir(parents=True, exist_ok=True)
    filled = []
    for workbook in sorted((exports / "cases").glob("*.xlsx")):
        target = folder / f"{workbook.stem}_已核查.xlsx"
        fill_workbook(workbook, target, today, seed, closed)
        filled.append(str(target))
    cli(["cases", "import", *filled, *options, "--today", today.isoformat()])


def read_csv(path: Path) -> list[dict]:
    """An export's rows."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def print_ledger(root: Path) -> None:
    """Cases per county and status after the replay, and the refused rows of the last import."""
    exports = root / "out" / "exports"
    counts = Counter((r["county_code"], r["status"]) for r in read_csv(exports / "cases.csv"))
    overdue = Counter(r["county_code"] for r in read_csv(exports / "cases.csv") if int(r["overdue_days"] or 0) > 0)
    for county in sorted({c for c, _ in counts}):
        shown = ", ".join(f"{s} {counts[(county, s)]}" for s in ("open", "confirmed", "assisting", "dismissed", "closed"))
        print(f"  cases {county}: {shown}; overdue {overdue[county]}")
    refused = Counter(r["code"] for r in read_csv(exports / "case_import_problems.csv"))
    print(f"  refused rows of the last import: {dict(sorted(refused.items()))}")
