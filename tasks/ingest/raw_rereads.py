"""Known files read again from the raw store, which keeps every file's bytes: a store rebuilt replays the logged
versions the inbox no longer holds, and a run reads again the files a changed reference list or read limits
concern, and a rerun the files of its scope, even when the office has cleared them from the inbox (moved to an
archive once loaded). Each comes under the path it was found at, so a re-read keeps the file's identity and
delivery order: it is no delivery."""
from __future__ import annotations

import os
from collections.abc import Collection, Iterable
from pathlib import Path

import duckdb
import polars as pl

from core import db
from tasks.ingest.discover import Delivery
from tasks.ingest.raw_store import kept_copy
from tasks.ingest.scope import Scope


def kept_delivery(raw_store: Path, rel_path: str, sha256: str, file_name: str) -> Delivery | None:
    """A known file as a Delivery of its raw store copy (found at rel_path), or None when the store holds no copy
    (a file refused unread for its size was never kept)."""
    copy = kept_copy(raw_store, sha256)
    if copy is None:
        return None
    try:
        mtime_ns = os.stat(copy.path).st_mtime_ns
    except OSError:  # a pack removed since its index was read
        return None
    return Delivery(copy.path, rel_path, file_name, copy.size, mtime_ns, sha256, packed=copy.packed,
                    member=copy.member)


def archived_rereads(con: duckdb.DuckDBPyConnection, names: Collection[str], inbox: Iterable[Delivery],
                     raw_store: Path, settled: pl.DataFrame | None = None) -> tuple[list[Delivery], list[str]]:
    """Every known version (hash × name) of the returns and department files of these names that the inbox no
    longer holds (inbox: its deliveries; settled: its paths settled without one, sha256 and file_name), as read
    back from the raw store; and the paths of those the raw store holds no copy of (to be said: not read again)."""
    if not names:  # every night but those after a change: the settled paths (462,000 at province) left unlooked at
        return [], []
    also_present = set() if settled is None else set(
        settled.filter(pl.col("file_name").is_in(list(names))).select("sha256", "file_name").iter_rows())
    con.register("reread_names", pl.DataFrame({"file_name": sorted(names)}, schema={"file_name": pl.Utf8}))
    try:
        versions = db.rows(con, "load/reread_versions")
    finally:
        con.unregister("reread_names")
    present = {(d.sha256, d.file_name) for d in inbox} | also_present
    found: dict[tuple[str, str], Delivery] = {}
    missing = []
    for rel_path, sha256, file_name in versions:
        key = (sha256, file_name)
        if key in present or key in found:
            continue
        if (kept := kept_delivery(raw_store, rel_path, *key)) is None:
            missing.append(rel_path)
        else:
            found[key] = kept
    return list(found.values()), missing


def scope_names(con: duckdb.DuckDBPyConnection, scope: Scope) -> set[str]:
    """The names of the known returns and department files a rerun's scope covers (none for a nightly run)."""
    if not scope.is_rerun:
        return set()
    names = db.rows(con, "load/scope_file_names", {"prefix": scope.village or scope.county,
                                                    "departments": bool(scope.department)})
    return {name for (name,) in names if scope.covers(name) or scope.covers_department(name)}
