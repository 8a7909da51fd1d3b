"""The command line's arguments: every subcommand and its options (povmon --help)."""
from __future__ import annotations

import argparse

from povmon.cases_cli import WAIT_HELP, add_cases_commands


def add_path_options(parser: argparse.ArgumentParser) -> None:
    """The path options every pipeline command takes."""
    parser.add_argument("--inbox", help="drop folder of village returns (default from settings: inbox/)")
    parser.add_argument("--reference", help="folder holding admin_units.csv (default: reference/)")
    parser.add_argument("--db", help="the DuckDB file (default: data/povmon.duckdb)")
    parser.add_argument("--out", help="folder for reports/ and exports/ (default: out/)")
    parser.add_argument("--settings", help="settings file (default: $POVMON_SETTINGS or ./povmon.toml)")


def add_raw_store_option(parser: argparse.ArgumentParser) -> None:
    """--raw-store: where the run keeps the bytes it reads, the delivery log and the ledger's (README, Corrections)."""
    parser.add_argument("--raw-store", help="folder of the raw store: every file's bytes, deliveries.jsonl, "
                        "case_events.jsonl and case_import_refusals.jsonl, one store's alone (default from settings: "
                        "raw/ beside the DuckDB file)")


def add_today_option(parser: argparse.ArgumentParser) -> None:
    """--today: the date deadlines are judged against (default: today in Asia/Shanghai), for replays."""
    parser.add_argument("--today", help="YYYY-MM-DD the run judges deadlines against (default: today, Asia/Shanghai)")


def add_quiet_option(parser: argparse.ArgumentParser) -> None:
    """--quiet: no progress of the steps on stderr (the summary is printed all the same)."""
    parser.add_argument("--quiet", action="store_true", help="do not show the steps' progress on stderr (shown live "
                        "on a terminal, else a line per step with its counts and seconds)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="povmon", description="防返贫动态监测 nightly pipeline: ingest village "
                                     "returns, validate, project incomes, flag households, report per county.")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="make a synthetic city, run the nightly flow on it, print where the report is")
    demo.add_argument("--seed", type=int, default=7, help="random seed of the synthetic city (default 7)")
    demo.add_argument("--scale", choices=["small", "city", "province"], default="small",
                      help="small (default, the demo), city (~150,000 households) or province (~15,000 villages)")
    demo.add_argument("--calendars", choices=["demo", "unseen"], default="demo",
                      help="the households' calendar mix: demo (default) or unseen (other archetype shares, harvest, "
                      "payment and dividend months: a check on data the projection was not tuned on)")
    demo.add_argument("--dir", default="demo", help="folder for the synthetic city and its outputs (default demo/)")
    demo.add_argument("--as-of", default="202005", help="last month of returns to generate (default 202005); the "
                      "last three months are replayed one by one, a township clerk filling in case workbooks between")
    demo.add_argument("--no-run", action="store_true", help="only write the files; do not run the flow")
    demo.add_argument("--settings", help="settings file (default: $POVMON_SETTINGS or ./povmon.toml)")
    add_quiet_option(demo)
    run = sub.add_parser("run", help="the nightly flow, once, now")
    add_path_options(run)
    add_raw_store_option(run)
    run.add_argument("--as-of", help="YYYYMM the run describes (default: latest month received)")
    run.add_argument("--wait", action="store_true", help=WAIT_HELP)
    add_today_option(run)
    add_quiet_option(run)
    rerun = sub.add_parser("rerun", help="re-read one county's, village's or department's files after "
                           "corrections and recompute")
    add_path_options(rerun)
    add_raw_store_option(rerun)
    where = rerun.add_mutually_exclusive_group(required=True)
    where.add_argument("--county", help="6-digit county code")
    where.add_argument("--village", help="12-digit village code")
    where.add_argument("--department", help="a department's files (its code, e.g. medical; README 部门数据比对)")
    rerun.add_argument("--period", help="only this month's files (YYYYMM)")
    rerun.add_argument("--as-of", help="YYYYMM the run describes (default: latest month received)")
    rerun.add_argument("--wait", action="store_true", help=WAIT_HELP)
    add_today_option(rerun)
    add_quiet_option(rerun)
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
                               "below_line_precision,below_line_recall,coverage)")
    backtest.add_argument("--wait", action="store_true", help=WAIT_HELP)
    sample = sub.add_parser("sample", help="draw the city spot-check sample (市级抽查): risk-weighted, reproducible "
                            "from --seed; writes exports/sample/<county>.csv/.xlsx and the city report's sample section")
    add_path_options(sample)
    sample.add_argument("--seed", type=non_negative_int, required=True,
                        help="random seed: the same seed and data give the same sample")
    sample.add_argument("--county", help="only this county (6-digit code); its draw is the same as in a city draw")
    sample.add_argument("--period", help="YYYYMM the households' data describes (default: the latest month in the "
                        "store's household status)")
    sample.add_argument("--wait", action="store_true", help=WAIT_HELP)
    add_today_option(sample)  # the city page it renders again counts overdue returns to it
    add_cases_commands(sub, add_path_options, add_today_option, add_raw_store_option)
    return parser


SEED_MAX = 2 ** 63 - 1  # sample_draws keeps the seed as a BIGINT


def non_negative_int(text: str) -> int:
    """An argparse type: a whole number from 0 to SEED_MAX."""
    value = int(text)
    if not 0 <= value <= SEED_MAX:
        raise argparse.ArgumentTypeError(f"must be from 0 to {SEED_MAX}, got {value}")
    return value
