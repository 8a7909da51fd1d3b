"""The raw store follows --db only when nobody named it: a settings file's or $POVMON_RAW_STORE's stays where it
was put (file < environment < options), so raw bytes and deliveries.jsonl are never split across two places."""
from __future__ import annotations

import argparse
from pathlib import Path

from core.settings import load_settings
from povmon.arguments import build_parser
from povmon.cli import settings_from


def test_a_raw_store_named_in_the_settings_file_stays_under_db(tmp_path):
    path = tmp_path / "povmon.toml"
    path.write_text('[paths]\nraw_store = "/srv/raw"\n', encoding="utf-8")
    settings = load_settings(path, environ={}).with_paths(db="/data/x.duckdb")
    assert (settings.db, settings.raw_store) == (Path("/data/x.duckdb"), Path("/srv/raw"))


def test_a_raw_store_named_in_the_environment_stays_under_the_db_option(monkeypatch):
    monkeypatch.setenv("POVMON_RAW_STORE", "/srv/raw")
    monkeypatch.delenv("POVMON_SETTINGS", raising=False)
    monkeypatch.chdir("/")
    settings = settings_from(argparse.Namespace(settings=None, db="/data/x.duckdb"))
    assert (settings.db, settings.raw_store) == (Path("/data/x.duckdb"), Path("/srv/raw"))


def test_the_default_raw_store_follows_the_db_option_and_an_option_s_own_stays():
    settings = load_settings(None, environ={})
    assert settings.with_paths(db="/data/x.duckdb").raw_store == Path("/data/raw")
    named = settings.with_paths(raw_store="/srv/raw")
    assert named.with_paths(db="/data/y.duckdb").raw_store == Path("/srv/raw")


def test_the_raw_store_option_beats_the_settings_file_s(tmp_path, monkeypatch):
    """`povmon run --db other.duckdb --raw-store DIR`: a store of its own beside a settings file that names one."""
    (tmp_path / "povmon.toml").write_text('[paths]\nraw_store = "/srv/raw"\n', encoding="utf-8")
    monkeypatch.delenv("POVMON_SETTINGS", raising=False)
    monkeypatch.delenv("POVMON_RAW_STORE", raising=False)
    monkeypatch.chdir(tmp_path)
    settings = settings_from(build_parser().parse_args(["run", "--db", "/tmp/w/x.duckdb", "--raw-store", "/tmp/w/raw"]))
    assert (settings.db, settings.raw_store) == (Path("/tmp/w/x.duckdb"), Path("/tmp/w/raw"))
    assert settings_from(build_parser().parse_args(["run", "--db", "/tmp/w/x.duckdb"])).raw_store == Path("/srv/raw")
