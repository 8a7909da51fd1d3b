"""Atomic writes, and the partial files a killed writer leaves behind."""
from __future__ import annotations

import os
import signal
import subprocess
import sys

from core.files import sweep_partials, write_text_atomically
from core.project import PROJECT_DIR


def test_a_killed_writers_partial_files_are_swept_and_a_live_ones_kept(tmp_path):
    """kill -9 skips atomic_path's clean-up and the name's pid is never used again: publish sweeps them."""
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(gone.stdout)
    (tmp_path / "exports" / "cases").mkdir(parents=True)
    stale = [tmp_path / "exports" / f"problems.xlsx.part{dead}", tmp_path / "exports" / "cases" / f"430521.xlsx.part{dead}"]
    for path in stale:
        path.write_bytes(b"half")
    live = tmp_path / "exports" / f"flags.csv.part{os.getpid()}"
    live.write_bytes(b"being written")
    kept = write_text_atomically(tmp_path / "exports" / "notes.part.txt", "a name that only looks like one")
    assert sweep_partials(tmp_path) == 2
    assert not any(path.exists() for path in stale) and live.exists() and kept.exists()


KILLED_WRITING_A_CASE_WORKBOOK = (  # SIGKILL once the county's book is written, before it is put in place
    "import os, signal, sys, xlsxwriter\nfrom datetime import date\nfrom pathlib import Path\n"
    "from tasks.cases import workbook\nclose = xlsxwriter.Workbook.close\n"
    "def killed(book):\n    close(book)\n    os.kill(os.getpid(), signal.SIGKILL)\n"
    "xlsxwriter.Workbook.close = killed\n"
    "workbook.write_workbook([[]] * len(workbook.COLUMNS), Path(sys.argv[1]), '430521', date(2020, 4, 10), ['说明'])\n")


def test_a_case_workbook_killed_mid_write_leaves_nothing_once_swept(tmp_path):
    """`cases export` killed while writing a township's workbook: its partial file was named `<county>.xlsx.part`,
    which no sweep removed, so it lay in exports/cases/ beside the books sent to the townships for good."""
    folder = tmp_path / "exports" / "cases"
    killed = subprocess.run([sys.executable, "-c", KILLED_WRITING_A_CASE_WORKBOOK, str(folder / "430521.xlsx")],
                            cwd=PROJECT_DIR, capture_output=True, text=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert [path.name for path in folder.iterdir()] != ["430521.xlsx"]  # never put in place half-done
    sweep_partials(tmp_path)  # the next run's publication
    assert list(folder.iterdir()) == []


def test_modified_since_sees_a_file_added_in_any_folder_but_not_an_older_inbox(tmp_path):
    from core.files import modified_since

    inbox, stamp = tmp_path / "inbox", tmp_path / "store.duckdb"
    (inbox / "430521" / "202004").mkdir(parents=True)
    assert modified_since(inbox, stamp)  # no store yet: everything is new
    stamp.write_text("")
    past = stamp.stat().st_mtime_ns - 10**9
    for folder in (inbox, inbox / "430521", inbox / "430521" / "202004"):
        os.utime(folder, ns=(past, past))
    assert not modified_since(inbox, stamp)
    assert not modified_since(tmp_path / "absent", stamp)
    (inbox / "430521" / "202004" / "430521001001_202004.csv").write_text("")  # the deepest folder changes
    assert modified_since(inbox, stamp)
    os.utime(inbox / "430521" / "202004", ns=(past, past))
    (inbox / "430521" / "resend").mkdir()  # a new folder: its parent changes
    assert modified_since(inbox, stamp)


def test_a_run_imports_great_expectations_early_only_when_it_will_likely_read_files(tmp_path):
    from core.settings import load_settings
    from povmon.cli import files_to_read

    settings = load_settings(None, environ={}).with_paths(inbox=tmp_path / "inbox", db=tmp_path / "s.duckdb")
    (tmp_path / "inbox").mkdir()
    assert files_to_read(settings, {})  # a first run
    (tmp_path / "s.duckdb").write_text("")
    past = (tmp_path / "s.duckdb").stat().st_mtime_ns - 10**9
    os.utime(tmp_path / "inbox", ns=(past, past))
    assert not files_to_read(settings, {})
    assert files_to_read(settings, {"county": None, "village": "430521001001"})  # a rerun re-reads files
