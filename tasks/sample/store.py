"""A spot-check draw against the store: read the frame, draw, keep the draw, write the teams' lists."""
from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import duckdb
import polars as pl

from core import db
from tasks.sample.draw import draw_sample
from tasks.sample.lists import write_county_sample


SUSPICIOUS = "THRESHOLD_BUNCHING|IDENTICAL_ROWS"  # the signals a spot check is for


class NothingToSample(ValueError):
    """The store holds no household status for the month (or county) asked for."""


def resolve_sample_period(con: duckdb.DuckDBPyConnection, period: str | None) -> str:
    """The sample month: the one given, else the latest month household_status describes."""
    if not db.has_table(con, "household_status"):
        raise NothingToSample("no household_status in the store (run `povmon run` first)")
    latest = db.rows(con, "sample/latest_period")[0][0]
    if latest is None:
        raise NothingToSample("household_status is empty (run `povmon run` first)")
    if period is None:
        return latest
    if not re.fullmatch(r"\d{4}(0[1-9]|1[0-2])", period):
        raise NothingToSample(f"--period must be YYYYMM, got {period!r}")
    if period > latest:
        raise NothingToSample(f"household_status describes months up to {latest}, not {period} "
                              f"(run `povmon run --as-of {period}` first)")
    return period


def take_sample(con: duckdb.DuckDBPyConnection, spot_check: dict, seed: int, period: str | None,
                county_code: str | None, sample_dir: Path) -> dict:
    """Draw the sample, keep it in sample_draws / sample_households and write each county's CSV and workbook, in
    one transaction (no draw is kept without its lists); returns the draw with its per-county counts and paths."""
    period = resolve_sample_period(con, period)
    params = {"period": period, "county_code": county_code}
    villages = db.frame(con, "sample/villages", params)
    households = db.frame(con, "sample/households", params)
    if villages.is_empty():
        where = f" of county {county_code}" if county_code else ""
        raise NothingToSample(f"no household status{where} for {period} in the store "
                              f"(household_status holds the as-of income year up to the as-of month)")
    sample = draw_sample(villages, households, spot_check, seed)
    # the draw is committed only once every county's list is written: a draw kept without its lists (an out folder
    # not writable) made the city page name it and link to another draw's lists
    staging = sample_dir.with_name(sample_dir.name + ".staging")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        with db.transaction(con):
            draw = keep_draw(con, sample, seed, period, spot_check, county_code)
            for county, part in sample.group_by("county_code", maintain_order=True):
                paths = write_county_sample(con, draw, county[0], staging)
                draw["counties"].append({
                    "county_code": county[0], "households_count": part.height,
                    "villages_count": part["village_code"].n_unique(),
                    "flagged_count": int((part["flags"] != "").sum()),
                    "suspicious_villages_count": part.filter(pl.col("village_signals").str.contains(SUSPICIOUS))
                                                     ["village_code"].n_unique(),
                    "is_whole_county": bool(part["is_whole_county"].any()), **paths})
            sample_dir.mkdir(parents=True, exist_ok=True)
            for county in draw["counties"]:
                for kind in ("csv", "xlsx"):
                    moved = sample_dir / county[kind].name
                    os.replace(county[kind], moved)
                    county[kind] = moved
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return draw


def keep_draw(con: duckdb.DuckDBPyConnection, sample: pl.DataFrame, seed: int, period: str, spot_check: dict,
              county_code: str | None) -> dict:
    """Insert a draw and its households (in the caller's transaction); returns the draw, its counties to come."""
    draw_id, drawn_at = db.rows(con, "sample/insert_draw", {
        "seed": seed, "period": period, "county_filter": county_code,
        "settings_json": json.dumps(spot_check, sort_keys=True),
        "counties_count": sample["county_code"].n_unique(), "villages_count": sample["village_code"].n_unique(),
        "households_count": sample.height})[0]
    con.register("drawn_households", sample)
    db.run(con, "sample/insert_households", {"draw_id": draw_id})
    con.unregister("drawn_households")
    return {"draw_id": draw_id, "drawn_at": drawn_at, "seed": seed, "period": period, "spot_check": spot_check,
            "county_filter": county_code, "counties": []}
