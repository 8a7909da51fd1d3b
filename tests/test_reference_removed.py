"""A village taken off the reference list (admin_units.csv) between nights: its returns are read again as a store
rebuilt with the new list reads them, refused as FILE_UNKNOWN_VILLAGE (named in problems.csv and on the county
page), so its households are no longer counted in the county nor flagged there. Its cases are kept as they are: an
edit of the list is no correction (a DATA_ERRORS case is not closed as 已收到无错误的更正文件)."""
from __future__ import annotations

import csv

from tests.support.returns import UNITS, csv_bytes, household, make_city
from tests.support.runs import problems, query, run_nightly

V1, V2 = "430521001001", "430521001002"


def exported(root, name: str) -> list[dict]:
    """An export's rows."""
    return list(csv.DictReader((root / "out/exports" / name).read_bytes().decode("utf-8-sig").splitlines()))


def test_a_village_taken_off_the_list_is_refused_and_named_its_cases_kept(prefect_harness, tmp_path):
    inbox, reference = make_city(tmp_path)
    (inbox / f"{V1}_202003.csv").write_bytes(csv_bytes([household(V1, 1, wage="90000")]))
    (inbox / f"{V2}_202003.csv").write_bytes(csv_bytes([household(V2, 1, wage="100"), household(V2, 2, size="三")]))
    run_nightly(tmp_path, as_of="202003", today="2020-04-05")
    assert [r["household_id"] for r in exported(tmp_path, "flags.csv")] == [f"{V2}0001"]
    opened = sorted((c["kind"], c["village_code"], c["status"]) for c in exported(tmp_path, "cases.csv"))
    (reference / "admin_units.csv").write_text(UNITS.replace(f"{V2},二村,village,430521001,0\n", ""), encoding="utf-8")
    run_nightly(tmp_path, as_of="202003", today="2020-04-06")
    assert exported(tmp_path, "flags.csv") == []
    assert [(p["file"], p["code"]) for p in problems(tmp_path)] == [(f"{V2}_202003.csv", "FILE_UNKNOWN_VILLAGE")]
    assert query(tmp_path, f"SELECT count(*) FROM household_status WHERE village_code = '{V2}'") == [(0,)]
    assert sorted((c["kind"], c["village_code"], c["status"]) for c in exported(tmp_path, "cases.csv")) == opened
    assert ("DATA_ERRORS", V2, "open") in opened and ("BELOW_LINE", V2, "open") in opened
    assert f"{V2}_202003.csv" in (tmp_path / "out/reports/430521.html").read_text(encoding="utf-8")
