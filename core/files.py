"""Writing a file so that no reader ever sees half of it."""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary name beside path for the block to write; renamed onto path when the block succeeds, removed
    when it fails. The name carries the process id, so processes writing the same file never share it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.part{os.getpid()}")
    try:
        yield partial
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def write_text_atomically(path: Path, text: str) -> Path:
    """Write a UTF-8 text file atomically."""
    with atomic_path(path) as partial:
        partial.write_text(text, encoding="utf-8")
    return Path(path)


def write_bytes_atomically(path: Path, data: bytes) -> Path:
    """Write a file's bytes atomically."""
    with atomic_path(path) as partial:
        partial.write_bytes(data)
    return Path(path)
