"""Writing a file so that no reader ever sees half of it."""
from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_path(path: Path, scratch: Path | None = None) -> Iterator[Path]:
    """A temporary name beside path (or in the folder `scratch`, on the same file system) for the block to write;
    renamed onto path when the block succeeds, removed when it fails. The name carries the process id, so
    processes writing the same file never share it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = (Path(scratch) if scratch else path.parent) / f"{path.name}.part{os.getpid()}"
    try:
        yield partial
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


PARTIAL = re.compile(r"\.part([0-9]+)$")


def sweep_partials(folder: Path) -> int:
    """Remove the temporary files atomic_path left under a folder when the process writing them was killed (kill -9
    skips its clean-up, and the name's pid is never used again); a live process's are left alone. Returns how
    many went."""
    removed = 0
    for path in Path(folder).rglob("*.part*"):
        found = PARTIAL.search(path.name)
        if not found or not path.is_file() or _is_alive(int(found.group(1))):
            continue
        path.unlink(missing_ok=True)
        removed += 1
    return removed


def _is_alive(pid: int) -> bool:
    """Whether a process with this id exists (this one included)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):  # another user's: alive; an impossible id: not ours
        return True
    return True


def write_text_atomically(path: Path, text: str) -> Path:
    """Write a UTF-8 text file atomically."""
    with atomic_path(path) as partial:
        partial.write_text(text, encoding="utf-8")
    return Path(path)


def write_bytes_atomically(path: Path, data: bytes, scratch: Path | None = None) -> Path:
    """Write a file's bytes atomically (the temporary file in `scratch`, when given: atomic_path)."""
    with atomic_path(path, scratch) as partial:
        partial.write_bytes(data)
    return Path(path)


def modified_since(folder: Path, stamp: Path) -> bool:
    """Whether a folder under `folder` (itself included) changed after the file `stamp` was last written, or `stamp`
    is missing: a cheap guess (folders only, ~40 ms for 51,000 files) that files arrived since. A file overwritten
    in place changes no folder's time and is not seen; a missing folder has nothing new."""
    try:
        since = os.stat(stamp).st_mtime_ns
    except OSError:
        return True
    waiting = [str(folder)]
    while waiting:
        path = waiting.pop()
        try:
            if os.stat(path).st_mtime_ns > since:
                return True
            with os.scandir(path) as entries:
                waiting.extend(entry.path for entry in entries if entry.is_dir(follow_symlinks=False))
        except OSError:  # gone or unreadable meanwhile: discover reports what it cannot list
            continue
    return False
