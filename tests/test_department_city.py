"""Department cross-checks on the small synthetic city: every planted finding found with its code and none extra,
every planted department problem of a listed file found and none extra, exports and pages masked and scoped."""
from __future__ import annotations

import csv
import re

import duckdb


def read_csv(path) -> list[dict]:
    """A CSV (BOM or not) as dicts."""
    return list(csv.DictReader(path.read_bytes().decode("utf-8-sig").splitlines()))


def found_findings(con) -> set[tuple]:
    """The stored findings keyed like truth/department_findings.csv (MEDICAL_OOP per household, 外地 as OUTSIDE)."""
    rows = con.execute("SELECT finding, department, event, coalesce(household_id, ''), id_number, "
                       "strftime(event_date, '%Y-%m-%d'), period, is_outside FROM department_findings").fetchall()
    return {("OUTSIDE" if outside else f, d, e, h, "" if e == "MEDICAL_OOP" and f == "CLUE" else p,
             "" if e == "MEDICAL_OOP" and f == "CLUE" else date, period)
            for f, d, e, h, p, date, period, outside in rows}


def test_every_planted_finding_found_with_its_code_and_none_extra(small_city, small_city_run):
    truth = {tuple(r.values()) for r in read_csv(small_city / "truth" / "department_findings.csv")}
    with duckdb.connect(str(small_city_run / "db.duckdb"), read_only=True) as con:
        found = found_findings(con)
    assert {t[0] for t in truth} == {"CLUE", "MISMATCH", "ASSET", "UNREGISTERED", "OUTSIDE"}
    assert truth - found == set()
    assert found - truth == set()


def test_planted_department_problems_found_and_none_extra(small_city, small_city_run):
    with duckdb.connect(str(small_city_run / "db.duckdb"), read_only=True) as con:
        listed = {n for (n,) in con.execute("SELECT file_name FROM department_problem_files").fetchall()}
    planted = {(r["file"], r["row"], r["code"]) for r in read_csv(small_city / "truth" / "planted.csv")
               if r["file"] in listed and r["kind"] in ("file", "row")}
    found = {(p["file"], p["row"], p["code"]) for p in read_csv(small_city_run / "out" / "exports" / "problems.csv")
             if p["file"].startswith("dept_")}
    assert {code for _, _, code in planted} == {
        "FILE_NAME_INVALID", "FILE_UNREADABLE", "ROW_ID_NUMBER", "ROW_EVENT", "ROW_DUPLICATE", "ROW_MISSING_VALUE",
        "ROW_NOT_NUMBER", "ROW_OUT_OF_RANGE"}
    assert found == planted


def test_exports_and_pages_mask_people_and_keep_to_their_county(small_city_run):
    out = small_city_run / "out"
    rows = read_csv(out / "exports" / "department_checks.csv")
    assert rows and not any(re.search(r"\d{17}[\dX]", ",".join(r.values())) for r in rows)
    counties = {r["county_code"] for r in rows}
    for county in counties:
        page = (out / "reports" / f"{county}.html").read_text("utf-8")
        section = page[page.index('<section id="departments">'):]
        section = section[:section.index("</section>")]
        shown = set(re.findall(r"(\d{6})\*{8}\d{3}[\dX]", section))
        assert shown <= {county}, county  # only this county's people (households and UNREGISTERED)
    assert "外地" in (out / "reports" / "index.html").read_text("utf-8")
