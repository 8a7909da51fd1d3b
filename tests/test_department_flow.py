"""Department files through the nightly flow: every problem code with its Excel row, encodings, xlsx title and total
rows, IDs as numbers or with a lower-case x, corrections, the clue's measure, rerun --department, the pages."""
from __future__ import annotations

import csv

import fastexcel

from tests.support.departments import DEPT_HEADER, RETURN_HEADER, dept_row, id_number, ret_row, table_csv
from tests.support.returns import make_city, write_xlsx
from tests.support.runs import problems, query, run_flow, settings_for

V = "430521001001"
X_HEAD = id_number(8)                       # ends in X: written with a lower-case x by the department
NUMBER_HEAD = "430521198001010688"           # a double holds it exactly, but typed as a number it is no ID to match
HEADS = [X_HEAD, NUMBER_HEAD, id_number(1), id_number(2)]


def checks(root) -> list[dict]:
    """department_checks.csv as dicts."""
    return list(csv.DictReader((root / "out" / "exports" / "department_checks.csv").read_bytes()
                               .decode("utf-8-sig").splitlines()))


def write_city(root):
    """A village of four households (the last one poor, BELOW_LINE) and the departments' files of 202003."""
    inbox, _ = make_city(root)
    rows = [ret_row(V, i + 1, h, kind="脱贫户" if i == 1 else "边缘户") for i, h in enumerate(HEADS)]
    rows[3] = ret_row(V, 4, HEADS[3], wage=100)
    (inbox / f"{V}_202003.csv").write_bytes(table_csv(RETURN_HEADER, rows))
    civil = [dept_row(X_HEAD.lower(), "新纳入低保"),                      # row 2: matched despite the x
             dept_row(id_number(5, "430522"), "TEMP_RELIEF"),          # 3: UNREGISTERED in 430522
             dept_row(id_number(6, "110101"), "临时救助"),              # 4: 外地
             dept_row("43052119800101123", "临时救助"),                 # 5: ROW_ID_NUMBER (17 digits)
             dept_row(HEADS[2], "低保续保"),                            # 6: ROW_EVENT
             dept_row(HEADS[2], "临时救助", "2020-03-09"),               # 7, 8: ROW_DUPLICATE
             dept_row(HEADS[2], "临时救助", "2020-03-09"),
             dept_row(HEADS[2], "临时救助", "2020-04-02"),               # 9: ROW_OUT_OF_RANGE (after the month)
             dept_row("", "临时救助")]                                   # 10: ROW_MISSING_VALUE
    (inbox / "dept_civil_202003.csv").write_bytes(table_csv(DEPT_HEADER, civil, "gb18030"))
    medical = [dept_row(HEADS[3], "医疗自付费用", amount="23,410"),     # 2: CLUE
               dept_row(HEADS[2], "MEDICAL_OOP"),                      # 3: ROW_MISSING_VALUE (amount)
               dept_row(HEADS[2], "MEDICAL_OOP", "2020-03-02", amount="五千"),  # 4: ROW_NOT_NUMBER
               dept_row(HEADS[2], "MEDICAL_OOP", "2020-03-03", amount="-5")]    # 5: ROW_OUT_OF_RANGE
    (inbox / "dept_medical_202003.csv").write_bytes(table_csv(DEPT_HEADER, medical, title="医保局2020年3月推送"))
    vehicle = [[NUMBER_HEAD, "王五", "登记机动车", "2020-03-05", "", "小型轿车", ""],  # row 3: ASSET
               [NUMBER_HEAD, "王五", "登记机动车", "2020-03-06", "", "手扶拖拉机", ""],  # 4: exempt
               [int(NUMBER_HEAD), "王五", "登记机动车", "2020-03-07", "", "小型轿车", ""]]  # 5: typed as a number
    write_xlsx(inbox / "dept_vehicle_202003.xlsx", vehicle, DEPT_HEADER)   # title row 1, header 2, 合计 row
    (inbox / "dept_housing_202003.csv").write_bytes(table_csv(["身份证号", "姓名", "事项"], [[HEADS[0], "张", "危房"]]))
    (inbox / "dept_tax_202003.csv").write_bytes(table_csv(DEPT_HEADER, []))
    (inbox / "dept_water_202003.csv").write_bytes(b"")
    return inbox


def ledger(root) -> list[dict]:
    """exports/cases.csv of the run as dicts."""
    return list(csv.DictReader((root / "out/exports/cases.csv").read_bytes().decode("utf-8-sig").splitlines()))


def test_department_files_problems_findings_and_pages(prefect_harness, tmp_path):
    write_city(tmp_path)
    summary = run_flow(tmp_path)
    assert summary.department_files_loaded == 3 and summary.department_files_rejected == 3
    found = {(p["file"], p["row"], p["code"]) for p in problems(tmp_path) if p["file"].startswith("dept_")}
    assert found == {
        ("dept_civil_202003.csv", "5", "ROW_ID_NUMBER"), ("dept_civil_202003.csv", "6", "ROW_EVENT"),
        ("dept_civil_202003.csv", "7", "ROW_DUPLICATE"), ("dept_civil_202003.csv", "8", "ROW_DUPLICATE"),
        ("dept_civil_202003.csv", "9", "ROW_OUT_OF_RANGE"), ("dept_civil_202003.csv", "10", "ROW_MISSING_VALUE"),
        ("dept_medical_202003.csv", "4", "ROW_MISSING_VALUE"), ("dept_medical_202003.csv", "5", "ROW_NOT_NUMBER"),
        ("dept_medical_202003.csv", "6", "ROW_OUT_OF_RANGE"), ("dept_vehicle_202003.xlsx", "5", "ROW_ID_NUMBER"),
        ("dept_housing_202003.csv", "", "FILE_MISSING_COLUMNS"), ("dept_tax_202003.csv", "", "FILE_NAME_INVALID"),
        ("dept_water_202003.csv", "", "FILE_UNREADABLE")}
    assert all(p["village_code"] == "" and p["household_id"] == "" and p["period"] in ("202003", "")
               for p in problems(tmp_path) if p["file"].startswith("dept_"))
    rows = checks(tmp_path)
    assert sorted((r["household_id"], r["event"], r["finding"]) for r in rows) == [
        ("", "TEMP_RELIEF", "UNREGISTERED"), (f"{V}0001", "DIBAO_NEW", "CLUE"), (f"{V}0002", "VEHICLE", "ASSET"),
        (f"{V}0004", "MEDICAL_OOP", "CLUE")]
    assert {r["county_code"] for r in rows if r["finding"] == "UNREGISTERED"} == {"430522"}
    medical = next(r for r in rows if r["event"] == "MEDICAL_OOP")
    assert medical["detail"] == "医保自付累计23,410元，超过20,000元" and medical["person_id_masked"] == "430521********0020"
    assert query(tmp_path, "SELECT count(*) FROM department_findings WHERE is_outside") == [(1,)]
    import duckdb
    from tasks.departments.ingest import case_findings

    with duckdb.connect(str(tmp_path / "db.duckdb"), read_only=True) as con:
        cases = case_findings(con)
    assert sorted(cases.select("household_id", "event", "finding").rows()) == [
        (f"{V}0001", "DIBAO_NEW", "CLUE"), (f"{V}0002", "VEHICLE", "ASSET"), (f"{V}0004", "MEDICAL_OOP", "CLUE")]
    assert cases.filter(cases["event"] == "MEDICAL_OOP")["amount"].to_list() == [23410.0]
    assert sorted((c["household_id"], c["kind"], c["status"]) for c in ledger(tmp_path) if c["kind"].startswith("DEPT_")) == [
        (f"{V}0001", "DEPT_DIBAO_NEW", "open"), (f"{V}0002", "DEPT_VEHICLE", "open"),
        (f"{V}0004", "DEPT_MEDICAL_OOP", "open")]  # each finding opens a case for its household's township
    flags = list(csv.DictReader((tmp_path / "out/exports/flags.csv").read_bytes().decode("utf-8-sig").splitlines()))
    assert next(f for f in flags if f["household_id"] == f"{V}0004")["suggested_measure"].startswith("医疗救助、")
    book = fastexcel.read_excel((tmp_path / "out/exports/department_checks.xlsx").read_bytes())
    sheet = book.load_sheet(0, dtypes="string").to_polars()
    assert sheet.columns[:7] == ["县（区）代码", "县（区）", "乡镇代码", "乡镇", "村代码", "村", "户编号"]
    assert sorted(sheet["比对结果"].to_list()) == ["疑似漏评", "财产核查", "风险线索", "风险线索"]
    assert f"{V}0004" in sheet["户编号"].to_list()
    own, other, city = (tmp_path / "out/reports" / n for n in ("430521.html", "430522.html", "index.html"))
    assert "部门比对" in own.read_text() and "430521********0020" in own.read_text()
    assert "430522********" not in own.read_text() and "430522********" in other.read_text()
    assert X_HEAD not in own.read_text() and "外地" in city.read_text() and "110101" not in other.read_text()


def test_a_correction_withdraws_a_record_and_rerun_department_rereads(prefect_harness, tmp_path):
    inbox = write_city(tmp_path)
    run_flow(tmp_path)
    withdrawn = [dept_row(id_number(30), "医疗自付费用", amount="3000")]  # the household's record withdrawn
    (inbox / "dept_medical_202003_v2.csv").write_bytes(table_csv(DEPT_HEADER, withdrawn))
    (inbox / "dept_housing_202003_更正.csv").write_bytes(table_csv(DEPT_HEADER, [dept_row(HEADS[0], "危房", grade="C")]))
    run_flow(tmp_path)
    rows = checks(tmp_path)
    assert ("MEDICAL_OOP", "CLUE") not in {(r["event"], r["finding"]) for r in rows}
    medical_case = next(c for c in ledger(tmp_path) if c["kind"] == "DEPT_MEDICAL_OOP")
    assert (medical_case["status"], medical_case["township_code"]) == ("closed", V[:9])  # the record was withdrawn
    assert (f"{V}0001", "UNSAFE_HOUSING", "MISMATCH") in {(r["household_id"], r["event"], r["finding"]) for r in rows}
    flags = list(csv.DictReader((tmp_path / "out/exports/flags.csv").read_bytes().decode("utf-8-sig").splitlines()))
    assert "医疗救助" not in next(f for f in flags if f["household_id"] == f"{V}0004")["suggested_measure"]
    listed = {p["file"] for p in problems(tmp_path)}
    assert "dept_medical_202003.csv" not in listed and "dept_housing_202003.csv" not in listed
    before = (tmp_path / "out/exports/department_checks.csv").read_bytes()
    from flows.rerun import rerun

    summary = rerun(department="medical", period="202003", settings=settings_for(tmp_path))
    assert summary.scope == "department=medical period=202003" and summary.files_reread == 0
    assert summary.department_files_reread == 2
    assert query(tmp_path, "SELECT count(*) FROM department_files WHERE department = 'medical'") == [(2,)]
    assert (tmp_path / "out/exports/department_checks.csv").read_bytes() == before


def test_a_night_with_nothing_new_keeps_the_findings_and_judges_again_when_an_input_changes(
        prefect_harness, tmp_path, monkeypatch):
    from tasks.departments import ingest

    write_city(tmp_path)
    judged = []
    real = ingest.judge_departments
    monkeypatch.setattr(ingest, "judge_departments", lambda *args: judged.append(args[2]) or real(*args))
    run_flow(tmp_path)
    first, measure = checks(tmp_path), f"SELECT suggested_measure FROM household_status WHERE household_id = '{V}0004'"
    assert query(tmp_path, measure)[0][0].startswith("医疗救助")
    run_flow(tmp_path)  # nothing new: the findings and the clue's measure stand as judged
    assert len(judged) == 1 and checks(tmp_path) == first and query(tmp_path, measure)[0][0].startswith("医疗救助")
    import duckdb

    with duckdb.connect(str(tmp_path / "db.duckdb")) as con:  # the measure lost, as a rebuilt status row has it
        con.execute("UPDATE household_status h SET suggested_measure = m.base_measure FROM department_measures m "
                    "WHERE h.household_id = m.household_id AND h.period = m.period")
    run_flow(tmp_path)
    assert len(judged) == 2 and query(tmp_path, measure)[0][0].startswith("医疗救助")
    unregistered = id_number(5, "430522")  # the registry's roster now names the record's person
    (tmp_path / "reference" / "members.csv").write_text(
        f"household_id,id_number,name,relation\n{V}0003,{unregistered},赵六,子女\n", encoding="utf-8")
    run_flow(tmp_path)
    assert len(judged) == 3
    assert ("", "TEMP_RELIEF", "UNREGISTERED") not in {(r["household_id"], r["event"], r["finding"]) for r in checks(tmp_path)}
