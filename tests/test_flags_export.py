"""flags.csv and village_signals.csv exactly as interface.md defines them, masked, stable across reruns."""
from __future__ import annotations

import csv

from tasks.report.exports import write_exports
from tests.support.store_builder import VILLAGE, build_store, linear_year, rebuild_marts, settings_with

FLAGS_HEADER = ("county_code,township_code,village_code,household_id,head_name_masked,head_id_masked,household_type,"
                "household_size,period,projected_per_capita,flags,reasons,suggested_measure")
SILENT = "430521100009"


def build():
    """Three households in March 2020 (one below the line, one near it, one clear) and a silent village."""
    rows = linear_year(f"{VILLAGE}0002", 2020, 6, wage=12000.0, head_name="李四", household_type="监测户", labor_count=0,
                       risk_causes="因病")
    rows += linear_year(f"{VILLAGE}0001", 2020, 6, wage=20000.0, head_name="王五", household_type="边缘户",
                        head_id_number="43052119900101123X")
    rows += linear_year(f"{VILLAGE}0003", 2020, 6, wage=90000.0, household_type="监测户")
    return build_store(rows, villages=[SILENT])


def read(path) -> list[dict]:
    """An export as dicts, checking the BOM."""
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(data.decode("utf-8-sig").splitlines()))


def test_flags_csv_columns_masking_and_order(tmp_path):
    con = build()
    rebuild_marts(con, settings_with(), "202003")
    written = write_exports(con, tmp_path, "202003")
    assert written["flags"].read_bytes().decode("utf-8-sig").splitlines()[0] == FLAGS_HEADER
    rows = read(written["flags"])
    assert [r["household_id"] for r in rows] == [f"{VILLAGE}0001", f"{VILLAGE}0002"]
    near, below = rows
    assert (below["head_name_masked"], below["head_id_masked"]) == ("李*", "430521********1234")
    assert near["head_id_masked"] == "430521********123X"
    # no history in the store: the settings' default share of wages by March (52 %) applies
    assert (below["period"], below["projected_per_capita"], below["flags"]) == ("202003", "2884.62", "BELOW_LINE")
    assert below["suggested_measure"] == "医疗救助、兜底保障（纳入低保或扩面）"  # policy.md: 因病 first
    assert (near["projected_per_capita"], near["flags"], near["suggested_measure"]) == ("4807.69", "NEAR_LINE", "持续监测")
    assert near["reasons"].startswith("【临界边缘】预计全年人均纯收入4807.69元")
    assert "王五" not in written["flags"].read_text(encoding="utf-8-sig")


def test_village_signals_csv_and_byte_identical_rerun(tmp_path):
    con = build()
    rebuild_marts(con, settings_with(), "202003")
    first = write_exports(con, tmp_path, "202003")
    signals = read(first["village_signals"])
    assert list(signals[0]) == ["county_code", "village_code", "period", "code", "detail"]
    assert [(s["village_code"], s["code"]) for s in signals] == [(SILENT, "MISSING_RETURN")]
    before = {name: path.read_bytes() for name, path in first.items()}
    rebuild_marts(con, settings_with(), "202003")
    again = write_exports(con, tmp_path, "202003")
    assert {name: path.read_bytes() for name, path in again.items()} == before


def test_without_an_as_of_month_the_flags_and_signals_are_written_with_no_row(tmp_path):
    """A first run before any return arrived has no as-of month: flags.csv and village_signals.csv (and their
    twins) are there all the same, a header and no row, as interface.md lists them."""
    con = build()
    rebuild_marts(con, settings_with(), "202003")
    written = write_exports(con, tmp_path, None)
    assert written["flags"].read_bytes().decode("utf-8-sig").splitlines() == [FLAGS_HEADER]
    assert len(written["village_signals"].read_bytes().decode("utf-8-sig").splitlines()) == 1
    assert {"flags_xlsx", "village_signals_xlsx"} <= set(written)
