"""Audit a demo folder's pages and exports against its store: every figure recomputed from the DuckDB tables.

    PYTHONPATH=. python benchmarks/audit_pages.py DEMO_DIR [DEMO_DIR ...]

Each folder is a `povmon demo --dir` folder (out/ and data/povmon.duckdb), or any folder whose store is
data/povmon.duckdb and outputs out/. The checks are tests/support/page_audit.py's (tests/test_pages_true_to_store.py
runs them on a small city through the nightly flow): the cards and their changes from last month, the township,
village, signal, ledger and department tables, the charts' data, the lists, the city page, every export and its
.xlsx twin, the case workbooks (when exported as of the day the ledger was judged), the spot-check lists, and the
masking of every name and ID. Prints one line per difference, then what was compared; exits 1 when anything differs."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.page_audit import Audit  # noqa: E402


def main(folders: list[str]) -> int:
    """Audit each folder; 1 when any differs."""
    differs = False
    for folder in map(Path, folders):
        audit = Audit(folder / "data" / "povmon.duckdb", folder / "out")
        found = audit.run()
        for line in found:
            print(f"{folder}: {line}")
        compared = ", ".join(f"{name} {count}" for name, count in sorted(audit.checked.items()))
        print(f"{folder}: as of {audit.period}, {len(found)} differences; compared: {compared}")
        differs = differs or bool(found)
    return 1 if differs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
