"""The store's memory limit: [store] memory_limit reaches the connection a run opens."""
from __future__ import annotations

import duckdb

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
        settings_file.write_text(f'[paths]\ndb = "{tmp_path / limit}.duckdb"\n[store]\nmemory_limit = "{limit}"\n')
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


def test_the_default_limit_is_3gb():
    assert load_settings(None, environ={}).memory_limit == "3GB"
