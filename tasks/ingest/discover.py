"""Discover: list the inbox, recognise village-return names, hash what is new, keep raw bytes by hash."""
from __future__ import annotations

import hashlib
import os
import re
import stat
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from tasks.ingest.limits import DEFAULT_LIMITS, LimitExceeded, ReadLimits

# ASCII digits only ([0-9], not \d: a full-width or Arabic-Indic digit is a digit to Python but not to the contract)
NAME_PATTERN = re.compile(r"^(?P<village>[0-9]{12})_(?P<period>[0-9]{6})(?P<mark>_v(?P<v>[0-9]+)|_更正)?\.(?P<ext>csv|xlsx)$",
                          re.I | re.ASCII)
MAX_CORRECTION_RANK = 99


class ReturnName(NamedTuple):
    """What a file name says: village, period (YYYYMM), correction rank and format; or why it is unusable (a
    tuple: made for every name a run lists and plans, 462,000 at province, it costs less than a frozen dataclass)."""

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
    refused: str | None = None  # why the path is not read at all (a link, not a regular file, too big)
    packed: bool = False  # read back from the raw store's gzip copy (a store rebuilt): bytes to unpack
    member: tuple[int, int] | None = None  # that copy a member of a pack (full_path): its offset and length
    unchanged: bool = False  # its path, size and mtime were known: its hash is the one recorded, not read again

    @property
    def from_raw_store(self) -> bool:
        """Whether these bytes are read back from a raw store copy, gzip or a pack member (kept already; a plain copy
        of an older store is found as kept when keeping)."""
        return self.packed or self.member is not None

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
    digits = (match["v"] or "").lstrip("0") or "0"
    rank = (int(digits) if len(digits) <= 3 else 1000) if match["v"] else (2 if match["mark"] else 1)
    if match["v"] and not 1 <= rank <= MAX_CORRECTION_RANK:
        return ReturnName(None, None, None, None, f"更正版本号无效(应为_v1至_v{MAX_CORRECTION_RANK}): {match['mark'][:20]}")
    return ReturnName(match["village"], period, rank, match["ext"].lower())


def open_regular(path: str | Path) -> int:
    """A read-only descriptor on a regular file, never following a link nor blocking on a pipe or device
    (checked on the open file: the path may have been swapped since it was listed)."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError(f"not a regular file: {path}")
    return fd


def read_bounded(path: str | Path, limits: ReadLimits, sink=None) -> bytes | None:
    """A regular file's bytes (or, with a sink, each block given to it), within the size and time limits."""
    deadline, size, blocks = limits.deadline(), 0, []
    fd = open_regular(path)
    try:  # the descriptor read as it is: a buffered file object around it cost more than a return's read
        while block := os.read(fd, 1 << 20):
            size += len(block)
            if size > limits.max_file_bytes:
                raise LimitExceeded(f"文件超过{limits.max_file_bytes}字节(设置 ingest.max_file_bytes)")
            deadline.check("读取文件")
            if sink is None:
                blocks.append(block)
            else:
                sink(block)
    finally:
        os.close(fd)
    return None if sink is not None else b"".join(blocks)


def sha256_of(path: str | Path, limits: ReadLimits = DEFAULT_LIMITS) -> str:
    """Hex SHA-256 of a regular file's bytes."""
    digest = hashlib.sha256()
    read_bounded(path, limits, digest.update)
    return digest.hexdigest()


def refusal(entry: os.stat_result, limits: ReadLimits) -> str | None:
    """Why a path (by its lstat) is not read at all, or None for a regular file within the size limit."""
    mode = entry.st_mode
    if stat.S_ISLNK(mode):
        return "是符号链接：只读取收件箱内的普通文件，不跟随链接"
    if not stat.S_ISREG(mode):
        kind = "命名管道" if stat.S_ISFIFO(mode) else "设备文件" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else \
            "套接字" if stat.S_ISSOCK(mode) else "特殊文件"
        return f"不是普通文件({kind})，不读取"
    if entry.st_size > limits.max_file_bytes:
        return f"文件大小{entry.st_size}字节，超过上限{limits.max_file_bytes}字节(设置 ingest.max_file_bytes)，不读取"
    return None


def refused_digest(rel: str, entry: os.stat_result, why: str) -> str:
    """A stable stand-in for the hash of a path that is never read (its bytes are not ours to keep)."""
    marker = f"{rel}\0{entry.st_size}\0{entry.st_mtime_ns}\0{why}".encode("utf-8", "surrogateescape")
    return "refused-" + hashlib.sha256(marker).hexdigest()


def as_text(name: str) -> str:
    """A file name as text the store can hold (path_text), in NFC: a name is the same name however an OS composed
    its characters."""
    if name.isascii():
        return name
    return unicodedata.normalize("NFC", path_text(name))


def path_text(path: str) -> str:
    """A path as text the store can hold: bytes that are not UTF-8 (kept by the OS as surrogates) written as \\xNN,
    so that no file name can make a load fail. The text is the path's key in the store: two paths must not share
    one (as U+FFFD, folders named 五月 and 六月 in GBK were one path, and the versions in them took turns being
    current night after night; in NFC, folders named café composed and decomposed were one too)."""
    if path.isascii():
        return path
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def walk_files(root: str, prefix: str = "") -> list[tuple[str, str, str]]:
    """(full path, path relative to root with '/', name) of every entry below root that is not a folder, in the
    order of a depth-first walk; a linked folder is listed as an entry (to be refused), never entered."""
    found = []
    # a stack of folders being listed, not recursion: any depth of sub-folders is a layout the spec allows, and
    # ~1,000 nested folders went past Python's recursion limit in every run after them
    stack = [(_listing(root), prefix)]
    while stack:
        entries, above = stack[-1]
        for entry in entries:
            rel = above + entry.name
            try:
                is_folder = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_folder = False
            if is_folder:
                stack.append((_listing(entry.path), rel + "/"))
                break
            found.append((entry.path, rel, entry.name))
        else:
            stack.pop()
    return found


def _listing(folder: str) -> Iterator[os.DirEntry]:
    """The entries of a folder, read at once (no folder is held open), or none when it cannot be listed."""
    try:
        return iter(list(os.scandir(folder)))
    except OSError:
        return iter(())
