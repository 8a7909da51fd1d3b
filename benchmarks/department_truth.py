"""Planted vs found per department finding of a synthetic city: truth/department_findings.csv against a store's
department_findings (keyed as tests/test_department_city.py keys them).
Usage: python benchmarks/department_truth.py TRUTH_CSV DB   (e.g. demo/truth/department_findings.csv
demo/data/povmon.duckdb after `make demo`)"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.test_department_city import found_findings  # noqa: E402


def main(argv: list[str]) -> int:
    """Print planted, found and matched per finding code; exit 1 when any differs."""
    truth_csv, db = argv
    with open(truth_csv, encoding="utf-8-sig", newline="") as handle:
        truth = {tuple(row.values()) for row in csv.DictReader(handle)}
    with duckdb.connect(db, read_only=True) as con:
        found = found_findings(con)
    for code in sorted({t[0] for t in truth | found}):
        planted, seen = {t for t in truth if t[0] == code}, {t for t in found if t[0] == code}
        print(f"{code:13} planted {len(planted):5} found {len(seen):5} matched {len(planted & seen):5}")
    return int(truth != found)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
