"""The raw store: every file's bytes as they came, kept under their hash (gzip-compressed, in packs: raw_packs),
readable by the store's owner only, so the database can be rebuilt from them. A store kept before packs holds a
file per copy (`<aa>/<sha256>.gz`, or `<aa>/<sha256>` before compression): read back as well."""
from __future__ import annotations

import gzip
import os
import zlib
from dataclasses import dataclass
from pathlib import Path

from core.files import sweep_partials
from tasks.ingest.limits import LimitExceeded, ReadLimits
from tasks.ingest.raw_packs import PACKS, find_member, pack_bytes, pack_name

RAW_SUFFIX = ".gz"  # the raw store keeps each file's bytes gzip-compressed (level 1): the synthetic province's
# 5.6 GB of CSV returns in ≈ 2.1 GB (38 %), so the bootstrap writes ≈ 3.5 GB less beside the store, for ≈ 70 CPU-s

# the raw store's temporary files, in one folder: a reading worker killed mid-write leaves its file there, where a
# run sweeps it away (sweep_raw_partials) without walking the store's hundreds of thousands of files
RAW_PARTIALS = ".partial"

# the folders this process made owner-only already (a failed mkdir, its exception, a stat and a chmod each time)
_owner_only: set[str] = set()


@dataclass(frozen=True)
class KeptCopy:
    """Where the raw store keeps a file's bytes: a pack's member (its offset and length), or a file of its own (a
    store kept before packs: gzip, or as they came before compression); and their size as they came."""

    path: str
    size: int
    member: tuple[int, int] | None = None
    packed: bool = True


def kept_copy(raw_store: Path, sha256: str) -> KeptCopy | None:
    """Where the raw store keeps a copy of these bytes, or None."""
    if (own := _own_file(raw_store, sha256)) is not None:
        return KeptCopy(own[0], kept_size(Path(own[0])), None, own[1])
    if (member := find_member(raw_store, sha256)) is not None:
        return KeptCopy(member.pack, member.size, (member.offset, member.length))
    return None


def _own_file(raw_store: Path | str, sha256: str) -> tuple[str, bool] | None:
    """A copy kept in a file of its own (a store kept before packs) and whether it is gzip, or None."""
    folder = os.path.join(raw_store, sha256[:2])
    for candidate, packed in ((os.path.join(folder, sha256 + RAW_SUFFIX), True), (os.path.join(folder, sha256), False)):
        if os.path.isfile(candidate):
            return candidate, packed
    return None


def is_kept(raw_store: Path, sha256: str) -> bool:
    """Whether the raw store keeps a copy of these bytes."""
    return kept_copy(raw_store, sha256) is not None


def sweep_raw_partials(raw_store: Path) -> int:
    """Remove what killed writers left in the raw store's folder of temporary files; returns how many went."""
    return sweep_partials(Path(raw_store) / RAW_PARTIALS)


class RawKeeper:
    """The copies of one chunk of files read, kept in the raw store as one pack when the chunk is done (`flush`):
    before the chunk's rows are handed on, so no file is loaded whose bytes are not kept."""

    def __init__(self, raw_store: Path):
        self.raw_store = os.path.abspath(raw_store)
        self.pending: list[tuple[str, int, bytes]] = []
        self.held: set[str] = set()

    def keep(self, data: bytes, sha256: str, look_in_packs: bool = False) -> None:
        """Keep a file's bytes with the chunk's copies, unless kept already: in this chunk, in a file of their own (a
        store kept before packs) or, look_in_packs (a file known already), in a pack. A new file's bytes are not
        looked up in the packs: they are new to the store but for a file sent twice, whose second copy costs only
        space."""
        if sha256 in self.held:
            return
        if _own_file(self.raw_store, sha256) or (look_in_packs and find_member(self.raw_store, sha256) is not None):
            return
        self.held.add(sha256)
        self.pending.append((sha256, len(data), gzip.compress(data, compresslevel=1, mtime=0)))

    def flush(self) -> None:
        """Write the copies kept since the last flush as one pack (readable by the store's owner only)."""
        if not self.pending:
            return
        data = pack_bytes(self.pending)
        target = os.path.join(self.raw_store, PACKS, pack_name(data))
        scratch = os.path.join(self.raw_store, RAW_PARTIALS)
        folders = (self.raw_store, os.path.dirname(target), scratch)
        try:
            _write_into_place(data, target, scratch, folders)
        except FileNotFoundError:  # a folder made earlier in this process was removed since: make it again
            _owner_only.clear()
            _write_into_place(data, target, scratch, folders)
        self.pending = []


def keep_raw(data: bytes, sha256: str, raw_store: Path) -> None:
    """Keep one file's bytes in the raw store (a pack of its own), unless a copy is kept already."""
    keeper = RawKeeper(raw_store)
    keeper.keep(data, sha256, look_in_packs=True)
    keeper.flush()


def _write_into_place(data: bytes, target: str, scratch: str, folders: tuple[str, ...]) -> None:
    """Write bytes under a temporary name in scratch (owner-only from its creation, named with the process id) and
    rename them onto target, the folders made owner-only first: no reader ever sees half of them."""
    for folder in folders:
        if folder not in _owner_only:
            os.makedirs(folder, mode=0o700, exist_ok=True)
            os.chmod(folder, 0o700)  # an existing folder too: the copies are never visible to others
            _owner_only.add(folder)
    partial = os.path.join(scratch, f"{os.path.basename(target)}.part{os.getpid()}")
    handle = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        with os.fdopen(handle, "wb") as out:
            os.fchmod(out.fileno(), 0o600)  # a stale partial of the same name kept its own mode
            out.write(data)
        os.replace(partial, target)
    except BaseException:
        try:
            os.unlink(partial)
        except OSError:
            pass
        raise


def unpacked(data: bytes, limits: ReadLimits) -> bytes:
    """A raw store copy's bytes as they came, within the file size limit (OSError when the copy is damaged)."""
    inflate = zlib.decompressobj(wbits=31)  # gzip
    try:
        out = inflate.decompress(data, limits.max_file_bytes + 1)
    except zlib.error as err:
        raise OSError(f"raw store copy damaged: {err}") from err
    if len(out) > limits.max_file_bytes:
        raise LimitExceeded(f"文件超过{limits.max_file_bytes}字节(设置 ingest.max_file_bytes)")
    if not inflate.eof:
        raise OSError("raw store copy cut short")
    return out


def kept_size(path: Path) -> int:
    """The size of the bytes a raw store copy holds: a gzip copy's trailer says it (below 4 GiB, as every file
    read is), a plain copy is its own size."""
    if path.suffix != RAW_SUFFIX:
        return path.stat().st_size
    with open(path, "rb") as handle:
        handle.seek(-4, os.SEEK_END)
        return int.from_bytes(handle.read(4), "little")
