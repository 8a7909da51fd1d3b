"""Blank optional cells are unknown, not a value (village-return.md: "not unsafe, not 0"): a household whose
劳动力人数 is blank is not read as having labour, so its suggested measure keeps 兜底保障 open; blank 住房安全,
饮水安全 and 参保人数 make no guarantee gap. Through the real nightly flow and flags.csv."""
from __future__ import annotations

import csv

from tests.support.departments import RETURN_HEADER, id_number, ret_row, table_csv
from tests.support.returns import make_city
from tests.support.runs import run_nightly

V = "430521001001"


def flag_rows(root) -> dict[str, dict]:
    """flags.csv by household."""
    text = (root / "out/exports/flags.csv").read_bytes().decode("utf-8-sig")
    return {r["household_id"]: r for r in csv.DictReader(text.splitlines())}


def below_line(seq: int, labour: str, **guarantees) -> list[str]:
    """A household far below the line (3 people, a few hundred yuan by March) with this 劳动力人数 cell."""
    row = ret_row(V, seq, id_number(seq), kind="监测户", wage=600, **guarantees)
    row[4] = labour
    return row


def test_a_blank_labour_count_keeps_the_guarantee_open(prefect_harness, tmp_path):
    inbox, _ = make_city(tmp_path)
    rows = [below_line(1, ""), below_line(2, "0"), below_line(3, "2")]
    (inbox / f"{V}_202003.csv").write_bytes(table_csv(RETURN_HEADER, rows))
    run_nightly(tmp_path, as_of="202003", today="2020-04-03")
    flags = flag_rows(tmp_path)
    assert {h: r["flags"] for h, r in flags.items()} == {f"{V}000{n}": "BELOW_LINE" for n in (1, 2, 3)}
    assert flags[f"{V}0002"]["suggested_measure"] == "兜底保障（纳入低保或扩面）"  # no labour
    assert flags[f"{V}0003"]["suggested_measure"] == "公益岗位"                    # labour
    unknown = flags[f"{V}0001"]["suggested_measure"]  # unknown: either, after a visit
    assert unknown == "兜底保障或公益岗位（劳动力人数未填，入户核实后确定）"


def test_blank_guarantee_cells_are_no_gap(prefect_harness, tmp_path):
    inbox, _ = make_city(tmp_path)
    rich = ret_row(V, 1, id_number(1), kind="监测户", housing="", water="", insured=0)
    rich[-1] = ""  # 参加基本医疗保险人数 blank
    poor = ret_row(V, 2, id_number(2), kind="监测户", housing="否", water="否", insured=1)
    (inbox / f"{V}_202003.csv").write_bytes(table_csv(RETURN_HEADER, [rich, poor]))
    run_nightly(tmp_path, as_of="202003", today="2020-04-03")
    flags = flag_rows(tmp_path)
    assert f"{V}0001" not in flags
    assert flags[f"{V}0002"]["flags"] == "GUARANTEE_GAP"
    assert flags[f"{V}0002"]["suggested_measure"] == "危房改造、饮水改造"
