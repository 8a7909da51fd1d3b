"""The refused rows of `cases import` are logged in the raw store (case_import_refusals.jsonl): a store rebuilt
(database deleted, raw store kept) lists the same refused rows on its county page, and a row refused then is
checked against the same recorded reasons."""
from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from tests.support.ledger_commands import V1, deliver, povmon, rebuilt, run, workbook
from tests.support.returns import make_city

pytestmark = pytest.mark.slow  # runs of the real command in processes of their own


def refused_section(city: Path) -> str:
    """The county page's list of refused import rows, as the last run rendered it."""
    page = (city / "out" / "reports" / "430521.html").read_text(encoding="utf-8")
    found = re.search(r"<h3>退回修改的填报.*?</table>", page, re.S)
    return found[0] if found else ""


def refusals(city: Path) -> list[tuple]:
    """The store's refused import rows."""
    with duckdb.connect(str(city / "db.duckdb"), read_only=True) as con:
        return con.execute("SELECT * FROM case_import_refusals ORDER BY ALL").fetchall()


def test_a_rebuilt_store_lists_the_same_refused_import_rows(tmp_path):
    """A workbook with a row missing its 核查人 (CASE_ACTOR) and one good row: after a rebuild the county page lists
    the refused row as before, and the same file imported again refuses it again, for the same reason, adding none."""
    make_city(tmp_path)
    deliver(tmp_path, f"{V1}_202002.csv", (1, "1200"), (2, "900"))
    run(tmp_path, "2020-03-05")
    filled = workbook(tmp_path, "filled.xlsx", "2020-03-10", {1: ("属实", "公益岗位", "王五", "2020-03-09", None),
                                                              2: ("属实", None, None, "2020-03-09", None)})
    assert povmon(tmp_path, tmp_path / "db.duckdb", "cases", "import", str(filled),
                  "--today", "2020-03-10").returncode == 0
    run(tmp_path, "2020-03-12")
    section, kept = refused_section(tmp_path), refusals(tmp_path)
    assert "CASE_ACTOR" in section and [r[5] for r in kept] == ["CASE_ACTOR"]
    rebuilt(tmp_path, "2020-03-12")
    assert refused_section(tmp_path) == section and refusals(tmp_path) == kept
    again = povmon(tmp_path, tmp_path / "db.duckdb", "cases", "import", str(filled), "--today", "2020-03-12")
    assert again.returncode == 0 and refusals(tmp_path) == kept
    assert "CASE_ACTOR" in (tmp_path / "out" / "exports" / "case_import_problems.csv").read_text(encoding="utf-8-sig")


def test_refusals_kept_before_their_log_are_written_into_it_once_and_survive_a_rebuild(tmp_path):
    """A store whose refusals are older than its meeting the log (no refusal_log_base row), beside a log already
    holding lines: the next run voids those lines and writes the store's refusals into the log, so a rebuild lists
    each refused row once, as the store did."""
    make_city(tmp_path)
    deliver(tmp_path, f"{V1}_202002.csv", (1, "1200"), (2, "900"))
    run(tmp_path, "2020-03-05")
    filled = workbook(tmp_path, "filled.xlsx", "2020-03-10", {2: ("属实", None, None, "2020-03-09", None)})
    assert povmon(tmp_path, tmp_path / "db.duckdb", "cases", "import", str(filled),
                  "--today", "2020-03-10").returncode == 0
    with duckdb.connect(str(tmp_path / "db.duckdb")) as con:
        con.execute("DELETE FROM refusal_log_base").fetchall()
    log = tmp_path / "raw" / "case_import_refusals.jsonl"
    logged = log.read_text(encoding="utf-8")
    run(tmp_path, "2020-03-12")
    kept = refusals(tmp_path)
    assert [r[5] for r in kept] == ["CASE_ACTOR"] and log.read_text(encoding="utf-8").startswith(logged)
    rebuilt(tmp_path, "2020-03-12")
    assert refusals(tmp_path) == kept
