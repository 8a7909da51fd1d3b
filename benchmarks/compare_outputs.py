"""Compare two runs' outputs: exports byte for byte, pages with run times blanked, every database table's rows.

    python benchmarks/compare_outputs.py DEMO_DIR_BEFORE DEMO_DIR_AFTER

Each folder is a `povmon demo --dir` folder (out/ and data/povmon.duckdb). Prints one line per difference and a
summary; exits 1 when anything differs. Timestamps (columns of a time type, and "YYYY-MM-DD HH:MM" in pages) are
when the run happened, not what it found, so they are left out."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import duckdb

RUN_TIME = re.compile(rb"\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?")
TIME_TYPES = ("TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIME", "DATE")


def compare_files(before: Path, after: Path) -> list[str]:
    """Differences between the exports (bytes) and pages (bytes with run times blanked) of two out/ folders."""
    found = []
    names = sorted({p.relative_to(before) for p in before.rglob("*") if p.is_file()}
                   | {p.relative_to(after) for p in after.rglob("*") if p.is_file()})
    for name in names:
        a, b = before / name, after / name
        if not (a.exists() and b.exists()):
            found.append(f"only in {'after' if b.exists() else 'before'}: {name}")
            continue
        data_a, data_b = a.read_bytes(), b.read_bytes()
        if name.suffix == ".html":
            data_a, data_b = RUN_TIME.sub(b"T", data_a), RUN_TIME.sub(b"T", data_b)
        if data_a != data_b:
            found.append(f"differs: {name}")
    return found


def table_rows(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple]:
    """A table's rows, time columns left out, sorted (as text, so any mix of types sorts)."""
    columns = [name for name, kind in con.execute(  # pid: which process ran it, not what it found
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
        [table]).fetchall() if kind not in TIME_TYPES and name != "pid"]
    quoted = ", ".join(f'"{c}"' for c in columns)
    return sorted((tuple(map(str, row)) for row in con.execute(f'SELECT {quoted} FROM "{table}"').fetchall()))


def compare_stores(before: Path, after: Path) -> tuple[list[str], int]:
    """Differences between the tables and views of two stores, and how many tables were compared."""
    found = []
    with duckdb.connect(str(before), read_only=True) as a, duckdb.connect(str(after), read_only=True) as b:
        list_tables = "SELECT table_name FROM information_schema.tables ORDER BY 1"
        tables_a = {r[0] for r in a.execute(list_tables).fetchall()}
        tables_b = {r[0] for r in b.execute(list_tables).fetchall()}
        for table in sorted(tables_a ^ tables_b):
            found.append(f"table only in {'before' if table in tables_a else 'after'}: {table}")
        for table in sorted(tables_a & tables_b):
            rows_a, rows_b = table_rows(a, table), table_rows(b, table)
            if rows_a != rows_b:
                found.append(f"table differs: {table} ({len(rows_a)} rows before, {len(rows_b)} after)")
        return found, len(tables_a & tables_b)


def main(argv: list[str]) -> int:
    """Compare the two folders named on the command line."""
    before, after = Path(argv[0]), Path(argv[1])
    found = compare_files(before / "out", after / "out")
    files = sum(1 for p in (before / "out").rglob("*") if p.is_file())
    store_found, tables = compare_stores(before / "data" / "povmon.duckdb", after / "data" / "povmon.duckdb")
    for line in found + store_found:
        print(line)
    print(f"compared {files} output files and {tables} tables/views: {len(found) + len(store_found)} differences")
    return 1 if found or store_found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
