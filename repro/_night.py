"""Shared by the repro scripts: a tiny city (tests/support/returns.UNITS), the given workbooks in its inbox, one
`povmon run` of this clone, then what problems.csv and the database say about them."""
from __future__ import annotations

import csv
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb

CLONE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(CLONE))
from tests.support.returns import make_city  # noqa: E402


def run_night(build, as_of: str = "202003") -> tuple[list[dict], list[tuple]]:
    """build(inbox) writes the files; returns problems.csv's rows and return_rows (file, row, id, head id, amounts)."""
    root = Path(tempfile.mkdtemp(prefix="povmon-repro-"))
    inbox, reference = make_city(root)
    build(inbox)
    env = dict(os.environ, PYTHONPATH=str(CLONE), POVMON_SETTLE_SECONDS="0")
    subprocess.run([sys.executable, "-m", "povmon.cli", "run", "--inbox", str(inbox), "--reference", str(reference),
                    "--db", str(root / "p.duckdb"), "--out", str(root / "out"), "--as-of", as_of,
                    "--today", "2020-04-10", "--quiet"], env=env, check=True, cwd=root, stdout=subprocess.DEVNULL)
    with open(root / "out/exports/problems.csv", encoding="utf-8-sig") as f:
        problems = list(csv.DictReader(f))
    con = duckdb.connect(str(root / "p.duckdb"), read_only=True)
    rows = con.sql("""SELECT f.file_name, r.source_row, r.household_id, r.head_id_number, r.wage_income,
                      r.property_income, r.transfer_income, r.is_quarantined
                      FROM return_rows r JOIN source_files f USING (file_id) ORDER BY 1, 2""").fetchall()
    return problems, rows
