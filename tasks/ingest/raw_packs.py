"""The raw store's packs: the copies of one chunk of files read, gzip member after gzip member, in one file named
by its content and indexed at its end. On this machine's file system creating a file cost 0.3-0.7 ms of system
CPU, more than reading most returns, and a copy per file made that a quarter of the reading workers' time (city
increment: 1,610 files; a province's bootstrap 447,660); a pack of 250 copies is one file.

A pack is written under a temporary name in the raw store's folder of temporary files and renamed into
`<raw store>/packs/` complete, so a pack in that folder always holds its index. Packs are never changed; the same
bytes may be in two packs (read again after a run that did not commit), which costs only space."""
from __future__ import annotations

import hashlib
import os
import struct
import threading
from dataclasses import dataclass
from pathlib import Path

PACKS = "packs"
PACK_SUFFIX = ".pack"
INDEX_ENTRY = struct.Struct("<32sQQQ")  # sha256, offset, size as it came, size of its gzip member
TRAILER = struct.Struct("<QQ8s")  # where the index starts, how many entries, magic
MAGIC = b"POVMONP1"


@dataclass(frozen=True)
class Member:
    """Where a pack keeps one file's bytes: the pack, the gzip member's offset and length, the size as it came."""

    pack: str
    offset: int
    length: int
    size: int


def pack_bytes(members: list[tuple[str, int, bytes]]) -> bytes:
    """A pack of (sha256 hex, size as it came, gzip member) copies: the members, their index, the trailer."""
    parts, index, offset = [], [], 0
    for sha256, size, member in members:
        parts.append(member)
        index.append(INDEX_ENTRY.pack(bytes.fromhex(sha256), offset, size, len(member)))
        offset += len(member)
    return b"".join(parts + index + [TRAILER.pack(offset, len(index), MAGIC)])


def pack_name(data: bytes) -> str:
    """A pack's file name, from its content: writing the same pack again replaces it with the same bytes."""
    return hashlib.sha256(data).hexdigest()[:40] + PACK_SUFFIX


def read_index(path: str) -> dict[str, Member]:
    """sha256 hex -> Member of every copy a pack holds; {} for a file that is no complete pack."""
    try:
        with open(path, "rb") as handle:
            handle.seek(0, os.SEEK_END)
            end = handle.tell()
            if end < TRAILER.size:
                return {}
            handle.seek(end - TRAILER.size)
            start, count, magic = TRAILER.unpack(handle.read(TRAILER.size))
            if magic != MAGIC or start + count * INDEX_ENTRY.size + TRAILER.size != end:
                return {}
            handle.seek(start)
            index = handle.read(count * INDEX_ENTRY.size)
    except OSError:
        return {}
    found = {}
    for digest, offset, size, length in INDEX_ENTRY.iter_unpack(index):
        if offset + length <= start:
            found[digest.hex()] = Member(path, offset, length, size)
    return found


class PackIndex:
    """Every copy the packs of one raw store hold, read once per process and brought up to date (packs written
    since) when a hash is not found: a store rebuilt or a rerun looks up thousands of hashes."""

    def __init__(self, folder: str):
        self.folder = folder
        self.read: set[str] = set()
        self.members: dict[str, Member] = {}
        self.lock = threading.Lock()

    def find(self, sha256: str) -> Member | None:
        """Where a copy of these bytes is kept, or None."""
        with self.lock:
            if sha256 not in self.members:
                self._read_new_packs()
            found = self.members.get(sha256)
            if found is not None and not os.path.exists(found.pack):  # a pack removed by hand: read them all again
                self.read.clear()
                self.members.clear()
                self._read_new_packs()
                found = self.members.get(sha256)
            return found

    def _read_new_packs(self) -> None:
        """Read the index of every pack not read yet."""
        try:
            names = [entry.name for entry in os.scandir(self.folder) if entry.name.endswith(PACK_SUFFIX)]
        except OSError:
            return
        for name in sorted(set(names) - self.read):
            self.members.update(read_index(os.path.join(self.folder, name)))
            self.read.add(name)


_indexes: dict[str, PackIndex] = {}
_indexes_lock = threading.Lock()


def find_member(raw_store: Path | str, sha256: str) -> Member | None:
    """Where a raw store's packs keep a copy of these bytes, or None."""
    folder = os.path.join(os.path.abspath(raw_store), PACKS)
    with _indexes_lock:
        index = _indexes.setdefault(folder, PackIndex(folder))
    return index.find(sha256)


def read_member(member: Member) -> bytes:
    """A member's gzip bytes from its pack (OSError when the pack is gone or cut short, or its index says more
    bytes than gzip ever makes of the size it gives)."""
    if member.length > member.size + member.size // 64 + 1024:
        raise OSError("raw store pack index damaged")
    handle = os.open(member.pack, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        data = os.pread(handle, member.length, member.offset)
    finally:
        os.close(handle)
    if len(data) != member.length:
        raise OSError("raw store pack cut short")
    return data
