"""Discover: list the inbox, recognise village-return names, hash what is new, keep raw bytes by hash."""
from __future__ import annotations

import hashlib
import os
import re
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from core.files import write_bytes_atomically

NAME_PATTERN = re.compile(r"^(?P<village>\d{12})_(?P<period>\d{6})(?P<mark>_v(?P<v>\d+)|_更正)?\.(?P<ext>csv|xlsx)$", re.I)


@dataclass(frozen=True)
class ReturnName:
    """What a file name says: village, period (YYYYMM), correction rank and format; or why it is unusable."""

    village_code: str | None
    period: str | None
    correction_rank: int | None
    extension: str | None
    invalid_reason: str | None = None


@dataclass(frozen=True)
class Delivery:
    """One path found in the inbox with its content hash."""

    full_path: str
    rel_path: str
    file_name: str
    size_bytes: int
    mtime_ns: int
    sha256: str

    @property
    def path(self) -> Path:
        """The file's path (built on demand: a Path per file costs more than the whole listing)."""
        return Path(self.full_path)


def parse_return_name(file_name: str) -> ReturnName:
    """Read `<12 digits>_<YYYYMM>[_vN|_更正].csv/.xlsx`; an unusable name gets its reason."""
    name = unicodedata.normalize("NFC", file_name).strip()
    match = NAME_PATTERN.match(name)
    if not match:
        return ReturnName(None, None, None, None, f"文件名不符合“12位村代码_年月[_v2|_更正].csv/.xlsx”: {file_name}")
    period = match["period"]
    if not 1 <= int(period[4:]) <= 12 or not 2000 <= int(period[:4]) <= 2100:
        return ReturnName(None, None, None, None, f"文件名中的年月无效: {period}")
    rank = int(match["v"]) if match["v"] else (2 if match["mark"] else 1)
    if match["v"] and rank < 1:
        return ReturnName(None, None, None, None, f"更正版本号无效: {match['mark']}")
    return ReturnName(match["village"], period, rank, match["ext"].lower())


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def list_inbox(inbox: Path, known: dict[str, tuple[int, int, str]], settle_seconds: float,
               now: float | None = None) -> tuple[list[Delivery], list[str]]:
    """Every settled file under the inbox, hashed unless its path, size and mtime are already known.

    Returns (deliveries, still_arriving): a file changed within `settle_seconds`, or one that cannot
    be read now, is left for the next run, not read half-written.
    """
    now = time.time() if now is None else now
    deliveries, arriving = [], []
    for full, rel, name in walk_files(str(inbox)):
        try:
            stat = os.stat(full)
            if now - stat.st_mtime < settle_seconds:
                arriving.append(rel)
                continue
            seen = known.get(rel)
            same = seen is not None and seen[0] == stat.st_size and seen[1] == stat.st_mtime_ns
            digest = seen[2] if same else sha256_of(Path(full))
        except OSError:  # locked, vanished or a dangling link: look again next run
            arriving.append(rel)
            continue
        deliveries.append(Delivery(full, rel, name if name.isascii() else unicodedata.normalize("NFC", name),
                                   stat.st_size, stat.st_mtime_ns, digest))
    deliveries.sort(key=lambda d: d.rel_path)
    return deliveries, arriving


def walk_files(root: str, prefix: str = "") -> list[tuple[str, str, str]]:
    """(full path, path relative to root with '/', name) of every file below root; linked folders not entered."""
    found = []
    try:
        entries = list(os.scandir(root))
    except OSError:
        return found
    for entry in entries:
        rel = prefix + entry.name
        try:
            is_folder = entry.is_dir()
        except OSError:
            is_folder = False
        if not is_folder:
            found.append((entry.path, rel, entry.name))
        elif not entry.is_symlink():
            found.extend(walk_files(entry.path, rel + "/"))
    return found


def keep_raw(data: bytes, sha256: str, raw_store: Path) -> Path:
    """Write a file's bytes into the raw store under its hash (once), so the database can be rebuilt."""
    target = raw_store / sha256[:2] / sha256
    if not target.exists():
        write_bytes_atomically(target, data)
    return target
