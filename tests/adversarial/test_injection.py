"""Class 5: formula injection. Every character OWASP lists for CSV injection (= + - @ tab carriage return, and
their full-width forms) at the start of any exported cell is defused, whatever column it came from."""
from __future__ import annotations

import csv

from core import db
from core.settings import load_settings
from tests.support.returns import csv_bytes, household
from tests.support.hostile import V2, assert_night_survives, tiny_city

VILLAGE_NAME = "-1+1+cmd|' /C calc'!A0"

PAYLOADS = ["-1+1+cmd|' /C calc'!A0", "=1+1", "+1+1", "@SUM(1+1)", "\t=1+1", "\r=1+1", "＝1+1", "－1+1"]


def test_formula_starts_are_defused_in_every_export(prefect_harness, tmp_path):
    inbox = tiny_city(tmp_path)
    units = tmp_path / "reference" / "admin_units.csv"
    units.write_text(units.read_text(encoding="utf-8").replace(",一村,", f",{VILLAGE_NAME},"), encoding="utf-8")
    rows = [household(V2, n) for n in range(1, len(PAYLOADS) + 1)]
    for row, payload in zip(rows, PAYLOADS):
        row[0] = payload
    (inbox / f"{V2}_202003.csv").write_bytes(csv_bytes(rows))
    names = ["-1+1+cmd|' calc'!A0_202003.csv", "＝1+1.csv", "@1.csv", "\t=1.csv"]
    for name in names:
        (inbox / name).write_bytes(b"")
    found = assert_night_survives(tmp_path, {
        f"{V2}_202003.csv": ("ROW_HOUSEHOLD_ID", ""),
        **{"'" + name: ("FILE_NAME_INVALID", "文件名不符合") for name in names},
    }, good={f"{V2}_202003.csv"})
    exported = {p["household_id"] for p in found[f"{V2}_202003.csv"]}  # cleaned: no tab, NFKC, upper case
    assert exported == {"'-1+1+CMD|'/CCALC'!A0", "'=1+1", "'+1+1", "'@SUM(1+1)", "'-1+1"}
    assert_sample_lists_defused(tmp_path)


def assert_sample_lists_defused(root) -> None:
    """The spot-check lists (CSV and workbook) of the run's store show the hostile village name defused."""
    import fastexcel

    from tasks.sample.store import take_sample

    with db.connect(root / "db.duckdb") as con:
        take_sample(con, load_settings().spot_check, 1, None, "430521", root / "out" / "exports" / "sample")
    listed = root / "out" / "exports" / "sample" / "430521"
    rows = list(csv.DictReader(listed.with_suffix(".csv").read_text(encoding="utf-8-sig").splitlines()))
    assert rows and all(r["village_name"] == "'" + VILLAGE_NAME for r in rows if r["village_code"] != V2)
    sheet = fastexcel.read_excel(listed.with_suffix(".xlsx").read_bytes()).load_sheet(0).to_polars()
    assert set(sheet["村"].to_list()) == {"'" + VILLAGE_NAME}
