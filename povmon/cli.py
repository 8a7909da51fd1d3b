"""The povmon command line: demo, run (and the commands later issues add)."""
from __future__ import annotations

import argparse
from contextlib import contextmanager
import shutil
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from core.settings import Settings, chosen_settings_file, load_settings
from core.lock import EXIT_BUSY, StoreBusy, hold_store
from povmon.fast_exit import end_process
from povmon.prefect_api import start_prefect_api
from povmon.prefect_env import configure_prefect

if TYPE_CHECKING:  # the flows import Polars: not before the Prefect server is started
    from flows.results import RunSummary

EXIT_FAILED = 1


def add_path_options(parser: argparse.ArgumentParser) -> None:
    """The path options every pipeline command takes."""
    parser.add_argument("--inbox", help="drop folder of village returns (default from settings: inbox/)")
    parser.add_argument("--reference", help="folder holding admin_units.csv (default: reference/)")
    parser.add_argument("--db", help="the DuckDB file (default: data/povmon.duckdb)")
    parser.add_argument("--out", help="folder for reports/ and exports/ (default: out/)")
    parser.add_argument("--settings", help="settings file (default: $POVMON_SETTINGS or ./povmon.toml)")


def add_today_option(parser: argparse.ArgumentParser) -> None:
    """--today: the date deadlines are judged against (default: today in Asia/Shanghai), for replays."""
    parser.add_argument("--today", help="YYYY-MM-DD the run judges deadlines against (default: today, Asia/Shanghai)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="povmon", description="防返贫动态监测 nightly pipeline: ingest village "
                                     "returns, validate, project incomes, flag households, report per county.")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="make a synthetic city, run the nightly flow on it, print where the report is")
    demo.add_argument("--seed", type=int, default=7, help="random seed of the synthetic city (default 7)")
    demo.add_argument("--scale", choices=["small", "city", "province"], default="small",
                      help="small (default, the demo), city (~150,000 households) or province (~15,000 villages)")
    demo.add_argument("--dir", default="demo", help="folder for the synthetic city and its outputs (default demo/)")
    demo.add_argument("--as-of", default="202003", help="last month of returns to generate (default 202003)")
    demo.add_argument("--no-run", action="store_true", help="only write the files; do not run the flow")
    demo.add_argument("--settings", help="settings file (default: $POVMON_SETTINGS or ./povmon.toml)")
    run = sub.add_parser("run", help="the nightly flow, once, now")
    add_path_options(run)
    run.add_argument("--as-of", help="YYYYMM the run describes (default: latest month received)")
    run.add_argument("--wait", action="store_true", help="wait for a run holding the database instead of exiting")
    add_today_option(run)
    rerun = sub.add_parser("rerun", help="re-read one county's or village's files after corrections and recompute")
    add_path_options(rerun)
    where = rerun.add_mutually_exclusive_group(required=True)
    where.add_argument("--county", help="6-digit county code")
    where.add_argument("--village", help="12-digit village code")
    rerun.add_argument("--period", help="only this month's files (YYYYMM)")
    rerun.add_argument("--as-of", help="YYYYMM the run describes (default: latest month received)")
    rerun.add_argument("--wait", action="store_true", help="wait for a run holding the database instead of exiting")
    add_today_option(rerun)
    serve = sub.add_parser("serve", help="serve the deployments of prefect.yaml on their schedules (nightly 02:00 "
                           "Asia/Shanghai); starts a local Prefect server unless PREFECT_API_URL is set")
    serve.add_argument("--settings", help="settings file (default: $POVMON_SETTINGS or ./povmon.toml)")
    serve.add_argument("--host", default="127.0.0.1", help="address of the local Prefect server (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=4200, help="port of the local Prefect server (default 4200)")
    backtest = sub.add_parser("backtest", help="measure the projection on complete past income years, beside naive "
                              "12/month: error by month, and BELOW_LINE precision and recall against year end")
    add_path_options(backtest)
    backtest.add_argument("--format", choices=["table", "csv"], default="table",
                          help="table (default, for reading) or csv (income_year,month,method,median_abs_pct_error,"
                               "below_line_precision,below_line_recall)")
    backtest.add_argument("--wait", action="store_true", help="wait for a run holding the database instead of exiting")
    sample = sub.add_parser("sample", help="draw the city spot-check sample (市级抽查): risk-weighted, reproducible "
                            "from --seed; writes exports/sample/<county>.csv/.xlsx and the city report's sample section")
    add_path_options(sample)
    sample.add_argument("--seed", type=non_negative_int, required=True,
                        help="random seed: the same seed and data give the same sample")
    sample.add_argument("--county", help="only this county (6-digit code); its draw is the same as in a city draw")
    sample.add_argument("--period", help="YYYYMM the households' data describes (default: the latest month in the "
                        "store's household status)")
    sample.add_argument("--wait", action="store_true", help="wait for a run holding the database instead of exiting")
    return parser


def non_negative_int(text: str) -> int:
    """An argparse type: a whole number ≥ 0."""
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def settings_from(args: argparse.Namespace) -> Settings:
    """The settings object for a command: file + environment, then the command's options."""
    settings = load_settings(getattr(args, "settings", None))
    return settings.with_paths(inbox=getattr(args, "inbox", None), reference=getattr(args, "reference", None),
                               db=getattr(args, "db", None), out=getattr(args, "out", None))


def run_flow(settings: Settings, as_of: str | None, today: str | None, wait: bool = False,
             **scope: str | None) -> RunSummary:
    """Run the nightly flow (or, given a county or village, the rerun flow) under Prefect, handing it the
    settings object."""
    configure_prefect(settings.prefect_home)
    # the store is held before Prefect starts, so a busy store answers at once
    with hold_store(settings.db, wait=wait):
        start_prefect_api()
        from flows.nightly import nightly  # Prefect is imported only once its environment is set
        from flows.rerun import rerun

        given = {"settings": settings, "as_of": as_of, "today": today, "wait": wait}
        return rerun(**scope, **given) if scope else nightly(**given)


def command_demo(args: argparse.Namespace) -> int:
    """`povmon demo`: synthetic city, then one nightly run over it."""
    from povmon.synth import generate_city

    root = Path(args.dir)
    if root.exists():
        shutil.rmtree(root)
    started = time.perf_counter()
    made = generate_city(root, seed=args.seed, scale=args.scale, as_of=args.as_of)
    print(f"synthetic city ({args.scale}, seed {args.seed}): {made.get('villages')} villages, "
          f"{made.get('households')} households, {made.get('files')} files in {root / 'inbox'} "
          f"({time.perf_counter() - started:.1f} s)")
    if args.no_run:
        return 0
    settings = settings_from(args).with_paths(inbox=root / "inbox", reference=root / "reference",
                                              db=root / "data" / "povmon.duckdb", out=root / "out")
    summary = run_flow(settings, None, None)
    print_summary(summary, time.perf_counter() - started)
    return 0


def print_summary(summary: RunSummary, seconds: float) -> None:
    """Tell the user what the run did and where to look."""
    scope = f" ({summary.scope}, {summary.files_reread} files re-read)" if summary.scope else ""
    print(f"run {summary.run_id}{scope} completed in {seconds:.1f} s: as-of {summary.as_of}, "
          f"{summary.files_new} new files ({summary.files_loaded} loaded, {summary.files_rejected} rejected), "
          f"{summary.rows_loaded} rows")
    print(f"city report: {summary.report}")
    print(f"database: {summary.db}")
    for name, path in summary.exports.items():
        print(f"export {name}: {path}")


def command_run(args: argparse.Namespace) -> int:
    """`povmon run`: the nightly flow once."""
    started = time.perf_counter()
    summary = run_flow(settings_from(args), args.as_of, args.today, wait=args.wait)
    print_summary(summary, time.perf_counter() - started)
    return 0


@contextmanager
def existing_store(settings: Settings, wait: bool):
    """The database an earlier run made, locked and open for a command that works on it."""
    from core import db

    if not Path(settings.db).exists():
        raise FileNotFoundError(f"no database at {settings.db} (run `povmon run` first)")
    with hold_store(settings.db, wait=wait):
        con = db.connect(settings.db)
        try:
            yield con
        finally:
            con.close()


def command_backtest(args: argparse.Namespace) -> int:
    """`povmon backtest`: rebuild the projections from the store, measure them, print the table."""
    from tasks.marts import backtest, project

    settings = settings_from(args)
    with existing_store(settings, args.wait) as con:
        project.project_household_income(con, settings)
        accuracy = backtest.measure_projection(con)
    text = backtest.format_csv(accuracy) if args.format == "csv" else backtest.format_table(accuracy)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


def command_rerun(args: argparse.Namespace) -> int:
    """`povmon rerun`: re-read a county's or village's files and recompute what depends on them."""
    started = time.perf_counter()
    summary = run_flow(settings_from(args), args.as_of, args.today, wait=args.wait,
                       county=args.county, village=args.village, period=args.period)
    print_summary(summary, time.perf_counter() - started)
    return 0


def command_serve(args: argparse.Namespace) -> int:
    """`povmon serve`: long-running scheduler and worker; the deployments name the settings file."""
    from povmon.serve import serve

    settings = settings_from(args)
    configure_prefect(settings.prefect_home)
    return serve(args.host, args.port, chosen_settings_file(args.settings))


def command_sample(args: argparse.Namespace) -> int:
    """`povmon sample`: draw the spot-check sample, keep it, export it, re-render the city overview."""
    from tasks.report.pages import render_city_overview
    from tasks.sample.store import take_sample

    settings = settings_from(args)
    with existing_store(settings, args.wait) as con:
        draw = take_sample(con, settings.spot_check, args.seed, args.period, args.county,
                           Path(settings.out) / "exports" / "sample")
        index = render_city_overview(con, Path(settings.out) / "reports", settings)
    print(f"sample draw {draw['draw_id']} (seed {draw['seed']}, data of {draw['period']}): "
          f"{sum(c['households_count'] for c in draw['counties'])} households in "
          f"{sum(c['villages_count'] for c in draw['counties'])} villages of {len(draw['counties'])} counties")
    for c in draw["counties"]:
        whole = ", the whole county" if c["is_whole_county"] else ""
        print(f"  {c['county_code']}: {c['households_count']} households ({c['flagged_count']} flagged) in "
              f"{c['villages_count']} villages ({c['suspicious_villages_count']} with bunching or identical rows)"
              f"{whole}: {Path(c['csv']).resolve()}")
    print(f"city report: {index.resolve()}")
    return 0


COMMANDS = {"demo": command_demo, "run": command_run, "rerun": command_rerun, "serve": command_serve,
            "backtest": command_backtest, "sample": command_sample}


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
        print(f"povmon: {args.command} failed: {type(err).__name__}: {err}", file=sys.stderr)
        return EXIT_FAILED


def entry() -> None:
    """The `povmon` program: run the command, then end the process at once (see end_process)."""
    end_process(main())


if __name__ == "__main__":
    entry()
