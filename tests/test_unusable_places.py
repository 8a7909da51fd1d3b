"""Places a run or the demo is pointed at: a missing inbox is an unusable run (not a night with nothing new), an
unreadable reference list one said on one line, and `povmon demo --dir` rewrites an earlier demo's folder but never
wipes another one."""
from __future__ import annotations

import os
import subprocess

import duckdb
import pytest

from flows.discover_step import InboxMissing
from povmon.cli import main
from povmon.demo_folder import DEMO_MARK, clear_demo_folder
from tests.support.processes import POVMON
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


@pytest.mark.slow  # the povmon command in another process
def test_a_run_that_cannot_complete_says_why_on_one_line(tmp_path):
    """A name with a comma not in quotes in admin_units.csv: Polars' reason spans three lines (its advice to set
    truncate_ragged_lines among them), where interface.md promises a one-line reason on stderr."""
    inbox, reference = make_city(tmp_path)
    with open(reference / "admin_units.csv", "a", encoding="utf-8") as units:
        units.write("430521001003,四村,新村,village,430521001,0\n")
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"} | {
        "POVMON_PREFECT_HOME": str(tmp_path / "prefect")}
    failed = subprocess.run([*POVMON, "run", "--quiet", "--inbox", str(inbox), "--reference", str(reference),
                             "--db", str(tmp_path / "db.duckdb"), "--out", str(tmp_path / "out")],
                            env=env, capture_output=True, text=True, timeout=300)
    assert failed.returncode == 1
    assert failed.stderr.startswith("povmon: run failed: ReferenceError: reference list unreadable")
    assert len(failed.stderr.splitlines()) == 1, failed.stderr


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
