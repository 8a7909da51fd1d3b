"""Batches of a run: the files to read in month order split by a byte budget, each read, checked and loaded on its own,
so a run's memory is bounded by a batch, not by the inbox, and a killed run resumes at the first batch not loaded."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import groupby

import polars as pl

from tasks.ingest.discover import parse_return_name
from tasks.ingest.read import FileSlot

NO_PERIOD = "999999"  # files whose name gives no month (rejected unread): after every month


@dataclass
class PlannedBatch:
    """One batch: its files to read, and the inbox paths and deliveries it records when it commits (those of its
    files, and of the same villages and months; the last batch also the rest); logged: a store being rebuilt
    inserts the delivery log read back with its first batch."""

    slots: list[FileSlot]
    paths: pl.DataFrame
    fresh: pl.DataFrame
    logged: pl.DataFrame | None = None
    months: list[str] = field(default_factory=list)


def village_month(file_name: str) -> tuple[str, str]:
    """The (month, village) a file name gives, or (NO_PERIOD, '') for a name that gives none."""
    name = parse_return_name(file_name)
    return (name.period, name.village_code) if name.period else (NO_PERIOD, "")


class VillageMonths(dict):
    """village_month of each file name, worked out once: a plan looks a name up four times (a province bootstrap's
    462,000 names took 7.7-9.4 s, read four times over)."""

    def __missing__(self, file_name: str) -> tuple[str, str]:
        self[file_name] = found = village_month(file_name)
        return found


def group_slots(slots: list[FileSlot], batch_bytes: int, months: VillageMonths | None = None) -> list[list[FileSlot]]:
    """The slots in batches of at most the byte budget, month by month (oldest first, so a month's history checks
    run with the months before it loaded), split between villages, never within one village's month (its
    versions are read and ordered together). Small months share a batch: a village's rerun over 30 months is one
    batch, not 30 (each batch's load and history check cost ~1 s on a province store). Deterministic, so a killed
    run's rest is batched as it was."""
    months = VillageMonths() if months is None else months

    def order(slot: FileSlot) -> str:
        """The slot's place: by month, village, file name, path. One string sorts as that tuple would (a 6-digit
        month, a 12-digit village or none, then NUL, which no name or path holds and every character follows),
        compared faster than nested tuples."""
        period, village = months[slot.delivery.file_name]
        return f"{period}{village}\0{slot.delivery.file_name}\0{slot.delivery.rel_path}"

    batches: list[list[FileSlot]] = []
    current: list[FileSlot] = []
    size = 0
    for _, village_slots in groupby(sorted(slots, key=order), key=lambda slot: months[slot.delivery.file_name]):
        group = list(village_slots)
        group_size = sum(slot.delivery.size_bytes for slot in group)
        if current and size + group_size > batch_bytes:
            batches.append(current)
            current, size = [], 0
        current += group
        size += group_size
    if current:
        batches.append(current)
    return batches


def renumber(batches: list[list[FileSlot]]) -> None:
    """Give the new files their ids in batch order (re-read files keep theirs), so the ids a killed and resumed
    run gives are those of an uninterrupted one."""
    new = [slot for batch in batches for slot in batch if not slot.is_reread]
    for slot, file_id in zip(new, sorted(slot.file_id for slot in new)):
        slot.file_id = file_id


def plan_batches(slots: list[FileSlot], paths: pl.DataFrame, fresh: pl.DataFrame, logged: pl.DataFrame | None,
                 batch_bytes: int) -> list[PlannedBatch]:
    """The run's batches (at least one: a run with nothing to read still records the paths it saw). Each inbox
    path goes with the batch of its file, else of its village and month, else with the last batch; the run's
    deliveries are numbered again in batch order (village months in order within one), so every batch's come
    before the next one's."""
    months = VillageMonths()
    groups = group_slots(slots, batch_bytes, months) or [[]]
    renumber(groups)
    where: dict[tuple[str, str], int] = {}
    for index, group in enumerate(groups):
        for key in {months[s.delivery.file_name] for s in group} - {(NO_PERIOD, "")}:
            where[key] = index
    by_key = {(s.delivery.sha256, s.delivery.file_name): i for i, group in enumerate(groups) for s in group}

    def batch_of(path: str, sha256: str, file_name: str) -> int:
        """The batch an inbox path is recorded with."""
        found = by_key.get((sha256, file_name))
        return found if found is not None else where.get(months[file_name], len(groups) - 1)

    def tagged(frame: pl.DataFrame) -> pl.DataFrame:
        """The frame with the batch index of each of its paths."""
        index = [batch_of(p, s, n) for p, s, n in zip(frame["path"], frame["sha256"], _names(frame))]
        return frame.with_columns(pl.Series("batch", index, pl.Int32))

    # within a batch, deliveries in the order of their village's month (then as found): the numbering is the
    # same whatever the byte budget, one batch or one per village and month
    ranks = {key: rank for rank, key in enumerate(sorted(where))}
    paths, fresh = tagged(paths), tagged(fresh)
    fresh = fresh.with_columns(pl.Series("rank", [ranks.get(months[n], len(ranks)) for n in _names(fresh)],
                                         pl.Int32))
    first_id = int(fresh["delivery_id"].min()) if fresh.height else 0
    fresh = (fresh.with_row_index("order").sort("batch", "rank", "order")
             .with_columns(pl.int_range(first_id, first_id + pl.len(), dtype=pl.Int32).alias("delivery_id"))
             .drop("order", "rank"))
    return [PlannedBatch(group, _part(paths, i), _part(fresh, i), logged if i == 0 else None,
                         sorted({months[s.delivery.file_name][0] for s in group}))
            for i, group in enumerate(groups)]


def _names(frame: pl.DataFrame) -> Iterable[str]:
    """The file names of a frame of paths (its file_name column, else the last part of each path)."""
    if "file_name" in frame.columns:
        return frame["file_name"]
    return (path.replace("\\", "/").rsplit("/", 1)[-1] for path in frame["path"])


def _part(frame: pl.DataFrame, index: int) -> pl.DataFrame:
    """The rows of a tagged frame that go with batch index, without the tag."""
    return frame.filter(pl.col("batch") == index).drop("batch")
