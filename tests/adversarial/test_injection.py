"""Class 5: formula injection. Every character OWASP lists for CSV injection (= + - @ tab carriage return, and
their full-width forms) at the start of any exported cell is defused, whatever column it came from."""
from __future__ import annotations

from tests.support.returns import csv_bytes, household
from tests.support.hostile import V2, assert_night_survives, tiny_city

PAYLOADS = ["-1+1+cmd|' /C calc'!A0", "=1+1", "+1+1", "@SUM(1+1)", "\t=1+1", "\r=1+1", "＝1+1", "－1+1"]


def test_formula_starts_are_defused_in_every_export(prefect_harness, tmp_path):
    inbox = tiny_city(tmp_path)
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
