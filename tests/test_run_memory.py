"""What a run holds while the marts are built: not the inbox's listing, not a batch's rows (both grow with what
arrived: a province bootstrap's 462,000 paths, an increment's 1.5 million rows)."""
from __future__ import annotations

import gc
import weakref

import pytest

from flows import discover_step, steps
from flows.results import Discovery
from tests.support.runs import run_nightly

pytestmark = pytest.mark.flow


def test_the_listing_and_the_batches_are_let_go_before_the_projection(small_city, prefect_harness, tmp_path,
                                                                      monkeypatch):
    kept: list[weakref.ref] = []
    alive_at_projection: list[list[str]] = []
    discover, read_and_check, project = discover_step.discover_files, steps.read_and_check, steps.project_incomes

    def discovering(*args, **kwargs):
        found = discover(*args, **kwargs)
        kept.append(weakref.ref(found))
        return found

    def reading(*args, **kwargs):
        batch = read_and_check(*args, **kwargs)
        kept.append(weakref.ref(batch))
        return batch

    def projecting(*args, **kwargs):
        gc.collect()
        alive_at_projection.append([holding(ref()) for ref in kept if ref() is not None and holding(ref())])
        return project(*args, **kwargs)

    monkeypatch.setattr(discover_step, "discover_files", discovering)
    monkeypatch.setattr(steps, "read_and_check", reading)
    monkeypatch.setattr(steps, "project_incomes", projecting)
    summary = run_nightly(tmp_path, inbox=small_city / "inbox", reference=small_city / "reference")
    assert summary.files_loaded > 0 and summary.files_seen >= summary.files_new > 0
    assert len(kept) >= 2  # the listing and at least one batch were seen
    assert alive_at_projection == [[]]


def holding(found) -> str:
    """What a run's listing or batch still holds: '' when nothing."""
    if isinstance(found, Discovery):
        return "listing" if found.deliveries or found.slots or found.paths.height else ""
    return type(found).__name__
