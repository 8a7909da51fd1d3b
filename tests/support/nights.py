"""Nights in sequence against one rebuild: a store kept by runs night after night compared with the store one run
over the same final inbox gives on a fresh database (its derived tables, run ids and ingest order left out)."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from core.income_year import period_of
from tests.support.returns import csv_bytes

# columns that only say which run or delivery made a row, or when: they differ by construction
ORDER_COLUMNS = {"run_id", "ingest_run_id", "history_run_id", "file_id", "delivery_id", "last_delivery_id",
                 "unit_key"}
VILLAGE, OTHER_VILLAGE = "430521001001", "430521001002"


def return_row(village: str, seq: int, wage: float, household_type: str = "脱贫户") -> list[str]:
    """A row of the contract's required columns: a household of three with the given year-to-date wage."""
    return [f"{village}{seq:04d}", "张三", "11010519491231002X", "3", "1", household_type, f"{wage:g}", "300", "",
            "150", "100"]


def send(root: Path, village: str, period: str, rows: list[list[str]], mark: str = "") -> Path:
    """Write a village's return for a month (a correction when mark is `_v2`, `_更正`) into root's inbox."""
    path = root / "inbox" / f"{village}_{period}{mark}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(csv_bytes(rows))
    return path


def fresh_copy(root: Path, fresh: Path) -> Path:
    """A new city folder holding root's inbox and reference list as they are now (no store); returns it."""
    shutil.copytree(root / "inbox", fresh / "inbox")
    shutil.copytree(root / "reference", fresh / "reference")
    return fresh


def differences(kept: Path, fresh: Path, table: str, where: str = "true") -> tuple[list[tuple], list[tuple]]:
    """The rows of a table only the kept store holds and those only the fresh one holds (ORDER_COLUMNS and
    timestamps left out; where: a filter on the rows compared, our tests' own text)."""
    con = duckdb.connect()
    try:
        # ATTACH takes no bound parameters: the paths are the test's temporary folders
        con.execute(f"ATTACH '{kept}' AS kept (READ_ONLY)").fetchall()
        con.execute(f"ATTACH '{fresh}' AS fresh (READ_ONLY)").fetchall()
        names = [name for (name,) in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE database_name = 'kept' AND table_name = ? "
            "ORDER BY column_index", [table]).fetchall()]
        columns = ", ".join(f'"{name}"' for name in names if name not in ORDER_COLUMNS and not name.endswith("_at"))
        only = [con.execute(f"SELECT {columns} FROM {a}.{table} WHERE {where} EXCEPT ALL "
                            f"SELECT {columns} FROM {b}.{table} WHERE {where} ORDER BY ALL").fetchall()
                for a, b in (("kept", "fresh"), ("fresh", "kept"))]
        return only[0], only[1]
    finally:
        con.close()


def monthly_returns(root: Path, income_year: int, months, wages: dict[str, float],
                    left_out: set[tuple[str, str]] = frozenset(), villages: set[str] | None = None) -> None:
    """Each village's return (of villages, default all) for months of an income year: wages maps a household's id
    to its monthly wage (its year to date grows by it each month); left_out: (household id, period) pairs a return
    leaves out."""
    for month in months:
        period = period_of(income_year, month)
        for village in sorted(villages or {household[:12] for household in wages}):
            rows = [return_row(village, int(household[12:]), wage * month) for household, wage in sorted(wages.items())
                    if household.startswith(village) and (household, period) not in left_out]
            send(root, village, period, rows)
