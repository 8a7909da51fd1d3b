"""The inbox walked ahead of a `povmon run` (tasks/ingest/inbox_scan.py): the run's discover step lists what the
scan saw, the scan is used once and by its own run only, and a listing from it is the listing the step takes."""
from __future__ import annotations

import os
import time

import polars as pl

from tasks.ingest import inbox_scan
from tasks.ingest.listing import KNOWN_SCHEMA, list_inbox_frame

NO_PATHS = pl.DataFrame(schema=KNOWN_SCHEMA)


def write(path, text: str, age_seconds: float = 3600) -> None:
    """A file written age_seconds ago (so no settling time holds it back)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    then = time.time() - age_seconds
    os.utime(path, (then, then))


def listed_paths(listing) -> list[str]:
    """The relative paths of a listing's deliveries and unchanged paths."""
    return sorted([d.rel_path for d in listing.deliveries] + listing.unchanged["path"].to_list())


def test_the_run_lists_what_its_scan_saw_once_and_only_its_own_inbox(tmp_path):
    inbox = tmp_path / "inbox"
    write(inbox / "202003" / "430521100001_202003.csv", "a")
    write(inbox / "202003" / "430521100002_202003.csv", "b")
    with inbox_scan.taken_ahead(inbox, 5):
        assert inbox_scan.take(tmp_path / "other", 5) is None  # another inbox walks its own
    with inbox_scan.taken_ahead(inbox, 5):
        scan = inbox_scan.take(inbox, 5)
        assert scan is not None and scan.listed == 2
        assert inbox_scan.take(inbox, 5) is None  # used once
        write(inbox / "202003" / "430521100003_202003.csv", "c")  # arrived after the scan: the next run's
        ahead = list_inbox_frame(inbox, NO_PATHS, 5, scan=scan)
        assert listed_paths(ahead) == ["202003/430521100001_202003.csv", "202003/430521100002_202003.csv"]
    with inbox_scan.taken_ahead(inbox, 5):
        pass  # a run that never reached its discover step: the scan goes with it
    assert inbox_scan.take(inbox, 5) is None
    assert len(listed_paths(list_inbox_frame(inbox, NO_PATHS, 5))) == 3  # walked by the step itself


def test_a_listing_from_a_scan_is_the_listing_the_step_takes(tmp_path):
    inbox = tmp_path / "inbox"
    write(inbox / "202003" / "430521100001_202003.csv", "a")
    write(inbox / "202003" / "430521100002_202003.xlsx", "b")
    write(inbox / "202004" / "430521100001_202004.csv", "new", age_seconds=0)  # still being written
    link = inbox / "202003" / "link_202003.csv"  # refused, never opened
    os.symlink(inbox / "202003" / "430521100001_202003.csv", link)
    os.utime(link, (time.time() - 3600,) * 2, follow_symlinks=False)
    known = pl.DataFrame([("202003/430521100001_202003.csv", 1, os.stat(inbox / "202003" / "430521100001_202003.csv")
                           .st_mtime_ns, "f" * 64)], schema=KNOWN_SCHEMA, orient="row")
    now = time.time()
    walked = list_inbox_frame(inbox, known, 60, now)
    scanned = list_inbox_frame(inbox, known, 60, scan=inbox_scan.scan_inbox(inbox, 60, now))
    assert walked.arriving == scanned.arriving == ["202004/430521100001_202004.csv"]
    assert walked.unchanged.equals(scanned.unchanged)
    assert [(d.rel_path, d.sha256, d.refused) for d in walked.deliveries] == \
        [(d.rel_path, d.sha256, d.refused) for d in scanned.deliveries]
    assert len(walked.deliveries) == 2 and walked.unchanged.height == 1  # the known path: its recorded hash


def test_a_flow_walks_its_inbox_ahead_unless_the_command_line_does(tmp_path):
    inbox = tmp_path / "inbox"
    write(inbox / "202003" / "430521100001_202003.csv", "a")
    with inbox_scan.walked_ahead(inbox, 5):  # a flow run the worker started: its own walk
        write(inbox / "202003" / "430521100002_202003.csv", "b")  # may or may not be seen: the scan started
        scan = inbox_scan.take(inbox, 5)
        assert scan is not None and "202003/430521100001_202003.csv" in scan.rels
    assert inbox_scan.take(inbox, 5) is None  # gone with its run
    with inbox_scan.taken_ahead(inbox, 5):  # `povmon run`: walked while the server boots
        first = inbox_scan._ahead[0]
        with inbox_scan.walked_ahead(inbox, 5):  # the flow inside it keeps that scan, walks no second time
            assert inbox_scan._ahead == [first]
            assert inbox_scan.take(inbox, 5) is not None
        with inbox_scan.walked_ahead(tmp_path / "other", 5):  # another inbox: a walk of its own
            assert [ahead.key for ahead in inbox_scan._ahead] == [inbox_scan.scan_key(tmp_path / "other", 5)]
