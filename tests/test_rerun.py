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


V3 = "430522001001"  # a village of the other county


def page(root, county: str) -> str:
    """A county page's HTML."""
    return (root / "out" / "reports" / f"{county}.html").read_text(encoding="utf-8")


def test_a_rerun_renders_the_page_of_another_county_whose_correction_it_read(prefect_harness, tmp_path):
    inbox, _ = make_city(tmp_path)
    (inbox / f"{V1}_202003.csv").write_bytes(csv_bytes([household(V1, 1)]))
    (inbox / f"{V3}_202003.csv").write_bytes(csv_bytes([household(V3, 1)]))
    run_flow(tmp_path)
    poor = household(V3, 2, wage="0")
    poor[7] = poor[9] = "0"
    (inbox / f"{V3}_202003_更正.csv").write_bytes(csv_bytes([household(V3, 1), poor]))
    assert rerun(tmp_path, village=V1).files_new == 1  # the rerun reads every new delivery
    flagged = query(tmp_path, f"SELECT flags FROM household_status WHERE household_id = '{poor[0]}'")
    assert "BELOW_LINE" in flagged[0][0]
    assert poor[0] in page(tmp_path, "430522")  # the other county's page shows what flags.csv holds


def test_a_rerun_that_moves_the_as_of_month_renders_every_page(prefect_harness, tmp_path):
    inbox, _ = make_city(tmp_path)
    (inbox / f"{V1}_202003.csv").write_bytes(csv_bytes([household(V1, 1)]))
    (inbox / f"{V3}_202003.csv").write_bytes(csv_bytes([household(V3, 1)]))
    run_flow(tmp_path)
    (inbox / f"{V1}_202004.csv").write_bytes(csv_bytes([household(V1, 1, wage="1500")]))
    assert rerun(tmp_path, village=V1).as_of == "202004"
    assert "数据截至 <b>2020年4月" in page(tmp_path, "430522")  # as the city page and the exports
