"""Shared helpers for the h3 repro scripts: a tiny city, runs of the real nightly flow in this process (one
Prefect test harness), `povmon cases` through the real command line, and SQL on the store."""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HERE))
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="h3-prefect-"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "ERROR")
os.environ["POVMON_SETTLE_SECONDS"] = "0"

import duckdb  # noqa: E402

from tests.support.departments import RETURN_HEADER, DEPT_HEADER, id_number, ret_row, table_csv, dept_row  # noqa
from tests.support.returns import make_city  # noqa: E402

V1 = "430521001001"


def fresh(root: str | Path) -> Path:
    """An empty city folder (inbox, reference with two counties)."""
    root = Path(root)
    shutil.rmtree(root, ignore_errors=True)
    make_city(root)
    return root


def settings(root: Path, toml: str | None = None):
    from core.settings import load_settings
    path = None
    if toml:
        path = root / "povmon.toml"
        path.write_text(toml, encoding="utf-8")
    return load_settings(path).with_paths(inbox=root / "inbox", reference=root / "reference",
                                          db=root / "db.duckdb", out=root / "out")


def run(root: Path, today: str, as_of: str | None = None, toml: str | None = None):
    from flows.nightly import nightly
    return nightly(settings=settings(root, toml), as_of=as_of, today=today)


def cli(root: Path, *args: str) -> int:
    from povmon.cli import main
    extra = ["--settings", str(root / "povmon.toml")] if (root / "povmon.toml").exists() else []
    return main([*args, "--db", str(root / "db.duckdb"), "--out", str(root / "out"), *extra])


def q(root: Path, sql: str, params=None):
    with duckdb.connect(str(root / "db.duckdb"), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def returns(root: Path, village: str, period: str, rows: list[list[str]], suffix: str = "") -> None:
    (root / "inbox" / f"{village}_{period}{suffix}.csv").write_bytes(table_csv(RETURN_HEADER, rows))


def dept(root: Path, department: str, period: str, rows: list[list[str]], suffix: str = "") -> None:
    d = root / "inbox" / "departments"
    d.mkdir(exist_ok=True)
    (d / f"dept_{department}_{period}{suffix}.csv").write_bytes(table_csv(DEPT_HEADER, rows))


def harness():
    from prefect.testing.utilities import prefect_test_harness
    return prefect_test_harness(server_startup_timeout=180)


def fill(root: Path, county: str, decisions: dict[str, tuple], name: str = "filled.xlsx") -> Path:
    from tests.support.cases_store import fill_workbook
    target = root / name
    fill_workbook(root / "out" / "exports" / "cases" / f"{county}.xlsx", target, decisions)
    return target
