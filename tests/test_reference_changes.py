"""A city's reference list changes between nights: the returns it names are read as a store rebuilt with it reads them."""
from __future__ import annotations

from povmon.cli import print_summary
from tests.support.returns import UNITS, csv_bytes, household, make_city
from tests.support.runs import problems, query, run_nightly

V1, NEW = "430521001001", "430521001003"


def test_a_return_sent_the_night_before_its_village_is_listed_is_loaded_once_it_is(prefect_harness, tmp_path, capsys):
    """FILE_UNKNOWN_VILLAGE stands only while the list lacks the village: the next night reads the file again."""
    inbox, reference = make_city(tmp_path)
    (inbox / f"{V1}_202003.csv").write_bytes(csv_bytes([household(V1, 1)]))
    (inbox / f"{NEW}_202003.csv").write_bytes(csv_bytes([household(NEW, 1), household(NEW, 2)]))
    run_nightly(tmp_path, today="2020-04-06")
    assert [p["code"] for p in problems(tmp_path)] == ["FILE_UNKNOWN_VILLAGE"]
    (reference / "admin_units.csv").write_text(UNITS + f"{NEW},三村,village,430521001,0\n", encoding="utf-8")
    summary = run_nightly(tmp_path, today="2020-04-07")
    assert problems(tmp_path) == []
    print_summary(summary, 1.0)  # the night's line adds up: the file read again is said beside the new ones
    assert "0 new files and 1 read again (1 loaded, 0 rejected)" in capsys.readouterr().out
    assert query(tmp_path, f"SELECT status FROM source_files WHERE village_code = '{NEW}'") == [("loaded",)]
    assert query(tmp_path, f"SELECT count(*) FROM household_status WHERE village_code = '{NEW}'") == [(2,)]
