"""Reruns: the same flow with a narrower scope, re-reading known files; an unchanged rerun changes nothing."""
from __future__ import annotations

from tests.support.returns import UNITS, csv_bytes, household, make_city
from tests.support.runs import problems, query, run_flow, run_rerun

V1, V2 = "430521001001", "430521001002"


def rerun(root, **scope):
    """One rerun over root's city."""
    return run_rerun(root, **scope)


def test_unchanged_rerun_rereads_but_changes_no_export(prefect_harness, tmp_path):
    inbox, _ = make_city(tmp_path)
    for period in ("202002", "202003"):
        (inbox / f"{V1}_{period}.csv").write_bytes(csv_bytes([household(V1, 1), household(V1, 2)]))
        (inbox / f"{V2}_{period}.csv").write_bytes(csv_bytes([household(V2, 1)]))
    run_flow(tmp_path)
    before = {p.name: p.read_bytes() for p in (tmp_path / "out" / "exports").iterdir()}
    table_counts = "SELECT (SELECT count(*) FROM source_files), (SELECT count(*) FROM return_rows)"
    counts = query(tmp_path, table_counts)
    summary = rerun(tmp_path, village=V1)
    assert (summary.files_reread, summary.files_new) == (2, 0)
    assert rerun(tmp_path, county="430521", period="202003").files_reread == 2
    assert {p.name: p.read_bytes() for p in (tmp_path / "out" / "exports").iterdir()} == before
    assert query(tmp_path, table_counts) == counts
    assert query(tmp_path, "SELECT kind, scope FROM runs ORDER BY run_id")[1:] == [
        ("rerun", f"village={V1}"), ("rerun", "county=430521 period=202003")]


def test_rerun_after_the_reference_list_is_corrected_loads_the_village(prefect_harness, tmp_path):
    inbox, reference = make_city(tmp_path)
    new_village = "430521001003"
    (inbox / f"{new_village}_202003.csv").write_bytes(csv_bytes([household(new_village, 1)]))
    run_flow(tmp_path)
    assert [p["code"] for p in problems(tmp_path)] == ["FILE_UNKNOWN_VILLAGE"]
    (reference / "admin_units.csv").write_text(UNITS + f"{new_village},三村,village,430521001,0\n", encoding="utf-8")
    assert run_flow(tmp_path).files_new == 0  # a nightly run does not re-read a known file
    rerun(tmp_path, village=new_village)
    assert problems(tmp_path) == []
    assert query(tmp_path, f"SELECT count(*) FROM households_current WHERE village_code = '{new_village}'") == [(1,)]
    assert query(tmp_path, "SELECT count(*) FROM source_files") == [(1,)]  # re-read in place, not duplicated
