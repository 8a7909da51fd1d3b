"""A run whose pages and exports would come out the same keeps them (tasks/report/freshness.py); any change of the
store, as-of month, today or settings, or a touched page, publishes anew, but for the exports when only today, the
case ledger or a page changed (no export reads them)."""
from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path

import pytest

from core.project import PROJECT_DIR
from tasks.report.freshness import IGNORED_COLUMNS, IGNORED_TABLES, LEDGER_TABLES, STATE_FILE, VOUCHED
from tests.support.returns import csv_bytes, household, make_city
from tests.support.runs import query, settings_for

STAMP = re.compile(r"运行 #\d+ 于 [^生<]*生成")  # "page made by run #N at <time>": the one thing a re-render changes


def run(root: Path, as_of: str = "202003", today: str = "2020-04-20", settings=None):
    """A nightly run of the real flow over root; returns its summary."""
    from flows.nightly import nightly

    return nightly(settings=settings or settings_for(root), as_of=as_of, today=today)


def outputs(root: Path) -> dict[str, tuple[int, int]]:
    """Each page and export: (inode, mtime): an atomic rewrite changes both."""
    files = [*(root / "out" / "reports").glob("*.html"), *(root / "out" / "exports").glob("*")]
    return {p.name: (os.stat(p).st_ino, os.stat(p).st_mtime_ns) for p in files
            if p.is_file() and not p.name.startswith(("cases.", "department_checks."))}  # their own steps write them


def pages(root: Path) -> dict[str, str]:
    """The pages' text, the run stamp blanked."""
    return {p.name: STAMP.sub("运行 # 生成", p.read_text(encoding="utf-8")) for p in (root / "out" / "reports").glob("*.html")}


@pytest.fixture
def city(tmp_path, prefect_harness):
    """A two-county city with one return, run once (as of 202003, today 2020-04-20)."""
    inbox, _ = make_city(tmp_path)
    (inbox / "430521001001_202003.csv").write_bytes(csv_bytes([household("430521001001", i) for i in (1, 2)]))
    run(tmp_path)
    return tmp_path


def test_nothing_changed_keeps_the_pages_byte_identical_to_a_full_render(city):
    first = outputs(city)
    assert "index.html" in first and "430521.html" in first and "flags.csv" in first
    before = {p.name: p.read_bytes() for p in (city / "out" / "reports").glob("*.html")}
    summary = run(city)
    assert outputs(city) == first  # not one file rewritten
    assert {p.name: p.read_bytes() for p in (city / "out" / "reports").glob("*.html")} == before
    # the run is still a run: recorded, and its summary names the same pages and exports
    assert query(city, f"SELECT status FROM runs WHERE run_id = {summary.run_id}") == [("completed",)]
    assert Path(summary.report) == (city / "out" / "reports" / "index.html").resolve()
    assert {"problems", "flags", "village_signals", "cases"} <= set(summary.exports)
    kept = pages(city)
    (city / "out" / STATE_FILE).unlink()  # no record: a full render
    run(city)
    assert outputs(city) != first
    assert pages(city) == kept


@pytest.mark.parametrize("change", ["today", "as_of", "settings", "store", "page touched", "page removed"])
def test_any_change_of_what_the_pages_are_made_from_renders_them_again(city, change):
    first = outputs(city)
    given = {}
    if change == "today":
        given["today"] = "2020-04-21"  # days overdue count to today
    elif change == "as_of":
        given["as_of"] = "202002"
    elif change == "settings":
        given["settings"] = replace(settings_for(city), returns_due_day=3)
    elif change == "store":
        (city / "inbox" / "430522001001_202003.csv").write_bytes(csv_bytes([household("430522001001", 1)]))
    elif change == "page touched":
        page = city / "out" / "reports" / "430521.html"
        page.write_text(page.read_text(encoding="utf-8") + " ", encoding="utf-8")
    else:
        (city / "out" / "reports" / "430522.html").unlink()
    run(city, **given)
    now = outputs(city)
    assert set(now) >= set(first) - {"flags.xlsx", "flags.csv", "village_signals.csv", "village_signals.xlsx"}
    assert now["index.html"] != first["index.html"]
    exports = {name for name in first if not name.endswith(".html")}
    assert len(exports) >= 6
    if change in ("today", "page touched", "page removed"):  # nothing an export is made from: kept as they were
        assert {name: now[name] for name in exports} == {name: first[name] for name in exports}
    else:
        assert now["problems.csv"] != first["problems.csv"]
    if change == "store":
        assert "430522001001" in (city / "out" / "reports" / "430522.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("touch", ["rewritten", "removed"])
def test_a_touched_export_is_written_again_on_a_new_day(city, touch):
    first = outputs(city)
    export = city / "out" / "exports" / "flags.csv"
    original = export.read_bytes()
    if touch == "rewritten":
        export.write_bytes(export.read_bytes() + b"\n")
    else:
        export.unlink()
    run(city, today="2020-04-21")
    now = outputs(city)
    assert now["flags.csv"] != first["flags.csv"] and now["problems.csv"] != first["problems.csv"]
    assert export.read_bytes() == original


def test_a_new_day_keeps_exports_the_same_bytes_as_written_anew(city):
    kept_run = run(city, today="2020-04-21")
    kept = {name: Path(path).read_bytes() for name, path in kept_run.exports.items() if name != "cases"}
    (city / "out" / STATE_FILE).unlink()  # no record: everything written anew
    run(city, today="2020-04-21")
    written = {name: Path(path).read_bytes() for name, path in kept_run.exports.items() if name != "cases"}
    assert len(kept) >= 6 and kept == written


def test_a_rerun_renders_its_pages_and_the_next_night_renders_all(city):
    from flows.rerun import rerun

    first = outputs(city)
    rerun(county="430521", settings=settings_for(city))
    assert not (city / "out" / STATE_FILE).exists()
    run(city)
    assert outputs(city)["430522.html"] != first["430522.html"]


def test_the_tables_left_out_of_the_digest_are_read_by_no_page_or_export():
    # pages and exports query sql/reports and sql/exports, and the views of sql/schema; latest_run names the run
    # of the stamp (the sample command's re-render of the overview), not data
    sources = [p for folder in ("reports", "exports", "schema") for p in (PROJECT_DIR / "sql" / folder).glob("*.sql")
               if p.name != "latest_run.sql" and (folder != "schema" or "VIEW" in p.read_text(encoding="utf-8"))]
    assert len(sources) > 10
    names = IGNORED_TABLES | {column for _, column in IGNORED_COLUMNS}
    for path in sources:
        text = path.read_text(encoding="utf-8")
        for name in names:
            assert not re.search(rf"(?<![\w_]){name}(?![\w_])", text), f"{path} reads {name}: it must count in the digest"


def test_no_export_reads_the_ledger_or_today():
    # the exports digest leaves out the case ledger and today: the exports' SQL, the views of sql/schema and the
    # modules that write the exports name neither
    sources = [*(PROJECT_DIR / "sql" / "exports").glob("*.sql"),
               *(p for p in (PROJECT_DIR / "sql" / "schema").glob("*.sql") if "VIEW" in p.read_text(encoding="utf-8")),
               *(PROJECT_DIR / "tasks" / "report" / name for name in ("exports.py", "twins.py", "sheet_rows.py",
                                                                         "cells.py", "workbook.py"))]
    assert len(sources) > 10
    for path in sources:
        text = path.read_text(encoding="utf-8")
        for name in (*LEDGER_TABLES, "today", "current_date", "now"):
            assert not re.search(rf"(?<![\w_]){name}(?![\w_])", text, re.IGNORECASE), f"{path} reads {name}"


def test_the_tables_another_stands_for_are_written_only_where_that_one_follows():
    # return rows are written by the load (file_digests digests each file's rows in the project step that
    # follows every load), the marts only by sql/marts (under their keys), household_status's measures by the
    # department checks (recorded in department_measures); any other writer would change a page unseen
    writes = re.compile(r"(INSERT INTO|UPDATE|DELETE FROM|CREATE( OR REPLACE)? TABLE|DROP TABLE( IF EXISTS)?|ALTER TABLE"
                        r"|TRUNCATE|COPY) +(" + "|".join(VOUCHED) + r")\b", re.IGNORECASE)
    allowed = {"sql/load/insert_return_rows.sql", "sql/load/forget_return_rows.sql", "sql/schema/030_returns.sql",
               "sql/departments/restore_measures.sql", "sql/departments/apply_measures.sql"}
    writers = set()
    for folder in ("sql", "core", "flows", "tasks", "povmon"):
        for path in (PROJECT_DIR / folder).rglob("*"):
            if path.suffix in (".sql", ".py") and writes.search(path.read_text(encoding="utf-8")):
                writers.add(path.relative_to(PROJECT_DIR).as_posix())
    assert "sql/marts/household_status.sql" in writers and "sql/load/insert_return_rows.sql" in writers
    assert {w for w in writers if not w.startswith("sql/marts/")} <= allowed
