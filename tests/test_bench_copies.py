"""The benchmarks' copies of a work folder share no file a run writes in place: a run on a copy must not add lines
to the original's delivery log or case ledger log (it would void the original's lines above its own store's)."""
from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.bench_data import snapshot_store
from benchmarks.bench_dept_increment import snapshot
from benchmarks.history_length import history_from, month_of

LOGS = ("deliveries.jsonl", "case_events.jsonl", "case_import_refusals.jsonl")


def work_folder(root: Path) -> Path:
    """A work folder shaped as a run leaves it: store, inbox, reference, raw store with packs and logs."""
    work = root / "work"
    for rel, text in [("povmon.duckdb", "db"), ("inbox/430502/202004/a.csv", "a"), ("reference/admin_units.csv", "u"),
                      ("raw/packs/0001.pack", "pack"), *((f"raw/{name}", '{"seq": 1}\n') for name in LOGS)]:
        (work / rel).parent.mkdir(parents=True, exist_ok=True)
        (work / rel).write_text(text, encoding="utf-8")
    return work


@pytest.mark.parametrize("copier", ["snapshot_store", "snapshot"])
def test_a_run_on_a_copy_leaves_the_original_logs_alone(tmp_path: Path, copier: str) -> None:
    work = work_folder(tmp_path)
    copy = tmp_path / "copy"
    if copier == "snapshot_store":
        snapshot_store(work, copy)
    else:
        copy = snapshot(work, "copy")
    for name in LOGS:
        with open(copy / "raw" / name, "a", encoding="utf-8") as log:  # as runs append: in place
            log.write('{"seq": 2}\n')
        assert (work / "raw" / name).read_text(encoding="utf-8") == '{"seq": 1}\n', name
        assert (copy / "raw" / name).read_text(encoding="utf-8").count("\n") == 2
    # the packs are never written again: shared, not copied
    assert (copy / "raw" / "packs" / "0001.pack").stat().st_ino == (work / "raw" / "packs" / "0001.pack").stat().st_ino
    assert (copy / "povmon.duckdb").read_text(encoding="utf-8") == "db"


def test_history_from_keeps_the_months_from_the_first_on_and_files_of_no_month() -> None:
    paths = ["430502/201909/430502001001_201909.csv", "430502/201910/430502001001_201910.csv",
             "430502/resend/430502001002_201801.csv", "430502/resend/430502001002_202001.csv",
             "departments/201805/civil_affairs.csv", "misc/readme.txt"]
    assert month_of(paths[2]) == "201801" and month_of(paths[4]) == "201805" and month_of(paths[5]) is None
    assert history_from(paths, "201910") == [paths[1], paths[3], paths[5]]
