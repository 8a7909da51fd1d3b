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

import numpy as np

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


def index_block(path: str) -> tuple[bytes, int] | None:
    """A pack's index entries (INDEX_ENTRY each) and where its members end; None for a file that is no complete
    pack."""
    try:
        with open(path, "rb") as handle:
            handle.seek(0, os.SEEK_END)
            end = handle.tell()
            if end < TRAILER.size:
                return None
            handle.seek(end - TRAILER.size)
            start, count, magic = TRAILER.unpack(handle.read(TRAILER.size))
            if magic != MAGIC or start + count * INDEX_ENTRY.size + TRAILER.size != end:
                return None
            handle.seek(start)
            block = handle.read(count * INDEX_ENTRY.size)
    except OSError:
        return None
    return (block, start) if len(block) == count * INDEX_ENTRY.size else None


def read_index(path: str) -> dict[str, Member]:
    """sha256 hex -> Member of every copy a pack holds; {} for a file that is no complete pack."""
    block, start = index_block(path) or (b"", 0)
    return {digest.hex(): Member(path, offset, length, size)
            for digest, offset, size, length in INDEX_ENTRY.iter_unpack(block) if offset + length <= start}


# an index entry as numpy reads it: the hash's first 8 bytes as a number to sort and search by, the rest of it
ENTRY = np.dtype([("key", ">u8"), ("rest", "V24"), ("offset", "<u8"), ("size", "<u8"), ("length", "<u8")])


class PackIndex:
    """Every copy the packs of one raw store hold, read once per process and brought up to date (packs written
    since) when a hash is not found: a store rebuilt or a rerun looks up thousands of hashes. Held as one sorted
    array (56 bytes a copy: a province's 450,000 copies in 25 MB, read in well under a second), not a dictionary of
    objects (130 MB and 8 s)."""

    def __init__(self, folder: str):
        self.folder = folder
        self.lock = threading.Lock()
        self._forget()

    def _forget(self) -> None:
        """No pack read yet."""
        self.read: set[str] = set()
        self.packs: list[str] = []
        self.entries = np.zeros(0, dtype=ENTRY)
        self.pack_of = np.zeros(0, dtype=np.int32)
        self.keys = np.zeros(0, dtype=np.uint64)

    def find(self, sha256: str) -> Member | None:
        """Where a copy of these bytes is kept, or None."""
        digest = bytes.fromhex(sha256)
        with self.lock:
            found = self._look_up(digest)
            if found is None and self._read_new_packs():
                found = self._look_up(digest)
            if found is not None and not os.path.exists(found.pack):  # a pack removed by hand: read them all again
                self._forget()
                self._read_new_packs()
                found = self._look_up(digest)
            return found

    def _look_up(self, digest: bytes) -> Member | None:
        """The entry of these bytes among those read, or None."""
        key = np.uint64(int.from_bytes(digest[:8], "big"))
        at = int(np.searchsorted(self.keys, key))
        while at < len(self.keys) and self.keys[at] == key:
            entry = self.entries[at]
            if entry["rest"].tobytes() == digest[8:]:
                return Member(self.packs[self.pack_of[at]], int(entry["offset"]), int(entry["length"]),
                              int(entry["size"]))
            at += 1
        return None

    def _read_new_packs(self) -> bool:
        """Read the index of every pack not read yet; whether there was one."""
        try:
            names = sorted({entry.name for entry in os.scandir(self.folder) if entry.name.endswith(PACK_SUFFIX)}
                           - self.read)
        except OSError:
            return False
        if not names:
            return False
        entries, pack_of = [self.entries], [self.pack_of]
        for name in names:
            self.read.add(name)
            found = index_block(os.path.join(self.folder, name))
            if found is None:
                continue
            block = np.frombuffer(found[0], dtype=ENTRY)
            block = block[block["offset"] + block["length"] <= found[1]]
            entries.append(block)
            pack_of.append(np.full(len(block), len(self.packs), dtype=np.int32))
            self.packs.append(os.path.join(self.folder, name))
        merged, owners = np.concatenate(entries), np.concatenate(pack_of)
        order = np.argsort(merged["key"], kind="stable")
        self.entries, self.pack_of = merged[order], owners[order]
        self.keys = self.entries["key"].astype(np.uint64)
        return True


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
