"""The store's memory limit: [store] memory_limit reaches the connection a run opens."""
from __future__ import annotations

import duckdb
import pytest

from core.settings import load_settings
from flows.steps import open_store


def limit_of(con: duckdb.DuckDBPyConnection) -> str:
    """The memory limit DuckDB reports for a connection."""
    return con.execute("SELECT current_setting('memory_limit')").fetchone()[0]


def reported(limit: str) -> str:
    """How DuckDB reports a limit it was given (its own formatting, e.g. 3GB -> 2.7 GiB)."""
    con = duckdb.connect()
    con.execute("SET memory_limit = ?", [limit])
    return limit_of(con)


def test_the_run_store_takes_the_settings_memory_limit(tmp_path):
    for limit in ("1GB", "3GB"):
        settings_file = tmp_path / f"{limit}.toml"
        # a folder each: two stores beside one another would share raw/ (the second is refused its delivery log)
        settings_file.write_text(f'[paths]\ndb = "{tmp_path / limit / "s"}.duckdb"\n[store]\nmemory_limit = "{limit}"\n')
        con = open_store.fn(load_settings(settings_file, environ={}))
        try:
            assert limit_of(con) == reported(limit)
        finally:
            con.close()


def test_an_empty_limit_keeps_duckdbs_default(tmp_path):
    settings_file = tmp_path / "povmon.toml"
    settings_file.write_text(f'[paths]\ndb = "{tmp_path / "s.duckdb"}"\n[store]\nmemory_limit = ""\n')
    con = open_store.fn(load_settings(settings_file, environ={}))
    try:
        assert limit_of(con) == limit_of(duckdb.connect())
        assert limit_of(con) != reported("3GB")
    finally:
        con.close()


def test_the_default_limit_is_2_5gb():
    assert load_settings(None, environ={}).memory_limit == "2.5GB"


def test_releasing_the_cache_gives_its_memory_back_and_keeps_the_limit(tmp_path):
    import psutil

    from core import db

    con = db.connect(tmp_path / "cache.duckdb", memory_limit="1GB")
    con.execute("CREATE TABLE t AS SELECT range AS i, md5(range::TEXT) AS s FROM range(10000000)").fetchall()
    con.execute("SELECT max(s), sum(i) FROM t").fetchall()  # every page of the table in the cache
    cached = con.execute("SELECT sum(memory_usage_bytes) FROM duckdb_memory()").fetchall()[0][0]
    before = psutil.Process().memory_info().rss
    db.release_cache(con, "1GB")
    after = psutil.Process().memory_info().rss
    assert cached > 100e6 and con.execute("SELECT sum(memory_usage_bytes) FROM duckdb_memory()").fetchall()[0][0] < 40e6
    assert before - after > 50e6  # the process, not only DuckDB's count, got smaller
    assert limit_of(con) == reported("1GB")
    db.release_cache(con, "")
    assert limit_of(con) == limit_of(duckdb.connect())
    assert con.execute("SELECT count(*) FROM t").fetchall() == [(10000000,)]


def test_trimming_the_heap_gives_freed_memory_back():
    """glibc keeps freed small blocks in its heap; db.trim_heap returns them (Linux)."""
    import sys

    import psutil

    from core import db

    if not sys.platform.startswith("linux"):
        pytest.skip("malloc_trim is glibc's")
    process = psutil.Process()
    blocks = [bytearray(2048) for _ in range(200_000)]  # ~400 MB of heap blocks below glibc's mmap threshold
    held = process.memory_info().rss
    keep = blocks[-1]  # the top of the heap stays in use: only trimming gives the rest back
    del blocks
    db.trim_heap()
    assert process.memory_info().rss < held - 200 * 2**20
    assert len(keep) == 2048
