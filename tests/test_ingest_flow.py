"""The nightly flow's first half under the real Prefect engine: files in, every bad file explained, nothing lost."""
from __future__ import annotations

import os
import time

import pytest

from tests.support.raw_copies import kept_copies
from tests.support.runs import problems, query, run_flow
from tests.support.returns import csv_bytes, household, make_city, write_xlsx

V1, V2, V3 = "430521001001", "430521001002", "430522001001"


@pytest.fixture
def city(tmp_path):
    """An inbox with good files, every kind of bad file, a resend and corrections."""
    inbox, _ = make_city(tmp_path)
    (inbox / "430521").mkdir()
    (inbox / "430521" / f"{V1}_202003.csv").write_bytes(csv_bytes([household(V1, 1), household(V1, 2)], "gb18030"))
    (inbox / "resend").mkdir()
    (inbox / "resend" / f"{V1}_202003.csv").write_bytes((inbox / "430521" / f"{V1}_202003.csv").read_bytes())
    write_xlsx(inbox / "430522" / f"{V3}_202003.xlsx", [household(V3, 1), household(V3, 2), household(V3, 3)])
    (inbox / f"{V2}_2020-03.csv").write_bytes(csv_bytes([household(V2, 1)]))          # FILE_NAME_INVALID
    (inbox / "999999999999_202003.csv").write_bytes(csv_bytes([household(V2, 1)]))    # FILE_UNKNOWN_VILLAGE
    (inbox / f"{V2}_202003.csv").write_bytes(b"")                                      # FILE_UNREADABLE
    (inbox / f"{V2}_202002.csv").write_bytes(csv_bytes([household(V2, 1)], header=["户编号", "户主姓名"]))  # MISSING
    return tmp_path


def test_every_good_file_loaded_and_every_bad_file_explained(prefect_harness, city):
    summary = run_flow(city)
    assert summary.as_of == "202003"
    assert summary.files_new == 6  # the resend is the same file
    codes = {(p["file"], p["code"]) for p in problems(city)}
    assert codes == {
        (f"{V2}_2020-03.csv", "FILE_NAME_INVALID"), ("999999999999_202003.csv", "FILE_UNKNOWN_VILLAGE"),
        (f"{V2}_202003.csv", "FILE_UNREADABLE"), (f"{V2}_202002.csv", "FILE_MISSING_COLUMNS"),
    }
    assert all(p["row"] == "" and p["level"] == "error" for p in problems(city))
    loaded = query(city, "SELECT village_code, count(*) FROM households_current GROUP BY 1 ORDER BY 1")
    assert loaded == [(V1, 2), (V3, 3)]
    assert query(city, f"SELECT encoding FROM source_files WHERE file_name = '{V1}_202003.csv'") == [("gb18030",)]
    kept = {sha for sha, _ in kept_copies(city / "raw")}
    assert kept == {sha for (sha,) in query(city, "SELECT sha256 FROM source_files")}  # rejected ones too


def test_rerun_with_nothing_new_changes_no_byte(prefect_harness, city):
    run_flow(city)
    first = {p.name: p.read_bytes() for p in (city / "out" / "exports").iterdir()}
    counts = query(city, "SELECT (SELECT count(*) FROM source_files), (SELECT count(*) FROM return_rows), "
                         "(SELECT count(*) FROM problems)")
    second_summary = run_flow(city)
    assert second_summary.files_new == 0
    assert {p.name: p.read_bytes() for p in (city / "out" / "exports").iterdir()} == first
    assert query(city, "SELECT (SELECT count(*) FROM source_files), (SELECT count(*) FROM return_rows), "
                       "(SELECT count(*) FROM problems)") == counts


def wage_of(root, household_id: str, period: str = "202003") -> float:
    """The wage income the current version holds for a household."""
    return query(root, f"SELECT wage_income FROM households_current WHERE household_id = '{household_id}' "
                       f"AND period = '{period}'")[0][0]


def test_corrections_supersede_by_rank_then_by_arrival(prefect_harness, tmp_path):
    inbox, _ = make_city(tmp_path)
    plain = inbox / f"{V1}_202003.csv"
    plain.write_bytes(csv_bytes([household(V1, 1, wage="100")]))
    (inbox / f"{V1}_202003_更正.csv").write_bytes(csv_bytes([household(V1, 1, wage="200")]))
    run_flow(tmp_path)
    assert wage_of(tmp_path, f"{V1}0001") == 200  # 更正 (rank 2) over plain
    (inbox / f"{V1}_202003_v3.csv").write_bytes(csv_bytes([household(V1, 1, wage="300")]))
    run_flow(tmp_path)
    assert wage_of(tmp_path, f"{V1}0001") == 300  # v3 over 更正
    (inbox / "later").mkdir()
    (inbox / "later" / f"{V1}_202003_v3.csv").write_bytes(csv_bytes([household(V1, 1, wage="350")]))
    run_flow(tmp_path)
    assert wage_of(tmp_path, f"{V1}0001") == 350  # equal rank: the one ingested later
    (inbox / f"{V1}_202003_v2.csv").write_bytes(csv_bytes([household(V1, 1, wage="999")]))
    run_flow(tmp_path)
    assert wage_of(tmp_path, f"{V1}0001") == 350  # a late v2 does not beat v3
    versions = query(tmp_path, f"SELECT count(*) FROM source_files WHERE village_code = '{V1}'")
    assert versions == [(5,)]  # every version stays in the history


def test_within_one_run_the_name_sorting_last_wins_and_rejected_files_do_not_supersede(prefect_harness, tmp_path):
    inbox, _ = make_city(tmp_path)
    (inbox / "a").mkdir()
    (inbox / "a" / f"{V1}_202003_v2.csv").write_bytes(csv_bytes([household(V1, 1, wage="2")]))
    (inbox / f"{V1}_202003_v2.xlsx").write_bytes(
        write_xlsx(tmp_path / "x.xlsx", [household(V1, 1, wage="3")]).read_bytes())
    (inbox / f"{V1}_202003_v9.csv").write_bytes(b"")  # unreadable: not a return
    (inbox / f"{V2}_202003.csv").write_bytes(csv_bytes([household(V2, 1, wage="5")]))
    (inbox / f"{V2}_202003_v2.csv").write_bytes(csv_bytes([household(V2, 1, wage="5")]))  # same bytes, other name
    run_flow(tmp_path)
    assert wage_of(tmp_path, f"{V1}0001") == 3  # "_v2.xlsx" sorts after "_v2.csv"
    listed = {(p["file"], p["code"]) for p in problems(tmp_path)}
    assert (f"{V1}_202003_v9.csv", "FILE_UNREADABLE") in listed
    names = query(tmp_path, f"SELECT file_name FROM source_files WHERE village_code = '{V2}' ORDER BY 1")
    assert names == [(f"{V2}_202003.csv",), (f"{V2}_202003_v2.csv",)]  # same bytes, two names: two versions


def test_superseded_files_problems_disappear(prefect_harness, tmp_path):
    inbox, _ = make_city(tmp_path)
    (inbox / f"{V1}_202003.csv").write_bytes(csv_bytes([household(V1, 1)], header=["户编号", "户主姓名"]))
    run_flow(tmp_path)
    assert [p["code"] for p in problems(tmp_path)] == ["FILE_MISSING_COLUMNS"]
    (inbox / f"{V1}_202003_v2.csv").write_bytes(csv_bytes([household(V1, 1)]))
    run_flow(tmp_path)
    assert problems(tmp_path) == []


def test_a_file_still_being_written_waits_for_the_next_run(prefect_harness, tmp_path, monkeypatch):
    inbox, _ = make_city(tmp_path)
    (inbox / f"{V1}_202003.csv").write_bytes(csv_bytes([household(V1, 1)]))
    monkeypatch.setenv("POVMON_SETTLE_SECONDS", "3600")
    summary = run_flow(tmp_path)
    assert (summary.files_new, summary.files_arriving) == (0, 1)
    old = time.time() - 7200
    os.utime(inbox / f"{V1}_202003.csv", (old, old))
    assert run_flow(tmp_path).files_new == 1
