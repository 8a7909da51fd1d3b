"""A run's openings for subjects × kinds with no case yet, planned on frames: the events evaluate.plan_events would
give them (each opens its first case whatever its source says), without a dict per case, a Python rule per source
and a hash per id (a province's first month opens 500,000 cases: ~5 s of its ledger that way)."""
from __future__ import annotations

import duckdb
import polars as pl

from core import db
from tasks.cases import candidates, event_log
from tasks.cases.evaluate import RunContext, opening_fields


def split(openable: pl.DataFrame, case_keys: pl.Series) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The openable sources whose subject × kind has none of the run's cases (case_keys: candidates.subject of
    them): fresh, each opening its subject's first case; and the others, left to evaluate.plan_events (with a
    source lacking a subject key, which the rules alone judge)."""
    fresh = (~candidates.subject(openable).is_in(case_keys.unique()) & openable["subject_key"].is_not_null()
             ).fill_null(False)
    return openable.filter(fresh), openable.filter(~fresh)


def opening_order(frame: pl.DataFrame) -> pl.DataFrame:
    """Sources or openings in the order plan_events takes them: by subject key, kind and detail (none as ''),
    stably."""
    return frame.sort(pl.col("subject_key"), pl.col("kind"), pl.col("detail").fill_null(""), maintain_order=True)


def fresh_events(con: duckdb.DuckDBPyConnection, fresh: pl.DataFrame, ctx: RunContext) -> pl.DataFrame:
    """The opening events of fresh sources as evaluate.open_event writes them: one per subject × kind, from the first
    of its sources in plan_events' order, its number 0 and no previous case; ids as rules.case_id makes them."""
    first = opening_order(fresh).unique(["kind", "subject_key"], keep="first", maintain_order=True)
    return event_log.planned(first.with_columns(
        case_ids(con, first, ctx.as_of), *(pl.lit(value).alias(field) for field, value in opening_fields(ctx).items())))


def case_ids(con: duckdb.DuckDBPyConnection, sources: pl.DataFrame, opened_period: str) -> pl.Series:
    """rules.case_id of each source's kind and subject key, opened in this month as its subject's first case (number
    0), in the sources' order: DuckDB hashes the same UTF-8 text with the same sha256."""
    con.register("fresh_case_keys", sources.select("kind", "subject_key").with_row_index("row_index"))
    try:
        return db.frame(con, "cases/fresh_case_ids", {"opened_period": opened_period})["case_id"]
    finally:
        con.unregister("fresh_case_keys")


def in_order(events: list[dict], fresh: pl.DataFrame) -> pl.DataFrame:
    """plan_events' events with the fresh openings, in plan_events' order: its closings as it gave them, then every
    opening by subject key, kind and detail (no two of them share a subject × kind)."""
    given = event_log.planned(events)
    opened = pl.col("event") == "opened"
    return pl.concat([given.filter(~opened), opening_order(pl.concat([given.filter(opened), fresh]))])
