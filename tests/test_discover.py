"""Recognising return names, hashing only what is new, and keeping raw files by hash."""
from __future__ import annotations

import dataclasses
import gzip
import hashlib
import os
import shutil
import stat
import time
from datetime import datetime

import pytest

from tasks.ingest.discover import parse_return_name, walk_files
from tasks.ingest.limits import DEFAULT_LIMITS
from tasks.ingest.listing import list_inbox
from tasks.ingest.raw_store import keep_raw
from tests.support.raw_copies import kept_copies


@pytest.mark.parametrize("name, village, period, rank, ext", [
    ("430521001001_202003.csv", "430521001001", "202003", 1, "csv"),
    ("430521001001_202003.XLSX", "430521001001", "202003", 1, "xlsx"),
    ("430521001001_202003_更正.csv", "430521001001", "202003", 2, "csv"),
    ("430521001001_202003_v2.xlsx", "430521001001", "202003", 2, "xlsx"),
    ("430521001001_202003_v7.csv", "430521001001", "202003", 7, "csv"),
])
def test_good_names(name, village, period, rank, ext):
    parsed = parse_return_name(name)
    assert (parsed.village_code, parsed.period, parsed.correction_rank, parsed.extension) == (village, period, rank, ext)
    assert parsed.invalid_reason is None


@pytest.mark.parametrize("name", [
    "430521001001_2020-03.csv", "村报表.xlsx", "4305210010_202003.csv", "430521001001_202013.csv",
    "430521001001_202003.xls", "430521001001_202003_v2_更正.csv", "430521001001_202003.csv.bak", "readme.txt",
])
def test_unusable_names_get_a_reason(name):
    parsed = parse_return_name(name)
    assert parsed.village_code is None and parsed.invalid_reason


def test_unchanged_paths_are_not_hashed_again_and_arriving_files_wait(tmp_path):
    inbox = tmp_path / "inbox"
    (inbox / "a").mkdir(parents=True)
    settled, fresh = inbox / "a" / "430521001001_202003.csv", inbox / "430521001002_202003.csv"
    settled.write_bytes(b"one")
    fresh.write_bytes(b"two")
    old = time.time() - 3600
    os.utime(settled, (old, old))
    deliveries, arriving = list_inbox(inbox, {}, settle_seconds=60)
    assert [d.rel_path for d in deliveries] == ["a/430521001001_202003.csv"]
    assert arriving == ["430521001002_202003.csv"]
    stat = settled.stat()
    known = {"a/430521001001_202003.csv": (stat.st_size, stat.st_mtime_ns, "remembered")}
    again, _ = list_inbox(inbox, known, settle_seconds=60)
    assert again[0].sha256 == "remembered"  # same size and mtime: not read again
    assert again[0].unchanged and not deliveries[0].unchanged  # the run rewrites only the paths not unchanged
    os.utime(settled, (old + 1, old + 1))
    touched, _ = list_inbox(inbox, known, settle_seconds=60)
    assert touched[0].sha256 == hashlib.sha256(b"one").hexdigest() and not touched[0].unchanged


def test_raw_bytes_are_kept_once_by_hash(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ("x_1.csv", "y_2.csv"):
        (inbox / name).write_bytes(b"same bytes")
    deliveries, _ = list_inbox(inbox, {}, settle_seconds=0)
    for delivery in deliveries:
        keep_raw(delivery.path.read_bytes(), delivery.sha256, tmp_path / "raw")
    assert kept_copies(tmp_path / "raw") == [(deliveries[0].sha256, b"same bytes")]


def test_a_store_rebuilt_reads_the_raw_copies_back_compressed_or_as_kept_before(tmp_path):
    """Versions no longer in the inbox are read back from the raw store: its packs, the gzip copy and the plain copy
    of a store kept before packs or before compression, each with its size as it came; a damaged copy (a pack's
    member, or a copy of its own cut short) is left unread (looked at again)."""
    import polars as pl

    from tasks.ingest.deliveries import SCHEMA, replayed
    from tasks.ingest.raw_packs import find_member
    from tasks.ingest.read import read_settled_bytes

    raw = tmp_path / "raw"
    versions = {"new.csv": b"kept compressed" * 50, "gz.csv": b"kept compressed alone" * 9,
                "old.csv": b"kept as it came", "bad.csv": b"to be damaged" * 9, "cut.csv": b"to be cut" * 9}
    digests = {name: hashlib.sha256(data).hexdigest() for name, data in versions.items()}
    for name in ("new.csv", "bad.csv"):
        keep_raw(versions[name], digests[name], raw)
    for name, data in (("gz.csv", gzip.compress(versions["gz.csv"])), ("cut.csv", gzip.compress(versions["cut.csv"])[:-9]),
                       ("old.csv", versions["old.csv"])):
        (raw / digests[name][:2]).mkdir(parents=True, exist_ok=True)
        (raw / digests[name][:2] / (digests[name] + (".gz" if name != "old.csv" else ""))).write_bytes(data)
    member = find_member(raw, digests["bad.csv"])
    with open(member.pack, "r+b") as pack:  # the member's last bytes (its checksum) overwritten
        pack.seek(member.offset + member.length - 8)
        pack.write(bytes(8))
    logged = pl.DataFrame({"delivery_id": list(range(1, 6)), "path": list(versions), "sha256": list(digests.values()),
                           "file_name": list(versions), "run_id": [1] * 5,
                           "delivered_at": [datetime(2020, 5, 1)] * 5, "mtime_ns": [None] * 5}, schema=SCHEMA)
    found = {d.file_name: d for d in replayed(logged, [], raw)}
    for name in ("new.csv", "gz.csv", "old.csv"):
        assert found[name].size_bytes == len(versions[name])
        assert read_settled_bytes(found[name]) == (versions[name], None)
    for name in ("bad.csv", "cut.csv"):
        data, why = read_settled_bytes(found[name])
        assert data is None and why.startswith("OSError"), name
    lowered = dataclasses.replace(DEFAULT_LIMITS, max_file_bytes=100)
    for name in ("new.csv", "gz.csv"):  # a copy larger than the file size limit is beyond it, as the file was
        assert read_settled_bytes(found[name], lowered)[1].startswith("LIMIT:"), name


def test_copies_read_in_one_chunk_are_kept_in_one_pack_each_once(tmp_path):
    """A chunk's copies are one file of the raw store, written when the chunk is done; bytes read twice (two
    names, or a file known already whose copy is kept) are kept once."""
    from tasks.ingest.raw_packs import PACKS
    from tasks.ingest.raw_store import RawKeeper, is_kept

    raw = tmp_path / "raw"
    files = [f"file {i}".encode() * 40 for i in range(30)]
    digests = [hashlib.sha256(data).hexdigest() for data in files]
    keeper = RawKeeper(raw)
    for data, sha in zip(files + files[:3], digests + digests[:3]):
        keeper.keep(data, sha)
    assert not any(is_kept(raw, sha) for sha in digests)  # nothing written before the chunk is done
    keeper.flush()
    assert len(list((raw / PACKS).iterdir())) == 1
    assert kept_copies(raw) == list(zip(digests, files))
    again = RawKeeper(raw)
    again.keep(files[0], digests[0], look_in_packs=True)
    again.flush()
    assert len(list((raw / PACKS).iterdir())) == 1
    shutil.rmtree(raw)  # the raw store removed in this process's lifetime: its folders are made again
    keep_raw(files[1], digests[1], raw)
    assert kept_copies(raw) == [(digests[1], files[1])]
    assert all(stat.S_IMODE(p.stat().st_mode) & 0o077 == 0 for p in [raw, *raw.rglob("*")])


def test_a_folder_nested_past_the_recursion_limit_is_walked(tmp_path):
    """Any sub-folder layout is the spec's: 1,100 nested folders once stopped every run with RecursionError."""
    inbox = tmp_path / "inbox"
    folders = [inbox.joinpath(*["d"] * depth) for depth in range(1, 1101)]
    inbox.mkdir()
    try:
        for folder in folders:  # one at a time: mkdir(parents=True) recurses too
            folder.mkdir()
        deep, shallow = folders[-1] / "430521001001_202003.csv", folders[0] / "430521001002_202003.csv"
        old = time.time() - 3600
        for path in (deep, shallow):
            path.write_bytes(path.name.encode())
            os.utime(path, (old, old))
        deliveries, _ = list_inbox(inbox, {}, settle_seconds=60)
        assert sorted(d.rel_path for d in deliveries) == ["d/430521001002_202003.csv",
                                                          "d/" * 1100 + "430521001001_202003.csv"]
    finally:  # deepest first: shutil.rmtree, and so pytest's cleanup of old runs, recurses as well
        for path in (folders[-1] / "430521001001_202003.csv", folders[0] / "430521001002_202003.csv"):
            path.unlink(missing_ok=True)
        for folder in reversed(folders):
            if folder.exists():
                folder.rmdir()


def test_the_walk_lists_depth_first_in_listing_order(tmp_path):
    for rel in ("a/b/1.csv", "a/2.csv", "c/3.csv", "4.csv", "a/b/c/5.csv", "e/f/g/h"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(b"")
    (tmp_path / "empty").mkdir()

    def recursive(folder, prefix=""):
        for entry in os.scandir(folder):
            if entry.is_dir(follow_symlinks=False):
                yield from recursive(entry.path, prefix + entry.name + "/")
            else:
                yield entry.path, prefix + entry.name, entry.name

    assert walk_files(str(tmp_path)) == list(recursive(str(tmp_path)))
