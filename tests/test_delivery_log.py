"""The delivery log keeps every delivery whatever its name holds, and none a store never committed."""
from __future__ import annotations

from datetime import datetime

import polars as pl

from core import db
from tasks.ingest.deliveries import SCHEMA, append_log, last_logged_id, log_path, read_log, settle, void_uncommitted


def test_names_with_line_separators_are_read_back_whole(tmp_path):
    """JSON written with ensure_ascii=False keeps U+2028, U+0085 and form feed raw inside a line: the log is read
    line by line on \\n only, so those deliveries are not taken for lines cut short by a crash."""
    names = ["430521003002_202005_v9.csv\u2028", "430521003002_202005_v8.csv\x85", "a\x0cb.csv", "plain.csv"]
    frame = pl.DataFrame({"delivery_id": [1, 2, 3, 4], "path": names, "sha256": ["s1", "s2", "s3", "s4"],
                          "file_name": names, "run_id": [1, 1, 2, 2],
                          "delivered_at": [datetime(2020, 5, 1)] * 4, "mtime_ns": [None] * 4}, schema=SCHEMA)
    append_log(tmp_path, frame)
    settle(tmp_path, 4)  # committed
    assert read_log(tmp_path)["file_name"].to_list() == names
    assert last_logged_id(tmp_path) == 4


def deliveries(first: int, last: int, run_id: int = 1) -> pl.DataFrame:
    """Deliveries numbered first..last, each its own path, name and bytes (run_id: the run that found them)."""
    ids = list(range(first, last + 1))
    return pl.DataFrame({"delivery_id": ids, "path": [f"r{run_id}/{i}.csv" for i in ids],
                         "sha256": [f"s{run_id}-{i}" for i in ids], "file_name": [f"{i}.csv" for i in ids],
                         "run_id": [run_id] * len(ids), "delivered_at": [datetime(2020, 5, run_id)] * len(ids),
                         "mtime_ns": [None] * len(ids)}, schema=SCHEMA)


def store_with(ids: pl.DataFrame):
    """A store in memory holding these deliveries (committed), and its delivery count and highest id."""
    con = db.connect(":memory:")
    con.register("batch_deliveries", ids)
    db.run(con, "load/insert_deliveries")
    return con, db.rows(con, "load/delivery_count")[0]


def test_a_marker_voids_the_lines_a_killed_run_left_and_the_next_run_numbers_after_the_store(tmp_path):
    """Runs killed before their commit twice in a row: each next run voids their lines and numbers after the store."""
    append_log(tmp_path, deliveries(1, 3, run_id=1))
    settle(tmp_path, 3)  # committed
    con, (stored, last_stored) = store_with(deliveries(1, 3, run_id=1))
    for killed in (deliveries(4, 6, run_id=2), deliveries(4, 5, run_id=3)):
        append_log(tmp_path, killed)
        void_uncommitted(con, tmp_path, stored, last_stored)
        assert last_logged_id(tmp_path) == 3
    append_log(tmp_path, deliveries(4, 4, run_id=4))  # run 4 commits its delivery
    con.register("batch_deliveries", deliveries(4, 4, run_id=4))
    db.run(con, "load/insert_deliveries")
    settle(tmp_path, 4)
    assert read_log(tmp_path).rows() == deliveries(1, 3, run_id=1).vstack(deliveries(4, 4, run_id=4)).rows()
    assert last_logged_id(tmp_path) == 4
    before = log_path(tmp_path).read_bytes()
    void_uncommitted(con, tmp_path, *db.rows(con, "load/delivery_count")[0])  # the store holds 4: nothing to void
    assert log_path(tmp_path).read_bytes() == before


def test_a_store_holding_no_delivery_takes_the_log_as_it_found_it_and_voids_only_its_own_killed_runs(tmp_path):
    """A store rebuilt beside a log writes no marker (the log, ending with its commit, is the truth), but voids its
    own killed runs' lines."""
    append_log(tmp_path, deliveries(1, 3, run_id=1))
    settle(tmp_path, 3)  # committed by the store deleted since
    con, (stored, last_stored) = store_with(deliveries(1, 0))
    before = log_path(tmp_path).read_bytes()
    void_uncommitted(con, tmp_path, stored, last_stored)
    assert log_path(tmp_path).read_bytes() == before
    assert read_log(tmp_path)["delivery_id"].to_list() == [1, 2, 3]
    append_log(tmp_path, deliveries(4, 5, run_id=1))  # the rebuild's own deliveries, then killed
    void_uncommitted(con, tmp_path, stored, last_stored)
    assert read_log(tmp_path)["delivery_id"].to_list() == [1, 2, 3]
    assert last_logged_id(tmp_path) == 3
    fresh, _ = store_with(deliveries(1, 0))  # a first run ever, no log yet, killed after its append
    void_uncommitted(fresh, tmp_path / "new", 0, 0)
    append_log(tmp_path / "new", deliveries(1, 2))
    void_uncommitted(fresh, tmp_path / "new", 0, 0)
    assert read_log(tmp_path / "new").height == 0 and last_logged_id(tmp_path / "new") == 0


def test_a_marker_cut_short_is_ignored_and_the_next_line_starts_on_its_own(tmp_path):
    """A line cut short is left out, and the next line appended is not glued to it (which would lose it too)."""
    append_log(tmp_path, deliveries(1, 3))
    settle(tmp_path, 3)
    with open(log_path(tmp_path), "a", encoding="utf-8") as log:
        log.write('{"void_after": 1')
    assert read_log(tmp_path)["delivery_id"].to_list() == [1, 2, 3] and last_logged_id(tmp_path) == 3
    append_log(tmp_path, deliveries(4, 4, run_id=2))
    settle(tmp_path, 4)
    assert read_log(tmp_path)["delivery_id"].to_list() == [1, 2, 3, 4] and last_logged_id(tmp_path) == 4


def test_the_last_id_is_read_from_the_log_s_end_even_behind_a_long_line(tmp_path):
    """last_logged_id reads the log's last 64 KiB (a marker there gives its N), the whole log behind a longer line."""
    append_log(tmp_path, deliveries(1, 2000))
    con, counts = store_with(deliveries(1, 1990))
    void_uncommitted(con, tmp_path, *counts)
    assert last_logged_id(tmp_path) == 1990 and read_log(tmp_path).height == 1990
    long = deliveries(1991, 1991).with_columns(pl.lit("x/" * 40_000 + "1991.csv").alias("path"))
    append_log(tmp_path, long)
    assert last_logged_id(tmp_path) == 1991
