"""Discovery on a store that has read the inbox: the unchanged paths of known returns are settled in one query, not
planned a Delivery each (tasks/ingest/listing.py), and what a run reads and delivers is what planning every path
gives: nothing when nothing changed; a rerun's village read again; a path holding earlier bytes delivered again."""
from __future__ import annotations

import os
import shutil

import duckdb
import pytest

from core import db
from flows import discover_step
from tasks.ingest import batch as ingest
from tasks.ingest import inbox_scan
from tasks.ingest.listing import list_inbox, settled_paths
from tasks.ingest.scope import Scope
from tests.support.runs import settings_for

pytestmark = pytest.mark.flow


@pytest.fixture
def store(small_city, small_city_run, tmp_path):
    """A copy of the small city's run store, opened for reading, with the settings of a run over the city."""
    shutil.copy(small_city_run / "db.duckdb", tmp_path / "db.duckdb")
    settings = settings_for(tmp_path, inbox=small_city / "inbox", reference=small_city / "reference")
    con = db.connect(tmp_path / "db.duckdb", read_only=True)
    yield con, settings
    con.close()


def discover(con: duckdb.DuckDBPyConnection, settings, scope: Scope | None = None):
    """The discover step's own function on the store (nothing written), for a nightly run or a rerun's scope."""
    return discover_step.discover_files.fn(con, settings, 999, scope or Scope())


def test_nothing_changed_settles_every_known_return_and_counts_every_path(store, small_city):
    con, settings = store
    found = discover(con, settings)
    every = list_inbox(settings.inbox, {}, 0)[0]
    assert found.slots == [] and found.department_slots == []
    assert found.fresh.height == 0 and found.paths.height == 0
    assert found.listed == len(every) > 0
    # every return's path is settled (not a Delivery each); department files are planned apart, as ever
    departments = {d.rel_path for d in every if os.path.basename(d.rel_path).startswith("dept_")}
    assert {d.rel_path for d in found.deliveries} == departments and len(departments) < len(every) // 2


def test_a_reruns_village_is_read_again_though_its_paths_are_settled_otherwise(store):
    con, settings = store
    village = next(name for (name,) in con.execute(
        "SELECT file_name FROM source_files WHERE status = 'loaded' ORDER BY file_name LIMIT 1").fetchall())[:12]
    found = discover(con, settings, Scope(village=village))
    read = {slot.delivery.file_name for slot in found.slots}
    expected = {name for (name,) in con.execute(
        "SELECT DISTINCT file_name FROM source_files WHERE village_code = ?", [village]).fetchall()}
    on_disk = {d.file_name for d in list_inbox(settings.inbox, {}, 0)[0]}
    assert read and read == expected & on_disk
    assert all(slot.is_reread for slot in found.slots) and found.fresh.height == 0


def test_a_path_is_settled_only_while_its_latest_delivery_holds_its_bytes_and_no_rerun_selects_it(
        small_city_run, tmp_path):
    shutil.copy(small_city_run / "db.duckdb", tmp_path / "db.duckdb")
    con = db.connect(tmp_path / "db.duckdb")
    unchanged = con.sql("""SELECT p.path, f.file_name, p.sha256 FROM delivered_paths p
                           JOIN source_files f ON f.sha256 = p.sha256 AND f.file_name = regexp_extract(p.path, '[^/]+$')
                           ORDER BY p.path LIMIT 4""").pl()
    paths = set(unchanged["path"])
    assert len(paths) == 4 and set(settled_paths(con, unchanged, None)["path"]) == paths
    first, second = unchanged["path"][0], unchanged["file_name"][1]
    assert set(settled_paths(con, unchanged, lambda name: name == second)["path"]) == paths - {unchanged["path"][1]}
    # other bytes delivered at the first path since its size and time were recorded (A, then B): not settled
    con.execute("""UPDATE deliveries SET sha256 = repeat('0', 64)
                   WHERE delivery_id = (SELECT max(delivery_id) FROM deliveries WHERE path = ?)""", [first])
    assert set(settled_paths(con, unchanged, None)["path"]) == paths - {first}
    con.close()


def test_the_discover_step_lists_from_the_scan_walked_ahead_for_its_run(store):
    con, settings = store
    with inbox_scan.taken_ahead(settings.inbox, settings.settle_seconds):  # as `povmon run` does
        found = discover(con, settings)
        assert inbox_scan.take(settings.inbox, settings.settle_seconds) is None  # the step took it
    assert found.slots == [] and found.listed == len(list_inbox(settings.inbox, {}, 0)[0])


def test_the_reading_workers_start_during_discovery_once_the_new_paths_are_as_many_as_a_batch_read_by_them(
        store, small_city, tmp_path, monkeypatch):
    con, settings = store
    inbox = tmp_path / "inbox-copy"
    shutil.copytree(small_city / "inbox", inbox)  # times kept: every known path unchanged
    settings = settings_for(tmp_path, inbox=inbox, reference=small_city / "reference")
    returns = [d for d in list_inbox(inbox, {}, 0)[0] if not os.path.basename(d.rel_path).startswith("dept_")]
    (inbox / "again").mkdir()
    monkeypatch.setattr(ingest, "PARALLEL_MIN_FILES", 2)
    for count, started in ((1, False), (2, True)):
        shutil.copy(inbox / returns[count].rel_path, inbox / "again" / returns[count].file_name)  # a new path
        with ingest.ReadingWorkers() as workers:
            found = discover_step.discover_files.fn(con, settings, 999, Scope(), None, workers)
            assert (workers.pool is not None) is started, count
        assert sum(d.rel_path.startswith("again/") for d in found.deliveries) == count
