"""`povmon cases export` and `povmon cases import FILE...`: the case ledger's township workbooks (cases.md)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core.clock import resolve_today

WAIT_HELP = "wait for a run or another program holding the database instead of exiting"

EXIT_UNREADABLE = 1


def add_cases_commands(sub, add_path_options, add_today_option, add_raw_store_option) -> None:
    """The `cases` command with its export and import subcommands."""
    cases = sub.add_parser("cases", help="the case ledger (问题台账): township workbooks out and back in")
    actions = cases.add_subparsers(dest="cases_command", required=True)
    export = actions.add_parser("export", help="write exports/cases/<county>.xlsx (sheet 待办 + 说明) and cases.csv")
    add_path_options(export)
    export.add_argument("--county", help="only this county (6-digit code)")
    add_today_option(export)
    export.add_argument("--wait", action="store_true", help=WAIT_HELP)
    imported = actions.add_parser("import", help="apply filled workbooks' decisions; refused rows go to "
                                  "exports/case_import_problems.csv")
    imported.add_argument("files", nargs="+", metavar="FILE", help="filled case workbooks (.xlsx)")
    add_path_options(imported)
    add_raw_store_option(imported)  # the decisions are logged there, as the runs' events (tasks/cases/event_log.py)
    add_today_option(imported)
    imported.add_argument("--wait", action="store_true", help=WAIT_HELP)


def run_cases(args: argparse.Namespace, settings, existing_store) -> int:
    """`povmon cases export|import` with the command's settings; existing_store opens the locked store."""
    from tasks.cases.event_log import raw_store_of
    from tasks.cases.run import judge_as_of, ledger_digests, write_cases_csv

    today = resolve_today(args.today)
    with existing_store(settings, args.wait) as con:
        if args.cases_command == "export":
            from tasks.cases.workbook import export_workbooks

            before = ledger_digests(con)
            judge_as_of(con, settings, today)
            paths = export_workbooks(con, settings, today, args.county)
            csv_path = write_cases_csv(con, Path(settings.out) / "exports", raw_store=raw_store_of(con, settings))
            render_changed_pages(con, settings, before, today)
            for path in paths:
                print(f"workbook: {path.resolve()}")
            print(f"cases: {csv_path.resolve()}")
            return 0
        from tasks.cases.importer import import_workbooks

        before = ledger_digests(con)
        refusals = refusal_count(con)
        result = import_workbooks(con, settings, [Path(f) for f in args.files], today)
        if not result.files_read:  # no file's import derived the cases: cases.csv is still as of its today
            judge_as_of(con, settings, today)
        write_cases_csv(con, Path(settings.out) / "exports", raw_store=raw_store_of(con, settings))
        # refused rows are listed on their county's page: an import that only refused rows renders them too
        render_changed_pages(con, settings, before, today, refused=refusal_count(con) != refusals)
    print(summary(result))
    for name, why in result.unreadable.items():
        print(f"povmon: cases import: {name}: {why}", file=sys.stderr)
    return EXIT_UNREADABLE if result.unreadable else 0


def refusal_count(con) -> int:
    """How many refused decision rows the store has recorded."""
    return con.execute("SELECT count(*) FROM case_import_refusals").fetchall()[0][0]


def render_changed_pages(con, settings, before: dict[str, str], today, refused: bool = False) -> None:
    """After a case command: the pages of the counties whose cases it changed (every page when it recorded refused
    rows, listed by the county of their case) and the city page, as of the latest completed run, so that no page
    shows the ledger as it stood before while the store and cases.csv show it after. Nothing when no run has
    published pages yet (out/reports/index.html)."""
    from tasks.cases.run import changed_counties, ledger_digests
    from tasks.report.pages import render_city_overview

    reports = Path(settings.out) / "reports"
    counties = changed_counties(before, ledger_digests(con))
    if (reports / "index.html").exists() and (counties or refused):
        every = {c for (c,) in con.execute("SELECT code FROM admin_units WHERE level = 'county'").fetchall()}
        render_city_overview(con, reports, settings, every if refused else counties, today)


def summary(result) -> str:
    """The import's stdout line: rows applied, unchanged, refused, and how many applied lost to a later 核查日期."""
    line = f"{result.applied} rows applied, {result.unchanged} unchanged, {result.refused} refused"
    if result.superseded:
        line += (f"; {result.superseded} of the applied rows dated before the decision in force on their case, "
                 "kept as superseded (the later 核查日期 wins; a blank of it keeps what they recorded)")
    return line + " (exports/case_import_problems.csv)"
