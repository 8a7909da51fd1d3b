"""The povmon command line: demo, run (and the commands later issues add)."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from core.files import modified_since
from core.interrupts import interrupted
from core.settings import Settings, chosen_settings_file, load_settings
from core.lock import EXIT_BUSY, StoreBusy, hold_store
from povmon import store_commands
from povmon.arguments import build_parser
from povmon.demo_folder import DEMO_MARK, clear_demo_folder
from povmon.cases_cli import run_cases
from povmon.fast_exit import end_process
from povmon.prefect_api import start_prefect_api, without_heartbeats
from povmon.prefect_env import configure_prefect
from povmon.progress_view import showing_steps
from povmon.warm_start import FIRST_CALL_MODULES
from tasks.ingest.inbox_scan import taken_ahead

if TYPE_CHECKING:  # the flows import Polars: not before the Prefect server is started
    from flows.results import RunSummary

EXIT_FAILED = 1
# imported while the temporary Prefect server boots (with flows.rerun and fastapi.encoders, ~0.5 s of an empty run's
# 7.3 s moved off the path); with what Prefect imports only once a flow runs, and pyarrow, which Polars imports (with
# numpy) at the first frame handed to DuckDB: ~0.1 s more of every run's path
PREFETCHED_MODULES = ("flows.nightly", "flows.rerun", *FIRST_CALL_MODULES, "pyarrow")
# Great Expectations (~3 s) checks the rows of files read: imported while the server boots too when the run will
# read some (a rerun always does; a nightly run when a folder of the inbox changed since the store was last
# written), otherwise once discover has found files (tasks/validate/gx_run.warm_up), so a night with nothing new
# never imports it. On a city store a night of 10 files took 2 s less (docs/performance.md)
GX_MODULES = ("tasks.validate.gx_import",)  # Great Expectations, scipy.stats deferred


def settings_from(args: argparse.Namespace) -> Settings:
    """The settings object for a command: file + environment, then the command's options."""
    settings = load_settings(getattr(args, "settings", None))
    return settings.with_paths(inbox=getattr(args, "inbox", None), reference=getattr(args, "reference", None),
                               db=getattr(args, "db", None), out=getattr(args, "out", None),
                               raw_store=getattr(args, "raw_store", None))


def run_flow(settings: Settings, as_of: str | None, today: str | None, wait: bool = False,
             **scope: str | None) -> RunSummary:
    """Run the nightly flow (or, given a county or village, the rerun flow) under Prefect, handing it the
    settings object."""
    configure_prefect(settings.prefect_home)
    # the store is held before Prefect starts, so a busy store answers at once; the inbox is walked while the
    # server boots (tasks/ingest/inbox_scan.py)
    with hold_store(settings.db, wait=wait), taken_ahead(settings.inbox, settings.settle_seconds):
        start_prefect_api(PREFETCHED_MODULES, lambda: GX_MODULES if files_to_read(settings, scope) else ())
        from flows.nightly import nightly  # Prefect is imported only once its environment is set
        from flows.rerun import rerun

        given = {"settings": settings, "as_of": as_of, "today": today, "wait": wait}
        with without_heartbeats():
            return rerun(**scope, **given) if scope else nightly(**given)


def files_to_read(settings: Settings, scope: dict) -> bool:
    """Whether the run will likely read files: a rerun re-reads its scope's; a nightly run reads what arrived
    since the store was last written (a guess from the inbox's folders: core.files.modified_since)."""
    return bool(scope) or modified_since(Path(settings.inbox), Path(settings.db))


def command_demo(args: argparse.Namespace) -> int:
    """`povmon demo`: synthetic city, then its last three months run one by one, a clerk deciding cases between."""
    from povmon.synth import generate_city

    root = Path(args.dir)
    clear_demo_folder(root)
    started = time.perf_counter()
    made = generate_city(root, seed=args.seed, scale=args.scale, as_of=args.as_of, calendars=args.calendars)
    (root / DEMO_MARK).write_text("povmon demo: this folder is rewritten whole by the next `povmon demo` here\n",
                                  encoding="utf-8")
    print(f"synthetic city ({args.scale}, seed {args.seed}): {made.get('villages')} villages, "
          f"{made.get('households')} households, {made.get('files')} files in {root / 'inbox'} "
          f"({time.perf_counter() - started:.1f} s)")
    if args.no_run:
        return 0
    from povmon import demo_cases

    if not args.settings:  # the demo's own: the defaults with the 回头看 campaign
        (root / "povmon.toml").write_text(demo_cases.DEMO_SETTINGS, encoding="utf-8")
        args.settings = str(root / "povmon.toml")
    settings = settings_from(args).with_paths(inbox=root / "inbox", reference=root / "reference",
                                              db=root / "data" / "povmon.duckdb", out=root / "out")
    options = ["--settings", args.settings, "--db", str(settings.db), "--out", str(settings.out)]
    for period, today, clerk_day in demo_cases.replay_days(args.as_of):
        run_started = time.perf_counter()  # each run's own seconds, not the demo's so far
        with showing_steps(args.quiet):
            summary = run_flow(settings, period, today.isoformat())
        print_summary(summary, time.perf_counter() - run_started)
        if clerk_day:
            demo_cases.clerk_round(root, options, clerk_day, args.seed, main)
    demo_cases.print_ledger(root)
    return 0


def print_summary(summary: RunSummary, seconds: float) -> None:
    """Tell the user what the run did and where to look."""
    scope = f" ({summary.scope}, {summary.files_reread} files re-read)" if summary.scope else ""
    # a night reads known files again too (a village the list now holds, bytes come under another name): the
    # loaded and rejected counts are of every file read, so those are said beside the new ones
    again = f" and {summary.files_reread} read again" if summary.files_reread and not summary.scope else ""
    print(f"run {summary.run_id}{scope} completed in {seconds:.1f} s: as-of {summary.as_of}, "
          f"{summary.files_new} new files{again} ({summary.files_loaded} loaded, {summary.files_rejected} rejected), "
          f"{summary.rows_loaded} rows")
    findings = ", ".join(f"{code} {count}" for code, count in summary.department_findings.items()) or "none"
    print(f"department files: {summary.department_files_loaded} loaded, {summary.department_files_rejected} "
          f"rejected; findings of the as-of month: {findings} (exports/department_checks.csv)")
    print(f"city report: {summary.report}")
    print(f"database: {summary.db}")
    for name, path in summary.exports.items():
        print(f"export {name}: {path}")


def command_run(args: argparse.Namespace) -> int:
    """`povmon run`: the nightly flow once."""
    started = time.perf_counter()
    with showing_steps(args.quiet):
        summary = run_flow(settings_from(args), args.as_of, args.today, wait=args.wait)
    print_summary(summary, time.perf_counter() - started)
    return 0


def command_rerun(args: argparse.Namespace) -> int:
    """`povmon rerun`: re-read a county's or village's files and recompute what depends on them."""
    started = time.perf_counter()
    with showing_steps(args.quiet):
        summary = run_flow(settings_from(args), args.as_of, args.today, wait=args.wait, county=args.county,
                           village=args.village, department=args.department, period=args.period)
    print_summary(summary, time.perf_counter() - started)
    return 0


def command_serve(args: argparse.Namespace) -> int:
    """`povmon serve`: long-running scheduler and worker; the deployments name the settings file."""
    from povmon.serve import serve

    settings = settings_from(args)
    configure_prefect(settings.prefect_home)
    return serve(args.host, args.port, chosen_settings_file(args.settings))


def command_backtest(args: argparse.Namespace) -> int:
    """`povmon backtest` (povmon/store_commands.py)."""
    return store_commands.run_backtest(args, settings_from(args))


def command_sample(args: argparse.Namespace) -> int:
    """`povmon sample` (povmon/store_commands.py)."""
    return store_commands.draw_sample(args, settings_from(args))


def command_cases(args: argparse.Namespace) -> int:
    """`povmon cases export|import`: the case ledger's workbooks (povmon/cases_cli.py)."""
    return run_cases(args, settings_from(args), store_commands.existing_store)


COMMANDS = {"demo": command_demo, "run": command_run, "rerun": command_rerun, "serve": command_serve,
            "backtest": command_backtest, "sample": command_sample, "cases": command_cases}


def main(argv: list[str] | None = None) -> int:
    """Entry point: parse options, run the command; only an unusable run exits non-zero, with one line."""
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except StoreBusy as busy:
        print(f"povmon: {busy}", file=sys.stderr)
        return EXIT_BUSY
    except KeyboardInterrupt:
        print("povmon: interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # the run could not complete: one line, not a traceback
        if interrupted(err):
            print("povmon: interrupted", file=sys.stderr)
            return 130
        print(f"povmon: {args.command} failed: {type(err).__name__}: {one_line(err)}", file=sys.stderr)
        return EXIT_FAILED


def one_line(err: BaseException) -> str:
    """An error's reason on one line: Polars' and DuckDB's span several (a hint, the query's LINE 1)."""
    return " ".join(part.strip() for part in str(err).splitlines() if part.strip())


def entry() -> None:
    """The `povmon` program: run the command, then end the process at once (see end_process)."""
    end_process(main())


if __name__ == "__main__":
    entry()
