"""An append-only log of numbered lines (JSON, one a line) kept in the raw store beside the store's tables, written
before the store commits them. Two kinds of marker line settle what a writer left: {"committed": N}, appended after
each commit (and before a writer's first append, for what its store holds), says the entries written since the
previous such marker are committed up to id N (those above N never were); {"void_after": N}, appended by the next
writer when a writer was killed or failed between its log and its commit, drops every earlier line above id N. An
entry no commit marker follows stands only in a log holding no commit marker at all, one written before markers
were kept (a writer appends one before its first line, so its lines always follow one). So a store rebuilt
(database deleted, raw store kept) before the next writer ran reads back no line of a writer killed before its
commit. The delivery log (tasks/ingest/deliveries.py) and the case ledger's log (tasks/cases/event_log.py) are two
of them; one store writes both (tasks/ingest/log_writer.py)."""
from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

VOID = "void_after"
COMMITTED = "committed"
MARKERS = (VOID, COMMITTED)

# a line as an entry (a dict holding its id under the log's id key) or a marker ({VOID: N}, {COMMITTED: N}); None: a
# line cut short
Parse = Callable[[dict], dict]


def entry(line: str, parse: Parse) -> dict | None:
    """A line of a log as a marker or, through parse, an entry; None for a line cut short by a crash (or not one)."""
    try:
        found = json.loads(line)
        for marker in MARKERS:
            if marker in found:
                return {marker: int(found[marker])}
        return parse(found)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def line_id(found: dict, id_key: str) -> int:
    """An entry's id, or a marker's N."""
    return next((found[marker] for marker in MARKERS if marker in found), None) if id_key not in found else found[id_key]


def read_standing(path: Path, parse: Parse, id_key: str) -> list[dict]:
    """Every entry of the log in its order that a commit marker after it covers (any not voided, in a log from before
    commit markers), but those a later void marker dropped and a line cut short."""
    if not Path(path).exists():
        return []
    # lines end at \n only: a name may hold U+2028 or \x85 (written raw), which splitlines() breaks on
    found = [f for f in (entry(line, parse) for line in Path(path).read_text(encoding="utf-8").split("\n")) if f]
    voided, floor = set(), None  # read from the end: a line stands only up to the lowest N of the void markers after it
    for index in range(len(found) - 1, -1, -1):
        if VOID in found[index]:
            floor = found[index][VOID] if floor is None else min(floor, found[index][VOID])
        elif COMMITTED not in found[index] and floor is not None and found[index][id_key] > floor:
            voided.add(index)
    marked = any(COMMITTED in f for f in found)
    records, pending = [], []
    for index, item in enumerate(found):
        if COMMITTED in item:
            records += [p for p in pending if p[id_key] <= item[COMMITTED]]
            pending = []
        elif VOID not in item and index not in voided:
            pending.append(item)
    return records + ([] if marked else pending)


def last_line(path: Path, parse: Parse) -> dict | None:
    """The log's last whole line (an entry or a marker), None without one."""
    path = Path(path)
    if not path.exists():
        return None
    with open(path, "rb") as handle:
        handle.seek(max(0, path.stat().st_size - (1 << 16)))
        found = _last_whole(handle.read().decode("utf-8", "replace").split("\n"), parse)
    if found is None:  # no whole line in the tail: one longer than 64 KiB
        found = _last_whole(path.read_text(encoding="utf-8", errors="replace").split("\n"), parse)
    return found


def _last_whole(lines: list[str], parse: Parse) -> dict | None:
    """The last whole line of these, None when none is whole."""
    return next(filter(None, (entry(line, parse) for line in reversed(lines))), None)


def last_logged_id(path: Path, parse: Parse, id_key: str) -> int:
    """The id the log's next entry comes after (0 without a log): that of its last whole line, a marker's N."""
    found = last_line(path, parse)
    return 0 if found is None else line_id(found, id_key)


def settle(path: Path, parse: Parse, id_key: str, committed: int) -> None:
    """Bring the log in line with its store, which holds the entries up to id `committed`: void the lines above it
    (a writer of the store killed or failed before its commit) and mark those up to it committed, unless the log
    ends so already (nothing written for a store holding nothing and no log)."""
    found = last_line(path, parse)
    if found == {COMMITTED: committed} or (found is None and committed == 0):
        return
    void = found is not None and line_id(found, id_key) > committed
    append(path, (json.dumps({VOID: committed}) + "\n" if void else "") + json.dumps({COMMITTED: committed}) + "\n")


def append_entries(path: Path, lines: str | bytes) -> None:
    """Append a writer's entries (settle first): a log new then opens with a commit marker of nothing, so that its
    lines are known as those of a writer keeping markers, which a killed one's are not read back without."""
    opening = json.dumps({COMMITTED: 0}) + "\n" if not Path(path).exists() or Path(path).stat().st_size == 0 else ""
    append(path, opening, lines)


def void_after(path: Path, committed: int) -> None:
    """Void every line above id `committed` written so far (those the store never committed)."""
    append(path, json.dumps({VOID: committed}) + "\n")


def append(path: Path, *lines: str | bytes) -> None:
    """Append whole lines to the log (text, or UTF-8 bytes: a frame's lines as Polars wrote them, not copied into
    one string) and flush them to disk."""
    path = Path(path)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "a+b") as handle:
        if handle.seek(0, os.SEEK_END):
            handle.seek(-1, os.SEEK_END)
            if handle.read(1) != b"\n":  # a line a crash cut short: glued to it, the new line would be lost too
                handle.write(b"\n")
        for part in lines:
            handle.write(part.encode("utf-8") if isinstance(part, str) else part)
        handle.flush()
        os.fsync(handle.fileno())
