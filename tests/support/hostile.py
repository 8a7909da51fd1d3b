"""A tiny city for the adversarial suite, and the checks every hostile night must pass: the run completes,
the hostile file has its code and reason, every good file loaded, no full ID or name anywhere, a next run works."""
from __future__ import annotations

from pathlib import Path

import duckdb

from tests.support.returns import csv_bytes, household, make_city, write_xlsx
from tests.support.runs import problems, run_nightly

V1, V2, V3 = "430521001001", "430521001002", "430522001001"
FULL_ID = "11010519491231002X"  # the ID every household of tests.support.returns carries
FULL_NAME = "欧阳娜娜"
GOOD_FILES = {f"{V1}_202003.csv", f"{V3}_202003.xlsx"}


def tiny_city(root: Path) -> Path:
    """An inbox holding the batch's good files (a CSV of two households, a workbook of two); returns the inbox."""
    inbox, _ = make_city(root)
    (inbox / "430521").mkdir(exist_ok=True)
    rows = [household(V1, 1, name=FULL_NAME), household(V1, 2, name=FULL_NAME)]
    (inbox / "430521" / f"{V1}_202003.csv").write_bytes(csv_bytes(rows, "gb18030"))
    write_xlsx(inbox / "430522" / f"{V3}_202003.xlsx", [household(V3, 1, name=FULL_NAME), household(V3, 2)])
    return inbox


def query(root: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Rows of a query on the store (read-only)."""
    with duckdb.connect(str(root / "db.duckdb"), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def outputs_text(root: Path) -> str:
    """Every output povmon wrote (exports, pages), as text."""
    return "\n".join(p.read_bytes().decode("utf-8", "replace") for p in sorted((root / "out").rglob("*"))
                     if p.is_file() and p.suffix in (".csv", ".html"))


def assert_no_personal_data(root: Path, *secrets: str) -> None:
    """No output holds a full ID number or a full name (the builders' own, and any given)."""
    text = outputs_text(root)
    for secret in (FULL_ID, FULL_NAME, *secrets):
        assert secret not in text, f"{secret} shown in full"


def assert_night_survives(root: Path, expected: dict[str, tuple[str, str]], good: set[str] = GOOD_FILES,
                          secrets: tuple[str, ...] = ()) -> dict[str, list[dict]]:
    """Run the night and check what every hostile night must give: each hostile file (name -> (code, part of
    the reason)) has its problem, the good files loaded, nothing personal shown, and the next night completes.
    Returns each hostile file's problems."""
    first = run_nightly(root)
    listed = problems(root)
    found = {}
    for name, (code, reason) in expected.items():
        found[name] = [p for p in listed if p["file"] == name and p["code"] == code]
        assert any(reason in p["detail"] for p in found[name]), f"{name}: no {code} '{reason}' in {listed}"
    loaded = {name for (name,) in query(root, "SELECT file_name FROM source_files WHERE status = 'loaded'")}
    assert good <= loaded, f"not loaded: {good - loaded}"
    assert_no_personal_data(root, *secrets)
    second = run_nightly(root)  # the store still opens, and nothing the files said stops the next night
    assert second.run_id > first.run_id
    assert query(root, "SELECT status FROM runs ORDER BY run_id DESC LIMIT 1") == [("completed",)]
    return found
