"""The report templates' compiled code kept between processes (Jinja2's bytecode cache): a run compiled its 21
templates again each time (0.1–0.2 s of every `povmon run`; a `povmon serve` spare compiles them while it waits).

Jinja keys a cached template by its name and checks its source, not the environment that compiled it: the files'
names here carry a digest of the Jinja and Python versions and of the code that builds the environment
(tasks/report/pages.py), so a template compiled under other options is never loaded. The folder is Jinja's own
per-user temporary folder (created 0700 and checked to be this user's, as code is loaded from it). Without a usable
folder, or when a write fails, templates are compiled as before: the cache never stops a page."""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket, FileSystemBytecodeCache


class QuietBytecodeCache(FileSystemBytecodeCache):
    """Jinja's file cache whose writes may fail (a full or read-only disk) without failing the render."""

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Write the compiled template, or leave it uncached."""
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass

    def load_bytecode(self, bucket: Bucket) -> None:
        """Read the compiled template, or leave it to be compiled."""
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 (a truncated or garbled file: compiled again and written over)
            bucket.reset()


def options_digest(environment_code: Path) -> str:
    """What a compiled template depends on besides its source: the Jinja and Python versions, and the code that
    builds the environment (its options)."""
    digest = hashlib.sha256(f"{jinja2.__version__}\0{sys.version}\0".encode())
    digest.update(environment_code.read_bytes())
    return digest.hexdigest()[:16]


def template_cache(environment_code: Path, directory: str | Path | None = None) -> FileSystemBytecodeCache | None:
    """The bytecode cache for an environment built by environment_code, in directory (default: Jinja's per-user
    temporary folder); None when there is no usable folder."""
    try:
        if directory is not None:
            Path(directory).mkdir(mode=0o700, parents=True, exist_ok=True)
        return QuietBytecodeCache(None if directory is None else str(directory),
                                  f"povmon-{options_digest(environment_code)}-%s.cache")
    except (OSError, RuntimeError):  # Jinja refuses a folder another user owns or that cannot be made
        return None
