"""Runs of the real flows in tests: the settings of a test city folder, and a nightly run or a rerun over it."""
from __future__ import annotations

import csv
from pathlib import Path

import duckdb

from core.settings import Settings, load_settings


def settings_for(root: Path, db: Path | None = None, out: Path | None = None, inbox: Path | None = None,
                 reference: Path | None = None, raw_store: Path | None = None,
                 settings_file: Path | None = None) -> Settings:
    """The settings of a run over root/inbox and root/reference into root/db.duckdb and root/out (the defaults, a
    settings file when given, and the environment, e.g. the conftest's POVMON_SETTLE_SECONDS=0, then these paths;
    the raw store beside the database unless given)."""
    return load_settings(settings_file).with_paths(inbox=inbox or root / "inbox", reference=reference or root / "reference",
                                      db=db or root / "db.duckdb", out=out or root / "out", raw_store=raw_store)


def run_nightly(root: Path, as_of: str | None = None, today: str | None = None, **paths: Path):
    """One nightly run over root (see settings_for); returns its RunSummary."""
    from flows.nightly import nightly

    return nightly(settings=settings_for(root, **paths), as_of=as_of, today=today)


def run_rerun(root: Path, county: str | None = None, village: str | None = None, period: str | None = None,
              **paths: Path):
    """One rerun over root's city (see settings_for); returns its RunSummary."""
    from flows.rerun import rerun

    return rerun(county=county, village=village, period=period, settings=settings_for(root, **paths))


def run_flow(root: Path):
    """One nightly run over root/inbox into root/db.duckdb and root/out; returns its summary."""
    return run_nightly(root)


def problems(root) -> list[dict]:
    """problems.csv as dicts (the BOM is part of the contract)."""
    text = (root / "out" / "exports" / "problems.csv").read_bytes()
    assert text.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(text.decode("utf-8-sig").splitlines()))


def query(root, sql: str) -> list[tuple]:
    """Rows of a query on the run's database (read-only)."""
    with duckdb.connect(str(root / "db.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()
