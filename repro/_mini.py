"""A tiny city for the repros: a reference list, village returns written as CSV, `povmon run` as a user runs it."""
from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]
PYTHON = "/work/main/.venv/bin/python"
HEADER = ["户编号", "户主姓名", "户主身份证号", "家庭人口数", "劳动力人数", "户类型", "工资性收入", "生产经营性收入",
          "财产性收入", "转移性收入", "生产经营性支出"]


def id_number(county: str, seq: int) -> str:
    """A valid GB 11643 ID born 1970-01-01 in the county."""
    body = f"{county}19700101{seq % 1000:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]


def fresh(path: str | Path) -> Path:
    """An empty folder for a city."""
    city = Path(path)
    shutil.rmtree(city, ignore_errors=True)
    (city / "inbox").mkdir(parents=True)
    (city / "reference").mkdir()
    return city


def reference(city: Path, rows: list[tuple[str, str, str, str, str]]) -> None:
    """Write admin_units.csv from (code, name, level, parent_code, management_area) rows."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["code", "name", "level", "parent_code", "management_area"])
    writer.writerows(rows)
    (city / "reference" / "admin_units.csv").write_text(buf.getvalue(), encoding="utf-8")


def units_for(villages: list[str], names: dict[str, str] | None = None) -> list[tuple[str, str, str, str, str]]:
    """A reference list holding these villages, their townships and counties."""
    names = names or {}
    rows, seen = [], set()
    for v in villages:
        for code, level, parent in ((v[:6], "county", ""), (v[:9], "township", v[:6]), (v, "village", v[:9])):
            if code not in seen:
                seen.add(code)
                rows.append((code, names.get(code, f"单位{code[-3:]}"), level, parent, "0"))
    return rows


def household_rows(village: str, period: str, count: int = 6, scale: float = 1.0) -> list[list[str]]:
    """`count` plain households of a village, amounts year to date through the period."""
    month = int(period[4:])
    k = month - 9 if month >= 10 else month + 3
    return [[f"{village}{i:04d}", f"王{i}", id_number(village[:6], i), "3", "2", "脱贫户",
             f"{800 * k * scale:.2f}", f"{300 * k * scale:.2f}", "0", f"{100 * k * scale:.2f}", f"{50 * k:.2f}"]
            for i in range(1, count + 1)]


def write_return(city: Path, rel: str, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    """A CSV return at inbox/rel, dated an hour ago (settled)."""
    path = city / "inbox" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    past = time.time() - 3600
    os.utime(path, (past, past))
    return path


def run(city: Path, today: str, *extra: str, command: str = "run") -> subprocess.CompletedProcess:
    """`povmon run` (or rerun) on the city, as a user types it."""
    args = [PYTHON, "-m", "povmon.cli", command, "--inbox", "inbox", "--reference", "reference",
            "--db", "data/povmon.duckdb", "--out", "out", "--today", today, "--quiet", *extra]
    env = dict(os.environ, PYTHONPATH=str(REPO))
    done = subprocess.run(args, cwd=city, env=env, capture_output=True, text=True)
    print(f"$ povmon {command} --today {today} {' '.join(extra)} -> exit {done.returncode}: "
          f"{(done.stdout.splitlines() or [''])[0]}{done.stderr.strip()[-300:]}", file=sys.stderr)
    return done


def query(city: Path, sql: str, params=None) -> list[tuple]:
    """Rows of a query on the city's store (read only)."""
    with duckdb.connect(str(city / "data" / "povmon.duckdb"), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()
