"""What the steps of a run hand each other and the caller: small typed records, not string-keyed dicts."""
from __future__ import annotations

from dataclasses import astuple, dataclass, field

import polars as pl

from tasks.ingest.discover import Delivery
from tasks.marts import mart_keys
from tasks.ingest.read import FileSlot


@dataclass
class Discovery:
    """What listing the inbox found: every path as a delivery but those settled (unchanged paths of known returns:
    tasks/ingest/listing.settled_paths), the files to read this run, those still arriving, the paths to record in
    delivered_paths, and the deliveries to record in the delivery log (store and file)."""

    deliveries: list[Delivery]
    slots: list[FileSlot]
    arriving: list[str]
    paths: pl.DataFrame
    fresh: pl.DataFrame | None = None      # this run's deliveries: for the store and the log file
    logged: pl.DataFrame | None = None     # rebuilding a store: the log file read back, for the store
    department_slots: list[FileSlot] = field(default_factory=list)  # department files to read (tasks/departments)
    listed: int = 0  # paths listed (not arriving): the deliveries and those settled without one each

    def release(self) -> None:
        """Let go of the listing once its files are loaded (a province bootstrap's 462,000 paths). The flow's own
        reference is not the only one: a Prefect queue service started while the discover task ran keeps that
        task's context, and with it this result, for the life of the process."""
        self.deliveries, self.slots, self.arriving, self.department_slots = [], [], [], []
        self.paths, self.fresh, self.logged = self.paths.clear(), None, None


@dataclass(frozen=True)
class LoadCounts:
    """What the batches of a run loaded, added up batch by batch."""

    files_reread: int = 0
    files_loaded: int = 0
    files_rejected: int = 0
    rows_loaded: int = 0

    def __add__(self, other: "LoadCounts") -> "LoadCounts":
        """The counts of two batches together."""
        return LoadCounts(*(a + b for a, b in zip(astuple(self), astuple(other))))


class Projected:
    """What the project step leaves: the household months on record, and the files' stamps it keyed the marts
    on, which the flag and figures steps take (nothing changes the files in between; a province's stamps cost
    ~1 s each time they are taken)."""

    def __init__(self, rows: int, stamps: "mart_keys.Stamps") -> None:
        self.rows, self.stamps = rows, stamps  # a plain class: Prefect does not walk into it as a task input


@dataclass(frozen=True)
class FlagCounts:
    """How many households the flag step looked at and flagged, and how many village signals it raised."""

    households: int = 0
    flagged: int = 0
    signals: int = 0


@dataclass(frozen=True)
class RunSummary:
    """What a completed run did, for the command line and the runs table."""

    run_id: int
    as_of: str | None
    scope: str | None
    files_seen: int
    files_new: int
    files_reread: int
    files_loaded: int
    files_rejected: int
    files_arriving: int
    rows_loaded: int
    households_flagged: int
    village_signals: int
    db: str
    report: str
    exports: dict[str, str] = field(default_factory=dict)
    department_files_loaded: int = 0
    department_files_rejected: int = 0
    department_files_reread: int = 0
    members: int = 0                # rows of reference/members.csv
    department_findings: dict[str, int] = field(default_factory=dict)  # finding code (外地 as OUTSIDE) -> count
