"""Two stores never write one raw store's delivery log: each run voids the lines above its own highest delivery id,
so a second store (a what-if store named with --db while the settings name the raw store, or a copy of the store)
voided the first one's deliveries, and the first store rebuilt from its raw store lost them (a _v2 taken out of the
inbox since: its village's current version changed). Now the second store is refused, changing nothing; a rebuild
(store deleted, raw store kept) takes the log over as before, and stores and raw stores of earlier versions are
adopted on their first run (tasks/ingest/log_writer.py)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from tasks.ingest.log_writer import RECORD_NAME, RawStoreTaken, refusal
from tests.support.hostile import V1, V2
from tests.support.processes import POVMON
from tests.support.returns import csv_bytes, household, make_city
from tests.support.runs import run_nightly

V2_NAME = f"{V1}_202003_v2.csv"


def deliver(inbox: Path, name: str, wage: str) -> None:
    """A one-household return of the name's village."""
    (inbox / name).write_bytes(csv_bytes([household(name[:12], 1, wage=wage)]))


def state(db: Path) -> dict:
    """What a store holds: the current wage per village, every file version, its deliveries, runs and id."""
    with duckdb.connect(str(db), read_only=True) as con:
        def rows(sql: str) -> list[tuple]:
            return con.execute(sql).fetchall()
        return {"wages": dict(rows("SELECT village_code, wage_income FROM households_current")),
                "files": rows("SELECT file_name, sha256 FROM source_files ORDER BY ALL"),
                "deliveries": rows("SELECT delivery_id, path, sha256 FROM deliveries ORDER BY ALL"),
                "runs": rows("SELECT run_id, status FROM runs ORDER BY ALL"),
                "id": rows("SELECT store_id FROM store_identity")}


def raw_files(raw: Path) -> dict[str, bytes]:
    """The delivery log and the writer record, byte for byte."""
    return {name: (raw / name).read_bytes() for name in ("deliveries.jsonl", RECORD_NAME)}


def writer(raw: Path) -> dict:
    """The raw store's writer record."""
    return json.loads((raw / RECORD_NAME).read_text(encoding="utf-8"))


def test_a_second_store_on_the_raw_store_is_refused_and_a_rebuild_keeps_every_version(prefect_harness, tmp_path):
    inbox, _ = make_city(tmp_path)
    raw = tmp_path / "raw"
    real, whatif, copy = tmp_path / "db.duckdb", tmp_path / "trial" / "whatif.duckdb", tmp_path / "trial" / "copy.duckdb"
    deliver(inbox, f"{V1}_202003.csv", "100")
    deliver(inbox, f"{V2}_202003.csv", "1")
    run_nightly(tmp_path, raw_store=raw)
    assert writer(raw)["db"] == str(real.resolve()) and writer(raw)["store_id"] == state(real)["id"][0][0]
    copy.parent.mkdir()
    shutil.copy(real, copy)
    before = raw_files(raw)
    with pytest.raises(RawStoreTaken, match="still there") as refused:  # a new store beside the real one
        run_nightly(tmp_path, db=whatif, raw_store=raw)
    assert str(real.resolve()) in str(refused.value) and str(whatif.resolve()) in str(refused.value)
    assert not whatif.exists()  # not even made
    copied = state(copy)
    with pytest.raises(RawStoreTaken, match="is a copy of") as refused:
        run_nightly(tmp_path, db=copy, raw_store=raw)
    assert str(real.resolve()) in str(refused.value) and str(copy.resolve()) in str(refused.value)
    assert state(copy) == copied and raw_files(raw) == before  # no run recorded, no marker written

    deliver(inbox, V2_NAME, "200")
    run_nightly(tmp_path, raw_store=raw)
    (inbox / V2_NAME).unlink()  # taken out of the inbox: the raw store and the log keep it
    for db in (whatif, copy):  # before, each voided the real store's _v2 here
        with pytest.raises(RawStoreTaken):
            run_nightly(tmp_path, db=db, raw_store=raw)
    kept = state(real)
    assert kept["wages"] == {V1: 200.0, V2: 1.0}

    real.unlink()  # rebuilt from the raw store: the same versions, and the rebuilt store writes the log now
    run_nightly(tmp_path, raw_store=raw)
    rebuilt = state(real)
    assert {k: rebuilt[k] for k in ("wages", "files", "deliveries")} == {k: kept[k] for k in ("wages", "files", "deliveries")}
    assert rebuilt["id"] != kept["id"] and writer(raw)["store_id"] == rebuilt["id"][0][0]
    before = raw_files(raw)
    with pytest.raises(RawStoreTaken, match="another store, last run at"):  # the old store's copy: not its writer
        run_nightly(tmp_path, db=copy, raw_store=raw)
    assert raw_files(raw) == before and state(copy) == copied

    # a store of its own: a copy of the raw store holds the history so far, read back by the new store
    shutil.copytree(raw, tmp_path / "trial" / "raw")
    run_nightly(tmp_path, db=whatif, raw_store=tmp_path / "trial" / "raw")
    assert state(whatif)["wages"] == {V1: 200.0, V2: 1.0} and state(whatif)["files"] == kept["files"]
    assert raw_files(raw) == before


def test_stores_and_raw_stores_without_ids_are_adopted_and_a_moved_store_takes_its_log(prefect_harness, tmp_path):
    inbox, _ = make_city(tmp_path)
    raw = tmp_path / "raw"
    deliver(inbox, f"{V1}_202003.csv", "100")
    run_nightly(tmp_path, raw_store=raw)
    deliver(inbox, f"{V1}_202003_v2.csv", "200")
    run_nightly(tmp_path, raw_store=raw)
    (inbox / V2_NAME).unlink()
    kept = state(tmp_path / "db.duckdb")
    with duckdb.connect(str(tmp_path / "db.duckdb")) as con:  # as an earlier povmon left them: no id anywhere
        con.execute("DROP TABLE store_identity")
    (raw / RECORD_NAME).unlink()
    assert run_nightly(tmp_path, raw_store=raw).files_new == 0
    adopted = state(tmp_path / "db.duckdb")
    assert adopted["id"] and writer(raw) == {**writer(raw), "store_id": adopted["id"][0][0],
                                             "db": str((tmp_path / "db.duckdb").resolve())}
    assert adopted["wages"] == kept["wages"] == {V1: 200.0}

    moved = tmp_path / "elsewhere" / "db.duckdb"
    moved.parent.mkdir()
    (tmp_path / "db.duckdb").rename(moved)
    assert run_nightly(tmp_path, db=moved, raw_store=raw).files_new == 0
    assert writer(raw)["db"] == str(moved.resolve()) and state(moved)["id"] == adopted["id"]

    moved.unlink()  # a rebuild of a raw store an earlier povmon kept, record or none, gives the same versions
    (raw / RECORD_NAME).unlink()
    run_nightly(tmp_path, db=moved, raw_store=raw)
    assert {k: state(moved)[k] for k in ("wages", "files")} == {k: kept[k] for k in ("wages", "files")}


RAW, OURS, THEIRS = Path("/srv/raw"), Path("/data/ours.duckdb"), Path("/data/theirs.duckdb")


@pytest.mark.parametrize("record_id, record_db, store_id, holds, theirs_exists, refused", [
    (None, None, None, True, False, None),             # no record: adopted (an earlier povmon's raw store)
    ("a", OURS, "a", True, True, None),                # this store
    ("a", THEIRS, None, False, False, None),           # a rebuild elsewhere, the old store gone
    ("a", OURS, None, False, False, None),             # a rebuild in place
    ("a", THEIRS, None, False, True, "still there"),   # a new store beside a live one
    ("a", THEIRS, "a", True, False, None),             # moved
    ("a", THEIRS, "a", True, True, "is a copy of"),    # copied, the original still there
    ("a", THEIRS, "b", True, False, "another store"),  # another store (or a store gone: it holds deliveries)
    ("a", THEIRS, None, True, False, "another store"),  # a store from before ids, another store writing
    ("a", OURS, "b", True, True, "this same path"),    # another store at this path since
])
def test_who_may_write_the_log(tmp_path, record_id, record_db, store_id, holds, theirs_exists, refused):
    theirs = tmp_path / "theirs.duckdb"
    if theirs_exists:
        theirs.write_bytes(b"")
    record = None if record_id is None else {"store_id": record_id, "db": str(theirs if record_db == THEIRS else OURS),
                                             "raw_store": str(RAW)}
    reason = refusal(record, store_id, OURS, holds, RAW)
    assert (reason is None) if refused is None else (refused in reason and str(RAW) in reason)


@pytest.mark.slow
def test_povmon_run_with_another_db_is_refused_until_given_its_own_raw_store(tmp_path):
    """The office's povmon.toml names the raw store; `povmon run --db` elsewhere is an unusable run (exit 1, one
    line naming both stores) until --raw-store gives that store its own."""
    inbox, reference = make_city(tmp_path)
    deliver(inbox, f"{V1}_202003.csv", "100")
    (tmp_path / "povmon.toml").write_text(f'[paths]\nraw_store = "{tmp_path / "raw"}"\n', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("POVMON_")}
    env |= {"POVMON_PREFECT_HOME": str(tmp_path / ".prefect"), "POVMON_SETTLE_SECONDS": "0",
            "PYTHONPATH": str(Path(__file__).resolve().parents[1])}  # this checkout's povmon, started elsewhere

    def povmon_run(db: Path, *options: str) -> subprocess.CompletedProcess:
        return subprocess.run([*POVMON, "run", "--quiet", "--inbox", str(inbox), "--reference", str(reference),
                               "--db", str(db), "--out", str(db.parent / "out"), *options],
                              cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)

    assert povmon_run(tmp_path / "data" / "povmon.duckdb").returncode == 0
    whatif = tmp_path / "whatif" / "whatif.duckdb"
    done = povmon_run(whatif)
    assert done.returncode == 1 and not whatif.exists()
    assert done.stderr.startswith("povmon: run failed: RawStoreTaken: ") and len(done.stderr.splitlines()) == 1
    assert str((tmp_path / "data" / "povmon.duckdb").resolve()) in done.stderr and str(whatif.resolve()) in done.stderr
    assert povmon_run(whatif, "--raw-store", str(tmp_path / "whatif" / "raw")).returncode == 0
    assert writer(tmp_path / "whatif" / "raw")["db"] == str(whatif.resolve())


def test_a_store_reached_by_another_path_to_the_same_file_is_no_copy(tmp_path):
    """A store whose record names it by another path to the same file (a bind mount, the share mounted twice; here
    a hard link) writes its log as before, where a copy beside the original is refused."""
    ours = tmp_path / "ours.duckdb"
    ours.write_bytes(b"store")
    other_path = tmp_path / "mounted" / "ours.duckdb"
    other_path.parent.mkdir()
    os.link(ours, other_path)
    record = {"store_id": "a", "db": str(other_path), "raw_store": str(RAW)}
    assert refusal(record, "a", ours, True, RAW) is None
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(b"store")
    assert "is a copy of" in refusal({**record, "db": str(copy)}, "a", ours, True, RAW)
