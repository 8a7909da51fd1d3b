"""Validation in the nightly flow on tiny fixtures: every planted bad row gets its code, level, file and row;
errors quarantine, warnings annotate, nothing is lost, and corrections update what is listed."""
from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from core import db
from tasks.report.data import bound

from tests.support.runs import run_flow

FIXTURES = Path(__file__).parent / "fixtures" / "validation"


def exported_problems(root: Path) -> list[dict]:
    """problems.csv as dicts."""
    text = (root / "out" / "exports" / "problems.csv").read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(text.splitlines()))


def query(root: Path, sql: str) -> list[tuple]:
    """Rows of a query on the run's database."""
    with duckdb.connect(str(root / "db.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture
def fixture_city(tmp_path):
    """A copy of the validation fixtures: one village file per problem code (plus a clean one)."""
    shutil.copytree(FIXTURES / "inbox", tmp_path / "inbox")
    shutil.copytree(FIXTURES / "reference", tmp_path / "reference")
    return tmp_path


def test_each_planted_row_has_its_code_level_file_and_row(prefect_harness, fixture_city):
    run_flow(fixture_city)
    expected = {(r["file"], r["row"], r["household_id"], r["code"], r["level"])
                for r in csv.DictReader((FIXTURES / "expected_problems.csv").read_text(encoding="utf-8").splitlines())}
    found = {(p["file"], p["row"], p["household_id"], p["code"], p["level"]) for p in exported_problems(fixture_city)}
    assert found == expected
    details = {(p["file"], p["row"]): p["detail"] for p in exported_problems(fixture_city)}
    assert details[("430521101005_202003.csv", "2")] == "工资性收入“1,2x4”不是数字"
    assert "科学计数法" in details[("430521101008_202003.csv", "2")]
    assert "4.30521E+17" in details[("430521101008_202003.csv", "2")]
    assert "430521********0020" in details[("430521101008_202003.csv", "3")]  # masked, check digit shown


def test_errors_quarantine_warnings_annotate_and_rows_add_up(prefect_harness, fixture_city):
    run_flow(fixture_city)
    assert query(fixture_city, "SELECT count(*) FROM source_files WHERE rows_read <> rows_used + "
                               "rows_quarantined + rows_skipped OR rows_read = 0") == [(0,)]
    quarantined = set(query(fixture_city, "SELECT f.file_name, r.source_row FROM return_rows r "
                                          "JOIN source_files f USING (file_id) WHERE r.is_quarantined"))
    levels = {(p["file"], int(p["row"])): p["level"] for p in exported_problems(fixture_city)}
    assert quarantined == {key for key, level in levels.items() if level == "error"}
    used_with_warning = query(fixture_city, "SELECT count(*) FROM households_current h JOIN source_files f "
                                            "USING (file_id) WHERE f.file_name = '430521101008_202003.csv'")
    assert used_with_warning == [(5,)]
    assert query(fixture_city, "SELECT property_income FROM households_current "
                               "WHERE household_id = '4305211010040003'") == [(0.0,)]


def test_quarantined_household_listed_as_data_missing_until_a_good_row_arrives(prefect_harness, fixture_city):
    run_flow(fixture_city)
    missing = query(fixture_city, "SELECT household_id, period, reason_codes FROM households_data_missing "
                                  "WHERE village_code = '430521101003'")
    assert missing == [("4305211010030001", "202003", "ROW_DUPLICATE")]
    fixed = (fixture_city / "inbox" / "430521101003_202003.csv").read_text(encoding="utf-8").splitlines()
    (fixture_city / "inbox" / "430521101003_202003_v2.csv").write_text("\n".join(fixed[:3] + fixed[4:]) + "\n",
                                                                        encoding="utf-8")
    run_flow(fixture_city)
    assert query(fixture_city, "SELECT count(*) FROM households_data_missing "
                               "WHERE village_code = '430521101003'") == [(0,)]
    assert not [p for p in exported_problems(fixture_city) if p["village_code"] == "430521101003"]


def test_a_row_naming_another_villages_household_does_not_list_that_household_as_missing(
        prefect_harness, fixture_city):
    """A return's row with the 户编号 of another village's household (ROW_HOUSEHOLD_ID, quarantined) is listed as a
    row without a usable 户编号: the household it names has good data in its own village's return."""
    lines = (fixture_city / "inbox" / "430521101001_202003.csv").read_text(encoding="utf-8").splitlines()
    other = lines[1].replace("4305211010010001", "4305211010020001", 1)  # a household of 430521101002, good there
    (fixture_city / "inbox" / "430521101001_202003_v2.csv").write_text("\n".join([*lines, other]) + "\n",
                                                                        encoding="utf-8")
    run_flow(fixture_city)
    assert ("4305211010020001", "ROW_HOUSEHOLD_ID") in {(p["household_id"], p["code"]) for p in
                                                       exported_problems(fixture_city) if "_v2" in p["file"]}
    params = {"period": "202003", "county_codes": ["430521"], "row_limit": 100}
    query_text = db.sql_text("reports/missing_households").rstrip().rstrip(";")
    with duckdb.connect(str(fixture_city / "db.duckdb"), read_only=True) as con:
        listed = con.execute(f"SELECT village_code, household_id, reason_codes FROM ({query_text})",
                             bound("reports/missing_households", params)).fetchall()
    assert ("430521101001", None, "ROW_HOUSEHOLD_ID") in listed
    assert not [row for row in listed if row[1] == "4305211010020001"]


def test_correcting_the_previous_month_updates_the_ytd_warning(prefect_harness, fixture_city):
    run_flow(fixture_city)
    assert [p["row"] for p in exported_problems(fixture_city) if p["code"] == "ROW_YTD_DECREASE"] == ["3"]
    earlier = (fixture_city / "inbox" / "430521101009_202002.csv").read_text(encoding="utf-8")
    (fixture_city / "inbox" / "430521101009_202002_更正.csv").write_text(earlier.replace(",5002,", ",3002,"),
                                                                       encoding="utf-8")
    run_flow(fixture_city)
    assert [p for p in exported_problems(fixture_city) if p["code"] == "ROW_YTD_DECREASE"] == []


PAGE_PROBLEM = re.compile(r'<tr data-tags="([^"]+)"><td>[^<]*</td><td>([^<]*)</td><td class="n">(\d*)</td>')
PAGE_VILLAGE = re.compile(r'<tr><td class="c">(\d{12})</td>(?:<td>[^<]*</td>){2}<td>.*?</td>'
                          r'(?:<td class="n">[^<]*</td>){2}<td class="n">([^<]*)</td>')


def test_the_county_page_lists_every_problem_of_the_month_that_problems_csv_lists(prefect_harness, fixture_city):
    """The history-aware warnings (ROW_YTD_DECREASE, ROW_OUTLIER) are kept apart from the problems found when a
    file is read; the page's list and its villages' warning rows count them as problems.csv does."""
    run_flow(fixture_city)
    page = (fixture_city / "out" / "reports" / "430521.html").read_text(encoding="utf-8")
    listed = set(PAGE_PROBLEM.findall(page.split('id="problems-table"')[1].split("</table>")[0]))
    exported = {(p["code"], p["file"], p["row"]) for p in exported_problems(fixture_city) if "_202003" in p["file"]}
    assert {"ROW_YTD_DECREASE", "ROW_OUTLIER"} <= {code for code, _, _ in exported}
    assert listed == exported
    warned = dict(PAGE_VILLAGE.findall(page))
    assert warned["430521101009"] == "1" and warned["430521101010"] == "1"  # each warning row of theirs is historical


def test_validation_results_kept_per_run(prefect_harness, fixture_city):
    summary = run_flow(fixture_city)
    results = query(fixture_city, f"SELECT suite, code, sum(rows_failed) FROM validation_results "
                                  f"WHERE run_id = {summary.run_id} GROUP BY ALL ORDER BY ALL")
    failed = {(suite, code): n for suite, code, n in results}
    assert failed[("village_return_rows", "ROW_OUT_OF_RANGE")] == 4
    assert failed[("village_return_history", "ROW_OUTLIER")] == 1
    assert failed[("village_return_rows", "ROW_HOUSEHOLD_TYPE")] == 1
    checked = query(fixture_city, "SELECT min(rows_checked) FROM validation_results "
                                  "WHERE expectation = 'expect_column_values_to_not_be_null(head_name)'")
    assert checked[0][0] > 40


def test_history_checks_left_pending_by_a_crash_are_done_by_the_next_run(prefect_harness, fixture_city):
    run_flow(fixture_city)
    listed = exported_problems(fixture_city)
    with duckdb.connect(str(fixture_city / "db.duckdb")) as con:  # the state a kill after the load leaves
        con.execute("DELETE FROM history_problems").fetchall()
        con.execute("UPDATE source_files SET history_run_id = NULL").fetchall()
    assert run_flow(fixture_city).files_new == 0
    assert exported_problems(fixture_city) == listed
    assert query(fixture_city, "SELECT count(*) FROM source_files WHERE status = 'loaded' "
                               "AND history_run_id IS NULL") == [(0,)]


def test_a_household_left_out_of_the_next_return_is_listed_once_until_a_correction_brings_it_back(
        prefect_harness, fixture_city):
    """A return holds every household of its village: one that April's return leaves out had no row, no problem
    and no listing anywhere. It gets FILE_HOUSEHOLD_MISSING on April's file (its 户编号, no row), not again in May
    (in neither month), and a correction of April listing it again takes the warning away."""
    march = (fixture_city / "inbox" / "430521101009_202003.csv").read_text(encoding="utf-8").splitlines()
    april = [march[0]] + [line.replace(",5500,", ",6000,").replace(",4000,", ",4500,").replace(",5003,", ",5600,")
                          for line in march[1:]]
    (fixture_city / "inbox" / "430521101009_202004.csv").write_text("\n".join(april[:2] + april[3:]) + "\n",
                                                                    encoding="utf-8")
    (fixture_city / "inbox" / "430521101009_202005.csv").write_text(
        "\n".join(april[:2] + april[3:]).replace(",6000,", ",6500,").replace(",5600,", ",6200,") + "\n",
        encoding="utf-8")
    run_flow(fixture_city)
    left_out = [(p["file"], p["row"], p["household_id"], p["level"]) for p in exported_problems(fixture_city)
                if p["code"] == "FILE_HOUSEHOLD_MISSING"]
    assert left_out == [("430521101009_202004.csv", "", "4305211010090002", "warning")]
    (fixture_city / "inbox" / "430521101009_202004_更正.csv").write_text("\n".join(april) + "\n", encoding="utf-8")
    run_flow(fixture_city)
    left_out = [(p["file"], p["household_id"]) for p in exported_problems(fixture_city)
                if p["code"] == "FILE_HOUSEHOLD_MISSING"]
    assert left_out == [("430521101009_202005.csv", "4305211010090002")]  # now left out of May instead


def test_a_yes_no_written_another_way_keeps_its_flag_and_other_text_is_a_warning_on_its_row(
        prefect_harness, fixture_city):
    """住房安全 `不安全` and 饮水安全 `×` were stored as NULL without a word, and the household lost its GUARANTEE_GAP
    and measure; now they read as no, and a text neither yes nor no is ROW_NOT_YES_NO on its row, the row used."""
    lines = (fixture_city / "inbox" / "430521101001_202003.csv").read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",是,是,", ",不安全,是,")
    lines[2] = lines[2].replace(",是,是,", ",是,×,")
    lines[3] = lines[3].replace(",是,是,", ",有,是,")
    (fixture_city / "inbox" / "430521101001_202003_v2.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    run_flow(fixture_city)
    found = [(p["row"], p["household_id"], p["code"], p["level"], p["detail"]) for p in exported_problems(fixture_city)
             if p["file"] == "430521101001_202003_v2.csv"]
    assert found == [("4", "4305211010010003", "ROW_NOT_YES_NO", "warning",
                      "住房安全“有”无法识别为是或否(可填是/否、安全/不安全、√/×)，按未填计")]
    assert query(fixture_city, "SELECT household_id, housing_safe, water_safe FROM households_current "
                               "WHERE village_code = '430521101001' AND household_id <= '4305211010010003' "
                               "ORDER BY 1") == [
        ("4305211010010001", False, True), ("4305211010010002", True, False), ("4305211010010003", None, True)]
    assert query(fixture_city, "SELECT household_id, guarantee_gaps, suggested_measure FROM household_status "
                               "WHERE village_code = '430521101001' AND has_guarantee_gap ORDER BY 1") == [
        ("4305211010010001", "住房不安全", "危房改造"), ("4305211010010002", "饮水不安全", "饮水改造")]
