"""An append-only log of numbered lines (JSON, one a line) kept in the raw store beside the store's tables, written
before the store commits them: lines of a writer killed or failed in between are voided by a marker line
{"void_after": N}, which drops every earlier line above id N. The delivery log (tasks/ingest/deliveries.py) and the
case ledger's log (tasks/cases/event_log.py) are two of them; one store writes both (tasks/ingest/log_writer.py)."""
from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

VOID = "void_after"

# a line as an entry (a dict holding its id under the log's id key) or a marker ({VOID: N}); None: a line cut short
Parse = Callable[[dict], dict]


def entry(line: str, parse: Parse) -> dict | None:
    """A line of a log as a marker or, through parse, an entry; None for a line cut short by a crash (or not one)."""
    try:
        found = json.loads(line)
        return {VOID: int(found[VOID])} if VOID in found else parse(found)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def read_standing(path: Path, parse: Parse, id_key: str) -> list[dict]:
    """Every entry of the log in its order, but those a later marker voided (never committed) and a line cut short."""
    records = []
    if Path(path).exists():
        floor = None  # read from the end: a line stands only with an id up to the lowest N of the markers after it
        # lines end at \n only: a name may hold U+2028 or \x85 (written raw), which splitlines() breaks on
        for found in (entry(line, parse) for line in reversed(Path(path).read_text(encoding="utf-8").split("\n"))):
            if found is None:
                continue
            if VOID in found:
                floor = found[VOID] if floor is None else min(floor, found[VOID])
            elif floor is None or found[id_key] <= floor:
                records.append(found)
        records.reverse()
    return records


def last_logged_id(path: Path, parse: Parse, id_key: str) -> int:
    """The id the log's next entry comes after (0 without a log): that of its last whole line, a marker's N."""
    path = Path(path)
    if not path.exists():
        return 0
    with open(path, "rb") as handle:
        handle.seek(max(0, path.stat().st_size - (1 << 16)))
        found = _last_id(handle.read().decode("utf-8", "replace").split("\n"), parse, id_key)
    if found is None:  # no whole line in the tail: one longer than 64 KiB
        found = _last_id(path.read_text(encoding="utf-8", errors="replace").split("\n"), parse, id_key)
    return found or 0


def _last_id(lines: list[str], parse: Parse, id_key: str) -> int | None:
    """The id of the last whole line (a marker's N), None when none is whole."""
    for found in filter(None, (entry(line, parse) for line in reversed(lines))):
        return found[VOID] if VOID in found else found[id_key]
    return None


def void_after(path: Path, committed: int) -> None:
    """Void every line above id `committed` written so far (those the store never committed)."""
    append(path, json.dumps({VOID: committed}) + "\n")


def append(path: Path, lines: str) -> None:
    """Append whole lines to the log and flush them to disk."""
    path = Path(path)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "a+b") as handle:
        if handle.seek(0, os.SEEK_END):
            handle.seek(-1, os.SEEK_END)
            if handle.read(1) != b"\n":  # a line a crash cut short: glued to it, the new line would be lost too
                lines = "\n" + lines
        handle.write(lines.encode("utf-8"))
        handle.flush()
        os.fsync(handle.fileno())
