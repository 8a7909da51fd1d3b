"""Mart units and their keys: the marts are kept between runs in units (county × period, county × income year;
household_status by village × period), each recorded with a key made of digests of the files it depends on; a unit
is recomputed only when its key changes, so a run recomputes what its new or corrected files touch and nothing
else."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import groupby

import duckdb
import polars as pl

from core import db
from core.income_year import income_year_month
from core.settings import POLICY_BY_YEAR_FIELDS, Settings
from tasks.ingest.scope import Scope
from tasks.marts import unit_stamps

# (code, period YYYYMM or income year as text): a county's code, or a village's for a mart kept by village (its
# first COUNTY_DIGITS digits are its county's); mart_units holds either in its county_code column
Unit = tuple[str, str]
COUNTY_DIGITS = 6
# County-months of data one computation of a mart reads at most (a county needing more is computed alone): a
# province month and its history are computed in groups, so a mart's memory does not grow with the store.
GROUP_COUNTY_MONTHS = 120
KEY_SCHEMA = {"county_code": pl.Utf8, "unit": pl.Utf8, "unit_key": pl.Utf8}
PROJECTION_FIELDS = ["share_min", "share_min_households", "band_coverage", "band_default_low", "band_years",
                     "band_history_prior", "band_min_new_households", "band_default_high",
                     "band_remaining_power", "band_remaining_min", "band_default_spread_low",
                     "band_default_spread_high", "band_spread_min_households",
                     "default_shares", "household_prior_years", "village_prior_years", "last_year_weight",
                     "festival_lead_days", "festival_lump_min", "spring_festival"]
SQL_DEPENDENCIES = ["schema/005_macros", "schema/006_projection_macros", "schema/007_reason_macros",
                    "schema/090_views", "schema/091_as_run_files"]


def digest(parts: Iterable[str]) -> str:
    """An md5 digest of the parts, in the order given."""
    return hashlib.md5("\n".join(parts).encode("utf-8")).hexdigest()


def marts_digest(settings: Settings) -> str:
    """A digest of what the marts compute with besides the data: the projection and policy settings, and the
    text of the SQL that builds them (a change to either rebuilds every mart)."""
    policy = {name: getattr(settings, name) for name in POLICY_BY_YEAR_FIELDS}
    figures = {"lines": settings.lines, "policy": policy, "policy_by_year": settings.policy_by_year,
               **{name: getattr(settings, name) for name in PROJECTION_FIELDS}}
    texts = [db.sql_text(name) for name in SQL_DEPENDENCIES]
    texts += [path.read_text(encoding="utf-8") for path in sorted((db.SQL_DIR / "marts").rglob("*.sql"))]
    return digest([json.dumps(figures, sort_keys=True, default=str), *texts])


def prepare_marts(con: duckdb.DuckDBPyConnection, settings: Settings, rerun: Scope | None = None) -> None:
    """Drop and recreate the marts when the settings or SQL changed since they were built; digest the stored
    rows of every file not digested yet, and again those of the files a rerun re-read (their rows may have
    changed under the same file_id)."""
    wanted = marts_digest(settings)
    stored = db.rows(con, "marts/read_keys", {"artifact": "global"})
    rebuilt = [row[2] for row in stored] != [wanted]
    with db.transaction(con):
        if rebuilt:
            con.execute(db.sql_text("marts/drop_tables")).fetchall()
            con.execute(db.sql_text("marts/create_tables")).fetchall()
            record_keys(con, "global", {("*", "*"): wanted})
        if rerun is not None and rerun.is_rerun:
            db.run(con, "marts/forget_file_digests",
                   {"code_prefix": rerun.village or rerun.county, "period": rerun.period})
        db.run(con, "marts/file_digests")
    if rebuilt:
        release_dropped_space(con)


def built_with_other_settings(con: duckdb.DuckDBPyConnection, settings: Settings) -> bool:
    """Whether the store's marts were built with other settings or SQL than these (prepare_marts would drop them,
    household_status and village_signals with them)."""
    if not db.has_table(con, "mart_keys"):
        return False
    stored = db.rows(con, "marts/read_keys", {"artifact": "global"})
    return bool(stored) and [row[2] for row in stored] != [marts_digest(settings)]


def release_dropped_space(con: duckdb.DuckDBPyConnection) -> bool:
    """Checkpoint, so that the dropped marts' blocks are free for the rebuild to reuse; returns whether it could.
    Without it they stay taken until a checkpoint the rebuild's own writes trigger, and the rebuilt marts land in
    new blocks: a city store (158,452 households, four income years) went 2.03 → 2.06 GB in a rebuild, 460 MB of
    it free blocks; with it 2.03 → 1.65 GB, the same rows, and the run was quicker (65 s against 87 s). Another
    transaction still open in this process makes DuckDB refuse: the space is then freed a checkpoint later."""
    try:
        con.execute("CHECKPOINT")
    except duckdb.Error:
        return False
    return True


class Stamps:
    """The digest of every county × period's files, and the keys derived from them."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        unit_stamps.fresh(con)
        self.by_unit: dict[Unit, str] = {(c, p): s for c, p, s in db.rows(con, "marts/period_stamps")}
        self.by_county: dict[str, list[tuple[str, str]]] = {}
        for (county, period), stamp in sorted(self.by_unit.items()):
            self.by_county.setdefault(county, []).append((period, stamp))
        self._history: dict[tuple[str, int], str] = {}

    def history_key(self, county: str, income_year: int) -> str:
        """Key of everything a county's income year learns from: the stamps of its periods of earlier years."""
        cached = self._history.get((county, income_year))
        if cached is None:
            cached = digest(f"{p}={s}" for p, s in self.by_county.get(county, [])
                            if income_year_month(p)[0] < income_year)
            self._history[(county, income_year)] = cached
        return cached

    def through_key(self, county: str, income_year: int) -> str:
        """Key of everything up to and including a county's income year."""
        return self.history_key(county, income_year + 1)

    def county_months(self, unit: Unit) -> int:
        """How many months of its county a unit may read: all those on record."""
        return len(self.by_county.get(unit[0], ()))

    def years(self) -> list[int]:
        """Every income year with a file on record."""
        return sorted({income_year_month(p)[0] for _, p in self.by_unit})


def units_frame(units: Iterable[Unit], keys: dict[Unit, str] | None = None) -> pl.DataFrame:
    """Units (and their keys) as the frame mart_units the mart statements read."""
    units = sorted(units)
    return pl.DataFrame({"county_code": [c for c, _ in units], "unit": [u for _, u in units],
                         "unit_key": [(keys or {}).get(u, "") for u in units]}, schema=KEY_SCHEMA)


def register_units(con: duckdb.DuckDBPyConnection, units: Iterable[Unit], keys: dict[Unit, str] | None = None) -> None:
    """Register units as the frame mart_units."""
    con.register("mart_units", units_frame(units, keys))


def record_keys(con: duckdb.DuckDBPyConnection, artifact: str, keys: dict[Unit, str]) -> None:
    """Record (replacing) the keys of an artifact's units (inside the caller's transaction)."""
    register_units(con, keys, keys)
    db.run(con, "marts/forget_keys", {"artifact": artifact})
    db.run(con, "marts/insert_keys", {"artifact": artifact})


def county_of(unit: Unit) -> str:
    """The county of a unit (a county's or a village's)."""
    return unit[0][:COUNTY_DIGITS]


def county_groups(units: list[Unit], cost: Callable[[Unit], int]) -> list[list[Unit]]:
    """The units in groups of whole counties costing at most GROUP_COUNTY_MONTHS together (a county costing more
    makes a group alone), in county order. Village units cost as their county × period would: a county's month
    is read once, however many of its villages are recomputed."""
    groups: list[list[Unit]] = []
    spent = 0
    for county, county_units in groupby(sorted(units), key=county_of):
        county_units = list(county_units)
        weight = sum(cost((county, period)) for period in sorted({period for _, period in county_units}))
        if not groups or spent + weight > GROUP_COUNTY_MONTHS:
            groups.append([])
            spent = 0
        groups[-1] += county_units
        spent += weight
    return groups


@dataclass(frozen=True)
class Amend:
    """A cheaper way to bring a computed unit up to date when its key changed in a part that touches few of its
    rows: applies(stored key, wanted key) says when; apply(units) amends the rows of the units registered as
    mart_units (in the refresh's transaction) and returns the rows it deleted and inserted."""

    applies: Callable[[str, str], bool]
    apply: Callable[[list[Unit]], int]


def refresh(con: duckdb.DuckDBPyConnection, artifact: str, table: str, wanted: dict[Unit, str],
            compute: Callable[[list[Unit]], int], cost: Callable[[Unit], int] = lambda unit: 1,
            amend: Amend | None = None) -> int:
    """Bring an artifact's units up to date: delete the rows and keys of units no longer wanted, then compute the
    changed and new units a group of counties at a time (compute reads mart_units = the group's units and returns
    the rows it inserted; cost: the county-months of data a unit reads), each group in a transaction of its own
    that replaces its units' rows and keys. Rows and keys are committed together, so a run killed midway leaves
    each unit as it was (its old key: recomputed next time) or done, and a transaction's uncommitted rows are
    one group's, whatever the history (one transaction over a province's marts held gigabytes). Call outside a
    transaction. A stale unit that amend applies to is amended instead, in the same way. Returns the number of
    table rows deleted and inserted."""
    stored = {(c, u): k for c, u, k in db.rows(con, "marts/read_keys", {"artifact": artifact})}
    stale = [unit for unit, key in wanted.items() if stored.get(unit) != key]
    gone = [unit for unit in stored if unit not in wanted]
    amended = [unit for unit in stale if amend is not None and unit in stored and amend.applies(stored[unit],
                                                                                                 wanted[unit])]
    changed = 0
    if gone:
        with db.transaction(con):
            changed += forget(con, artifact, table, gone)
    for group in county_groups(amended, cost):
        with db.transaction(con):
            register_units(con, group)
            changed += amend.apply(group)
            record_keys(con, artifact, {unit: wanted[unit] for unit in group})
    for group in county_groups(sorted(set(stale) - set(amended)), cost):  # memory bounded by a group, not history
        with db.transaction(con):
            changed += forget(con, artifact, table, [unit for unit in group if unit in stored])
            register_units(con, group)
            changed += compute(group)
            register_units(con, group, wanted)  # their keys went with forget: inserted, not replaced
            db.run(con, "marts/insert_keys", {"artifact": artifact})
    if stale or gone:
        con.unregister("mart_units")
    return changed


def forget(con: duckdb.DuckDBPyConnection, artifact: str, table: str, units: list[Unit]) -> int:
    """Delete the rows and keys of units that have them (a unit never computed has neither); returns the rows."""
    if not units:
        return 0
    register_units(con, units)
    deleted = db.rows(con, f"marts/forget/{table}")[0][0]
    db.run(con, "marts/forget_keys", {"artifact": artifact})
    return deleted
