"""Bounds on what one file may cost a run (size, cells, time): settings [ingest], so no file can stop the night."""
from __future__ import annotations

import time
from dataclasses import dataclass


@dataclass(frozen=True)
class ReadLimits:
    """The [ingest] limits a file is read under; a file beyond one is refused with the limit named."""

    max_file_bytes: int = 32 << 20        # bigger files are refused unread (a village return is well under 1 MB)
    max_unzipped_bytes: int = 64 << 20    # an .xlsx whose parts unpack to more is refused (zip bomb)
    max_sheet_cells: int = 2_000_000      # rows × columns of the sheet's used range, checked before reading it
    max_cell_chars: int = 65_536          # one cell (a CSV field, an xlsx cell)
    read_timeout_seconds: float = 60.0    # reading and parsing one file, checked between blocks and rows

    @classmethod
    def from_table(cls, table: dict) -> "ReadLimits":
        """The limits from a settings [ingest] table (keys not given keep their defaults)."""
        given = {k: type(getattr(cls, k))(v) for k, v in table.items() if k in cls.__dataclass_fields__}
        return cls(**given)

    def deadline(self) -> "Deadline":
        """A deadline for reading one file, starting now."""
        return Deadline(time.monotonic() + self.read_timeout_seconds, self.read_timeout_seconds)


class LimitExceeded(Exception):
    """A file exceeds one of the read limits; the message names it (shown to the village as the reason)."""


@dataclass(frozen=True)
class Deadline:
    """When reading one file must stop."""

    at: float
    seconds: float

    def check(self, where: str) -> None:
        """Raise LimitExceeded when the time is up."""
        if time.monotonic() > self.at:
            raise LimitExceeded(f"读取超过{self.seconds:g}秒仍未完成({where})，已放弃(设置 ingest.read_timeout_seconds)")
DEFAULT_LIMITS = ReadLimits()  # the [ingest] defaults, for callers that pass none
