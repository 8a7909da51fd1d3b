"""Places a run or the demo is pointed at: a missing inbox is an unusable run (not a night with nothing new), and
`povmon demo --dir` rewrites an earlier demo's folder but never wipes another one."""
from __future__ import annotations

import duckdb
import pytest

from flows.discover_step import InboxMissing
from povmon.cli import main
from povmon.demo_folder import DEMO_MARK, clear_demo_folder
from tests.support.runs import run_nightly
from tests.support.returns import csv_bytes, household, make_city


def test_a_run_whose_inbox_is_missing_fails_and_keeps_what_the_store_holds(prefect_harness, tmp_path):
    inbox, _ = make_city(tmp_path)
    (inbox / "430521001001_202003.csv").write_bytes(csv_bytes([household("430521001001", 1)]))
    assert run_nightly(tmp_path).files_loaded == 1
    inbox.rename(tmp_path / "unmounted")
    with pytest.raises(InboxMissing, match="inbox not found"):
        run_nightly(tmp_path)
    with duckdb.connect(str(tmp_path / "db.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM households_current").fetchone() == (1,)
        assert con.execute("SELECT status FROM runs ORDER BY run_id").fetchall() == [("completed",), ("failed",)]


def test_the_demo_refuses_a_folder_that_is_not_an_earlier_demos(tmp_path, capsys):
    kept = tmp_path / "papers"
    kept.mkdir()
    (kept / "important.txt").write_text("keep", encoding="utf-8")
    assert main(["demo", "--no-run", "--dir", str(kept)]) == 1
    assert (kept / "important.txt").read_text(encoding="utf-8") == "keep"
    assert "not an earlier demo" in capsys.readouterr().err


def test_an_earlier_demos_folder_and_an_empty_one_are_cleared(tmp_path):
    for folder, marks in (("marked", [DEMO_MARK]), ("before_the_mark", ["inbox/", "truth/"]), ("empty", [])):
        root = tmp_path / folder
        root.mkdir()
        for mark in marks:
            (root / mark).mkdir() if mark.endswith("/") else (root / mark).write_text("", encoding="utf-8")
        clear_demo_folder(root)
        assert not root.exists()
