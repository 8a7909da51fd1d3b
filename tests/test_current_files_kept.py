"""current_files is kept (current_file_versions), not computed on every read: after any sequence of batches the
load writes (new versions, corrections of every rank, the same bytes delivered again, re-reads, rejected files)
it names, for every village × month, the version the correction rules choose from the files and deliveries on
record; a store made before it is filled when opened; and nothing but load_batch writes what it is kept from."""
from __future__ import annotations

import random
import re
from datetime import datetime

import polars as pl
import pytest

from core import db
from core.project import PROJECT_DIR, SQL_DIR
from tasks.ingest.batch import FILE_SCHEMA
from tasks.ingest.load import load_batch, refresh_every_current_file

NO_PATHS = pl.DataFrame(schema={"path": pl.Utf8})
NO_PROBLEMS = pl.DataFrame(schema={"file_id": pl.Int32, "source_row": pl.Int32, "household_id": pl.Utf8,
                                   "code": pl.Utf8, "level": pl.Utf8, "detail": pl.Utf8})
UNITS = [(v, p) for v in ("430521001001", "430521001002", "430522002001") for p in ("202002", "202003")]


def by_rules(con) -> dict[tuple, tuple[int, int | None]]:
    """The rules of policy.md worked out in Python from the files and deliveries on record: per village × month
    the loaded version of the highest rank, then the latest delivery (none: last), run, name and id."""
    last = {}
    for sha, name, delivery in con.execute("SELECT sha256, file_name, delivery_id FROM deliveries").fetchall():
        last[(sha, name)] = max(last.get((sha, name), delivery), delivery)
    best = {}
    for file_id, sha, name, village, period, rank, run in con.execute(
            "SELECT file_id, sha256, file_name, village_code, period, correction_rank, ingest_run_id "
            "FROM source_files WHERE status = 'loaded'").fetchall():
        delivery = last.get((sha, name))
        key = (rank, -1 if delivery is None else delivery, run, name, file_id)
        if (village, period) not in best or key > best[(village, period)][0]:
            best[(village, period)] = (key, (file_id, delivery))
    return {unit: chosen for unit, (_, chosen) in best.items()}


def kept(con) -> dict[tuple, tuple[int, int | None]]:
    """What current_files names per village × month (one row each)."""
    rows = con.execute("SELECT village_code, period, file_id, last_delivery_id FROM current_files").fetchall()
    assert len(rows) == len({(v, p) for v, p, *_ in rows})
    return {(v, p): (file_id, delivery) for v, p, file_id, delivery in rows}


class Batches:
    """Random batches as the load receives them: files new or known, delivered once or again."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.files: list[dict] = []  # every file record stored, newest last
        self.delivery_id = 0

    def new_file(self, run_id: int, pending: list[dict]) -> dict:
        village, period = self.rng.choice(UNITS)
        rank = self.rng.choice([1, 1, 2, 3])
        suffix = {1: "", 2: "_更正", 3: "_v3"}[rank] + self.rng.choice(["", "_a"])
        name = f"{village}_{period}{suffix}.csv"
        file_id = len(self.files) + len(pending) + 1
        record = {"file_id": file_id, "sha256": f"{self.rng.randrange(4):064d}", "file_name": name,
                  "first_path": name, "size_bytes": 1, "village_code": village, "period": period,
                  "correction_rank": rank, "ingest_run_id": run_id, "ingested_at": datetime(2020, 4, 5),
                  "status": self.rng.choice(["loaded", "loaded", "rejected"]), "file_format": "csv",
                  "encoding": "utf-8", "header_row": 1, "rows_read": 0, "rows_skipped": 0}
        if any((f["sha256"], f["file_name"]) == (record["sha256"], name) for f in self.files + pending):
            record["sha256"] = f"{file_id:064d}x"[:64]  # the same bytes under the same name are one file
        return record

    def delivery(self, record: dict, run_id: int) -> dict:
        self.delivery_id += 1
        return {"delivery_id": self.delivery_id, "path": f"in/{self.delivery_id}/{record['file_name']}",
                "sha256": record["sha256"], "file_name": record["file_name"], "run_id": run_id,
                "delivered_at": datetime(2020, 4, 5), "mtime_ns": None}

    def load(self, con, run_id: int) -> None:
        """One batch: a few new files, some known ones delivered again, maybe one re-read."""
        new: list[dict] = []
        for _ in range(self.rng.randrange(0, 4)):
            new.append(self.new_file(run_id, new))
        again = self.rng.sample(self.files, min(len(self.files), self.rng.randrange(0, 3)))
        reread = self.rng.sample(self.files, 1) if self.files and self.rng.random() < 0.3 else []
        deliveries = [self.delivery(record, run_id) for record in new + again if self.rng.random() < 0.9]
        files = pl.DataFrame(new + reread, schema=FILE_SCHEMA)
        frame = pl.DataFrame(deliveries, schema={"delivery_id": pl.Int32, "path": pl.Utf8, "sha256": pl.Utf8,
                                                 "file_name": pl.Utf8, "run_id": pl.Int32,
                                                 "delivered_at": pl.Datetime, "mtime_ns": pl.Int64})
        load_batch(con, run_id, files, None, NO_PROBLEMS, NO_PATHS, [f["file_id"] for f in reread],
                   deliveries=frame)
        self.files += new


@pytest.mark.parametrize("seed", range(12))
def test_after_every_batch_current_files_is_what_the_rules_choose(tmp_path, seed):
    con = db.connect(tmp_path / "povmon.duckdb")
    batches = Batches(seed)
    for run_id in range(1, 16):
        batches.load(con, run_id)
        assert kept(con) == by_rules(con), run_id
    assert len(kept(con)) >= 3  # or the batches chose too little to be a test
    assert db.scalar(con, "SELECT count(*) FROM current_files_stale") == 0


def test_a_failed_batch_leaves_the_kept_versions_as_they_were(tmp_path):
    con = db.connect(tmp_path / "povmon.duckdb")
    batches = Batches(1)
    for run_id in range(1, 4):
        batches.load(con, run_id)
    before = kept(con)
    known = batches.files[0]
    clash = pl.DataFrame([{**known, "file_id": 999, "correction_rank": 9}], schema=FILE_SCHEMA)  # (sha, name) twice
    with pytest.raises(Exception, match="(?i)constraint"):
        load_batch(con, 4, clash, None, NO_PROBLEMS, NO_PATHS)
    assert kept(con) == before == by_rules(con)
    assert db.scalar(con, "SELECT count(*) FROM current_files_stale") == 0


def test_a_store_made_before_the_kept_versions_is_filled_when_opened(tmp_path):
    path = tmp_path / "povmon.duckdb"
    con = db.connect(path)
    batches = Batches(3)
    for run_id in range(1, 6):
        batches.load(con, run_id)
    expected = by_rules(con)
    assert expected
    con.execute("DROP VIEW current_files; DROP TABLE current_file_versions").fetchall()  # as a store made before it
    con.close()
    con = db.connect(path)
    assert kept(con) == expected


def test_a_store_written_by_hand_is_brought_back_to_the_rules(tmp_path):
    con = db.connect(tmp_path / "povmon.duckdb")
    batches = Batches(5)
    for run_id in range(1, 6):
        batches.load(con, run_id)
    con.execute("UPDATE source_files SET status = 'rejected' WHERE file_id IN "
                "(SELECT file_id FROM current_file_versions LIMIT 2)").fetchall()
    assert kept(con) != by_rules(con)  # what the kept versions do not see
    refresh_every_current_file(con)
    assert kept(con) == by_rules(con)


WRITES = re.compile(r"\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|COPY|ALTER\s+TABLE)\s+(?:main\.)?(source_files|deliveries)\b",
                    re.IGNORECASE)


def test_only_the_load_writes_what_the_kept_versions_are_made_from():
    """A statement that changed source_files or deliveries behind load_batch would leave current_files stale."""
    writers = {path.relative_to(SQL_DIR).as_posix() for path in SQL_DIR.rglob("*.sql") if WRITES.search(
        re.sub(r"--[^\n]*", "", path.read_text(encoding="utf-8")))}
    assert writers == {"load/insert_source_files.sql", "load/forget_source_files.sql", "load/insert_deliveries.sql",
                       "validate/mark_history_checked.sql", "schema/025_deliveries.sql"}
    assert "SET history_run_id" in (SQL_DIR / "validate/mark_history_checked.sql").read_text(encoding="utf-8")
    code = [path for folder in ("core", "tasks", "flows", "povmon") for path in (PROJECT_DIR / folder).rglob("*.py")
            if WRITES.search(path.read_text(encoding="utf-8"))]
    assert code == []
