"""Narrowing a run's plan to the cases and sources it can act on, set-based, before the per-row rules look."""
from __future__ import annotations

import polars as pl

from tasks.cases import rules

KEY_SEPARATOR = "\x1f"  # never in a kind or a subject key


def subject(frame: pl.DataFrame) -> pl.Series:
    """Each row's subject × kind as one text key."""
    return frame.select(pl.concat_str("kind", "subject_key", separator=KEY_SEPARATOR)).to_series()


def narrow(latest: pl.DataFrame, found: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The latest cases and the sources that evaluate.plan_events can turn into events, in their order:
    active cases that are confirmed, or whose source is gone and whose kind closes then (rules.closes_when_gone):
    the only ones a run may close; the latest case of every subject × kind with a source and no active case (it
    decides whether and under which number a new case opens), and every source of those subjects. Whatever is left
    out gives no event: an active case whose source is still there stays as it is (confirmed ones aside), so does an
    unconfirmed household flag's case whose flag is gone (a province's 144,000 a night), and a source whose case is
    active opens none."""
    latest_keys, found_keys = subject(latest), subject(found)
    active = latest["status"].is_in(rules.ACTIVE)
    present = latest_keys.is_in(found_keys.unique())
    kinds = latest["kind"]
    closes_when_gone = kinds.is_in([kind for kind in kinds.unique().to_list() if kind and rules.closes_when_gone(kind)])
    may_close = active & ((latest["status"] == "confirmed") | (~present & closes_when_gone))
    kept = latest.filter(may_close | (~active & present))
    busy = latest_keys.filter(active & ~may_close)  # an active case the run leaves alone: its sources open nothing
    return kept, found.filter(~found_keys.is_in(busy.unique()))
