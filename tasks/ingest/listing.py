"""The inbox listed in two parts: the paths whose size and time are those on record, as one frame (their hash is
the one recorded: not read again), and every other path as a Delivery, hashed. A province's inbox holds 462,000
paths, all but a month's unchanged, and a Python object and a dictionary lookup per path cost more than listing
it (discover took ~10 s a run there, ~4 s of it such objects)."""
from __future__ import annotations

import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import duckdb
import polars as pl

from core import db, progress
from tasks.ingest.discover import Delivery, LimitExceeded, parse_return_name, refusal, refused_digest, sha256_of
from tasks.ingest.department_names import is_department_file
from tasks.ingest.inbox_scan import Scan, scan_inbox
from tasks.ingest.limits import DEFAULT_LIMITS, ReadLimits

KNOWN_SCHEMA = {"path": pl.Utf8, "size_bytes": pl.Int64, "mtime_ns": pl.Int64, "sha256": pl.Utf8}
UNCHANGED_SCHEMA = {"slot": pl.Int64, "path": pl.Utf8, "file_name": pl.Utf8, "size_bytes": pl.Int64,
                    "mtime_ns": pl.Int64, "sha256": pl.Utf8}


@dataclass
class Listing:
    """An inbox listed: deliveries (the paths new or changed since recorded, hashed, and those refused, by path),
    arriving (left for the next run, in the order found), unchanged (UNCHANGED_SCHEMA, by path: regular files
    within the size limit whose path, size and mtime are on record, with the recorded hash) and, by slot, the
    OS's own text of every listed path (not always UTF-8, so not a frame's column)."""

    deliveries: list[Delivery]
    arriving: list[str]
    unchanged: pl.DataFrame
    full_paths: list[str]

    def unchanged_deliveries(self, rows: pl.DataFrame | None = None) -> list[Delivery]:
        """Unchanged paths (all, or these rows of unchanged) as Deliveries."""
        rows = self.unchanged if rows is None else rows
        return [Delivery(self.full_paths[slot], path, name, size, mtime, sha256, unchanged=True)
                for slot, path, name, size, mtime, sha256 in rows.select(list(UNCHANGED_SCHEMA)).iter_rows()]

    def as_deliveries(self) -> list[Delivery]:
        """Every path as a Delivery (the unchanged ones too), by path."""
        return sorted(self.deliveries + self.unchanged_deliveries(), key=lambda d: d.rel_path)


def list_inbox_frame(inbox: Path, known: pl.DataFrame, settle_seconds: float, now: float | None = None,
                     limits: ReadLimits = DEFAULT_LIMITS, scan: Scan | None = None) -> Listing:
    """Every path under the inbox but those still being written; known: the recorded paths (KNOWN_SCHEMA); scan:
    the inbox walked already (inbox_scan: a run's scan taken ahead), else it is walked here. A file changed within
    `settle_seconds`, or one that cannot be read now, is left for the next run, not read half-written. A file
    dated more than `settle_seconds` in the future (a clock set wrong, times kept by a copy) is read: a write in
    progress is dated now. A link, a pipe, a device or a file over the size limit is a delivery with its refusal,
    never opened."""
    scan = scan_inbox(inbox, settle_seconds, now) if scan is None else scan
    progress.expect(scan.listed, "paths")
    progress.advance(scan.listed)
    arriving = list(scan.arriving)
    order, fulls, raw_rels, rels, names = scan.order, scan.fulls, scan.raw_rels, scan.rels, scan.names
    sizes, mtimes, modes = scan.sizes, scan.mtimes, scan.modes
    listed = pl.DataFrame({"slot": range(len(rels)), "path": rels, "file_name": names, "size_bytes": sizes,
                           "mtime_ns": mtimes, "mode": modes},
                          schema={**{k: v for k, v in UNCHANGED_SCHEMA.items() if k != "sha256"}, "mode": pl.Int64})
    known = known.select(pl.col("path"), pl.col("size_bytes").alias("known_size"),
                         pl.col("mtime_ns").alias("known_mtime"), pl.col("sha256"))
    matched = listed.join(known, on="path", how="left").with_columns(
        (pl.col("sha256").is_not_null() & (pl.col("size_bytes") == pl.col("known_size"))
         & (pl.col("mtime_ns") == pl.col("known_mtime"))
         & ((pl.col("mode") & 0o170000) == stat.S_IFREG)  # a regular file within the size limit
         & (pl.col("size_bytes") <= limits.max_file_bytes)).fill_null(False).alias("same"))
    unchanged = matched.filter("same").select(list(UNCHANGED_SCHEMA)).sort("path")
    deliveries = []
    for slot, size, mtime, mode in matched.filter(~pl.col("same")).select(
            "slot", "size_bytes", "mtime_ns", "mode").iter_rows():
        entry = SimpleNamespace(st_mode=mode, st_size=size, st_mtime_ns=mtime)
        delivery = hashed(fulls[slot], raw_rels[slot], rels[slot], names[slot], entry, limits)
        if delivery is None:
            arriving.append((order[slot], raw_rels[slot]))
        else:
            deliveries.append(delivery)
    deliveries.sort(key=lambda d: d.rel_path)
    return Listing(deliveries, [rel for _, rel in sorted(arriving)], unchanged, fulls)


def list_inbox(inbox: Path, known: dict[str, tuple[int, int, str]], settle_seconds: float,
               now: float | None = None, limits: ReadLimits = DEFAULT_LIMITS) -> tuple[list[Delivery], list[str]]:
    """list_inbox_frame with the recorded paths as {path: (size, mtime_ns, sha256)}: (every path as a Delivery by
    path, those still arriving)."""
    frame = pl.DataFrame([(path, *seen) for path, seen in known.items()], schema=KNOWN_SCHEMA, orient="row")
    listing = list_inbox_frame(inbox, frame, settle_seconds, now, limits)
    return listing.as_deliveries(), listing.arriving


def hashed(full: str, raw_rel: str, rel: str, name: str, entry: SimpleNamespace,
           limits: ReadLimits) -> Delivery | None:
    """A path new or changed since recorded (entry: its lstat's mode, size and mtime; raw_rel: the relative path
    as the OS gave it, rel: as text) as a Delivery with its hash, or its refusal; None when it cannot be read now
    (locked, vanished or swapped for a link: looked at again next run)."""
    why = refusal(entry, limits)
    try:
        digest = refused_digest(raw_rel, entry, why) if why else sha256_of(full, limits)
    except LimitExceeded as err:
        why, digest = str(err), refused_digest(raw_rel, entry, str(err))
    except OSError:
        return None
    return Delivery(full, rel, name, entry.st_size, entry.st_mtime_ns, digest, why)


def settled_paths(con: duckdb.DuckDBPyConnection, unchanged: pl.DataFrame, reread: Callable[[str], bool] | None,
                  ) -> pl.DataFrame:
    """The unchanged paths (path, file_name, sha256) a run has nothing to do with: a known village return's bytes
    that the path's latest delivery holds (load/settled_paths), not named as a department file (those are
    planned apart) nor one `reread` selects (None: a run that re-reads none)."""
    con.register("unchanged_paths", unchanged.select("path", "file_name", "sha256"))
    try:
        settled = db.frame(con, "load/settled_paths")
    finally:
        con.unregister("unchanged_paths")
    # is_department_file's own first test, for the whole column: a name that is ASCII and starts with a digit is not
    plain = settled["file_name"].str.contains(r"^[0-9][\x00-\x7f]*$")
    keep = [is_plain or not is_department_file(name) for is_plain, name in zip(plain, settled["file_name"])]
    if reread is not None:
        keep = [kept and not reread(name) for kept, name in zip(keep, settled["file_name"])]
    return settled.filter(pl.Series(keep, dtype=pl.Boolean))


def known_files(con: duckdb.DuckDBPyConnection, deliveries: list[Delivery], status: str | None = None
                ) -> dict[tuple[str, str], tuple]:
    """{(sha256, file_name): (file_id, ingest_run_id, ingested_at)} of the known files whose hash is one of these
    deliveries' (every name a hash came under, for batch.plan_reads), of that status only when given."""
    con.register("listed_hashes", pl.DataFrame({"sha256": sorted({d.sha256 for d in deliveries})}, schema={"sha256": pl.Utf8}))
    try:
        return {(sha, name): (fid, rid, at)
                for sha, name, fid, rid, at in db.rows(con, "load/known_files", {"status": status})}
    finally:
        con.unregister("listed_hashes")


def echoed_names(con: duckdb.DuckDBPyConnection, deliveries: list[Delivery]) -> set[str]:
    """The names of known returns whose bytes came again under another village's or month's name in these
    deliveries: read again, so FILE_SAME_BYTES names both files whichever came first (as a night with both would)."""
    fresh = [d for d in deliveries if not d.unchanged and not is_department_file(d.file_name)]
    if not fresh:
        return set()
    # a rejected copy is left: read again it is rejected again and says nothing of its twins (FILE_SAME_BYTES is a
    # loaded file's warning); an empty or broken file that many villages sent would otherwise be read again, every
    # copy of every month, each time another came
    known = known_files(con, fresh, status="loaded")
    known_hashes = {sha256 for sha256, _ in known}  # most nights none: a new month's returns are new bytes
    claims: dict[str, set[tuple[str, str]]] = {}
    for delivery in fresh:
        if delivery.sha256 in known_hashes:
            name = parse_return_name(delivery.file_name)
            if name.village_code:  # an unusable name claims nothing: no FILE_SAME_BYTES names it
                claims.setdefault(delivery.sha256, set()).add((name.village_code, name.period))
    echoed = set()
    for sha256, file_name in known:
        name = parse_return_name(file_name)
        if name.village_code and claims.get(sha256, set()) - {(name.village_code, name.period)}:
            echoed.add(file_name)
    return echoed


def latest_deliveries(con: duckdb.DuckDBPyConnection, deliveries: list[Delivery]) -> dict[str, str]:
    """{path: sha256} of what each of these deliveries' paths last held, for those on record."""
    con.register("listed_paths", pl.DataFrame({"path": [d.rel_path for d in deliveries]}, schema={"path": pl.Utf8}))
    try:
        return dict(db.rows(con, "load/latest_deliveries"))
    finally:
        con.unregister("listed_paths")
