"""Department files of the synthetic city: one file per department and month (CSV, a GB18030 CSV, an xlsx with a
title and a total row and an ID typed as a number), the bad files and rows each month carries, the member roster of
the first county, and truth/department_findings.csv (what the as-of month's records must be found as)."""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from pathlib import Path

from povmon.synth.department_plan import RETURN_SAYS, Record, Registry
from povmon.synth.plan import PeriodPlan
from povmon.synth.render import xlsx_bytes
from povmon.synth.names import id_check_char
from povmon.synth.rows import FileContent
from povmon.synth.schema import period_of
from povmon.synth.truth import Planted

HEADER = ["身份证号", "姓名", "事项", "发生日期", "金额", "等级", "说明"]
LABELS = {"MEDICAL_OOP": "医疗自付费用", "UNINSURED": "未参加基本医疗保险", "DIBAO_NEW": "新纳入低保",
          "TEKUN_NEW": "新纳入特困供养", "TEMP_RELIEF": "临时救助", "DISABILITY_NEW": "新增残疾",
          "DROPOUT": "义务教育阶段失学辍学", "UNSAFE_HOUSING": "危房", "WATER_UNSAFE": "饮水不安全", "DEATH": "死亡",
          "DISASTER": "受灾", "ACCIDENT": "意外伤亡", "UNEMPLOYED": "失业登记", "BUSINESS": "登记经营主体",
          "VEHICLE": "登记机动车", "PROPERTY": "城镇商品房"}
DEPARTMENTS = ["medical", "civil", "disability", "education", "housing", "water", "police", "emergency", "hrss",
               "market", "vehicle", "property"]
UNREGISTERED_EVENTS = {"DIBAO_NEW", "TEKUN_NEW", "TEMP_RELIEF", "DISABILITY_NEW", "MEDICAL_OOP", "DISASTER", "ACCIDENT"}
TRUTH_COLUMNS = ["finding", "department", "event", "household_id", "person_id", "event_date", "period"]


def cells(record: Record, event_as_label: bool) -> list:
    """A record as the cells of a department file's row."""
    amount = "" if record.amount is None else f"{record.amount:.0f}"
    return [record.person, record.name, LABELS[record.event] if event_as_label else record.event,
            record.date.isoformat(), amount, record.grade, ""]


def csv_bytes(rows: list[list], encoding: str = "utf-8-sig", header: list[str] = HEADER) -> bytes:
    """A department CSV file."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def month_files(index: int, records: list[Record]) -> tuple[list[tuple[str, bytes]], list[Planted]]:
    """The files of one month (name, bytes) and the problems planted in them."""
    period = period_of(index)
    by_department: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        by_department[record.department].append(record)
    files, planted = [], []
    for department in DEPARTMENTS:
        rows = [cells(r, (i + index) % 2 == 0) for i, r in enumerate(by_department[department])]
        name = f"dept_{department}_{period}"
        if department == "civil":  # GB18030; a first version with one record more, withdrawn by its 更正
            day = "28" if not rows[0][3].endswith("28") else "27"  # not the day of the person's real record
            withdrawn = [rows[0][0], "某某", "新纳入低保", rows[0][3][:8] + day, "", "", "误报"]
            files.append((f"{name}.csv", csv_bytes([withdrawn, *rows], "gb18030")))
            bad, lines = bad_rows(f"{name}_更正.csv", len(rows), period, "civil")
            files.append((f"{name}_更正.csv", csv_bytes(rows + bad, "gb18030")))
            planted += lines + [Planted("correction", f"{name}_更正.csv", "", period)]
        elif department == "medical":
            bad, lines = bad_rows(f"{name}.csv", len(rows), period, "medical")
            files.append((f"{name}.csv", csv_bytes(rows + bad)))
            planted += lines
        elif department == "property":  # a workbook: title row, total row, IDs as text but one typed as a number
            # (an 18-digit number keeps 15-17 digits: whatever it reads as, it is no longer an ID to match)
            lost = float(bad_rows("", 0, period, "medical")[0][0][0])
            content = FileContent([f"自然资源局{period[:4]}年{int(period[4:])}月城镇商品房登记"], HEADER, HEADER,
                                  rows + [[lost, "周五", "城镇商品房", f"{period[:4]}-{period[4:]}-01"]],
                                  total=["合计", f"{len(rows) + 1}条"])
            files.append((f"{name}.xlsx", xlsx_bytes(content)))
            planted.append(Planted("row", f"{name}.xlsx", "", period, len(rows) + 3, "", "ROW_ID_NUMBER", "error"))
        elif department == "hrss":  # first sent without 发生日期, then a complete _v2
            files.append((f"{name}.csv", csv_bytes([r[:3] + r[4:] for r in rows], header=HEADER[:3] + HEADER[4:])))
            files.append((f"{name}_v2.csv", csv_bytes(rows)))
            planted += [Planted("file", f"{name}.csv", "", period, None, "", "FILE_MISSING_COLUMNS", "error"),
                        Planted("correction", f"{name}_v2.csv", "", period)]
        else:
            files.append((f"{name}.csv", csv_bytes(rows)))
    sample = cells(records[0], True)  # bad files hold a real record too
    files.append((f"dept_tax_{period}.csv", csv_bytes([sample])))
    files.append((f"dept_water_{period}_v3.csv", csv_bytes([sample], "utf-16")))  # UTF-16: not an encoding of ours
    planted += [Planted("file", f"dept_tax_{period}.csv", "", period, None, "", "FILE_NAME_INVALID", "error"),
                Planted("file", f"dept_water_{period}_v3.csv", "", period, None, "", "FILE_UNREADABLE", "error")]
    return files, planted


def bad_rows(file: str, good: int, period: str, department: str) -> tuple[list[list], list[Planted]]:
    """Rows with problems at the foot of a file (people in no household, so a quarantined row hides no finding)."""
    date = f"{period[:4]}-{period[4:]}-10"
    valid = [body + id_check_char(body) for body in
             ("43052119800101123", "43052119800101124", "43052119700101123", "43052119600101123",
              "43052119600102123", "43052119600103123", "43052119600104123")]
    if department == "civil":
        wrong = valid[0][:17] + ("0" if valid[0][17] != "0" else "1")
        rows = [[wrong, "钱一", "临时救助", date, "", "", ""],                  # check digit wrong
                [valid[1], "钱二", "低保续保", date, "", "", ""],               # not a civil event
                [valid[2], "钱三", "临时救助", date, "", "", ""],               # twice
                [valid[2], "钱三", "临时救助", date, "", "", ""]]
        codes = ["ROW_ID_NUMBER", "ROW_EVENT", "ROW_DUPLICATE", "ROW_DUPLICATE"]
    else:
        rows = [[valid[3], "孙一", "医疗自付费用", date, "", "", ""],
                [valid[4], "孙二", "医疗自付费用", date, "约五千", "", ""],
                [valid[5], "孙三", "MEDICAL_OOP", date, "-300", "", ""],
                [valid[6], "孙四", "MEDICAL_OOP", f"{period[:4]}-13-45", "800", "", ""]]
        codes = ["ROW_MISSING_VALUE", "ROW_NOT_NUMBER", "ROW_OUT_OF_RANGE", "ROW_OUT_OF_RANGE"]
    return rows, [Planted("row", file, "", period, good + 2 + i, rows[i][0], code, "error")
                  for i, code in enumerate(codes)]


def members_csv(registry: Registry) -> bytes:
    """reference/members.csv: the roster of the households of the counties surveyed so far."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["household_id", "id_number", "name", "relation"])
    for index, people in sorted(registry.members.items()):
        writer.writerows([registry.household_ids[index], *person] for person in people)
    return out.getvalue().encode("utf-8")


def truth_rows(records: dict[int, list[Record]], registry: Registry, plans: list[PeriodPlan], last: int) -> list[tuple]:
    """What the as-of month must find: the planted records of the as-of income year up to it, judged against
    each household's latest usable return (its village's latest month with a usable file)."""
    cache: dict[int, int | None] = {}
    out, medical = [], defaultdict(dict)
    for index in range(last - last % 12, last + 1):
        for r in (r for r in records[index] if r.scenario):
            h = r.household
            usable = None if h is None else latest_usable(registry.village_index[h], plans, last, cache)
            matched = h is not None and (h in registry.members or usable is not None)
            if r.event == "MEDICAL_OOP" and matched:
                medical[h][r.person] = (period_of(index), r.amount)
                continue
            finding = _finding(r, registry, usable, matched)
            if finding:
                hid = registry.household_ids[h] if matched else ""
                out.append((finding, r.department, r.event, hid, r.person, r.date.isoformat(), period_of(index)))
    for h, people in medical.items():
        if sum(amount for _, amount in people.values()) >= 20000:
            period = max(p for p, _ in people.values())
            out.append(("CLUE", "medical", "MEDICAL_OOP", registry.household_ids[h], "", "", period))
    return sorted(set(out))


def latest_usable(village: int, plans: list[PeriodPlan], last: int, cache: dict) -> int | None:
    """The latest month up to last with a usable return of the village (a missing or rejected one is not)."""
    if village not in cache:
        cache[village] = next((i for i in range(last, -1, -1)
                               if plans[i].of(village).status in ("normal", "first_bad")), None)
    return cache[village]


def _finding(r: Record, registry: Registry, usable: int | None, matched: bool) -> str | None:
    """The finding a planted record makes against the household's latest usable return."""
    if not matched:  # planted unmatched records are all of events and grades that would be a CLUE
        eligible = r.event in UNREGISTERED_EVENTS and r.scenario in ("clue", "medical", "unregistered", "outside")
        return ("OUTSIDE" if r.scenario == "outside" else "UNREGISTERED") if eligible else None
    if r.scenario == "clue":
        return "CLUE"
    if r.scenario == "death_head":
        return "MISMATCH"
    if usable is None:
        return None
    if r.scenario == "asset":
        return "ASSET"
    column, value = RETURN_SAYS[r.event]
    return "MISMATCH" if registry.yearly[r.household][column][usable // 12] == value else None


def truth_csv(rows: list[tuple]) -> bytes:
    """truth/department_findings.csv."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(TRUTH_COLUMNS)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def write_members(registry: Registry, reference: Path) -> Path:
    """Write reference/members.csv."""
    path = reference / "members.csv"
    path.write_bytes(members_csv(registry))
    return path
