"""The commands that work on the store an earlier run made: backtest and sample (and, through existing_store, the
case ledger's)."""
from __future__ import annotations

import argparse
import sys
from contextlib import contextmanager
from pathlib import Path

from core.lock import hold_store
from core.settings import Settings


@contextmanager
def existing_store(settings: Settings, wait: bool):
    """The database an earlier run made, locked and open for a command that works on it."""
    from core import db

    if not Path(settings.db).exists():
        raise FileNotFoundError(f"no database at {settings.db} (run `povmon run` first)")
    with hold_store(settings.db, wait=wait):
        con = db.connect_when_free(settings.db, wait, settings.memory_limit)
        try:
            yield con
        finally:
            con.close()


def run_backtest(args: argparse.Namespace, settings: Settings) -> int:
    """`povmon backtest`: rebuild the projections from the store, measure them, print the table."""
    from tasks.marts import backtest, project

    with existing_store(settings, args.wait) as con:
        refuse_other_settings(con, settings)
        project.project_household_income(con, settings)
        accuracy = backtest.measure_projection(con)
    text = backtest.format_csv(accuracy) if args.format == "csv" else backtest.format_table(accuracy)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


def refuse_other_settings(con, settings: Settings) -> None:
    """Stop a backtest whose settings (or code) differ from those the runs built the marts with: rebuilding them
    drops household_status and village_signals, which only a run makes again (pages, `sample` and the ledger read
    them)."""
    from core import db
    from tasks.marts import mart_keys

    if mart_keys.built_with_other_settings(con, settings) and db.has_table(con, "household_status") and \
            db.scalar(con, "SELECT EXISTS (SELECT 1 FROM household_status)"):
        raise ValueError("the store's projections were made with other settings (or povmon code) than these: give "
                         "backtest the runs' --settings, or run `povmon run` with these first")


def draw_sample(args: argparse.Namespace, settings: Settings) -> int:
    """`povmon sample`: draw the spot-check sample, keep it, export it, re-render the city overview."""
    from core.clock import resolve_today
    from tasks.report.pages import render_city_overview
    from tasks.sample.store import take_sample

    with existing_store(settings, args.wait) as con:
        draw = take_sample(con, settings.spot_check, args.seed, args.period, args.county,
                           Path(settings.out) / "exports" / "sample")
        index = render_city_overview(con, Path(settings.out) / "reports", settings, today=resolve_today(args.today))
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
