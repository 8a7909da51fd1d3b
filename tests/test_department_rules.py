"""The rule of each department event at its edges (departments.md), judged on small frames."""
from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from tasks.departments.findings import Rules, judge
from tests.support.departments import id_number

V = "430521001001"
COUNTIES = {"430521": "甲县", "430522": "乙管理区"}
HEAD, MEMBER, OTHER_HEAD = id_number(1), id_number(2), id_number(3)


def household(seq: int, head: str, kind: str = "边缘户", size: int = 3, insured: int = 3, dropout: int = 0,
              housing: bool = True, water: bool = True) -> dict:
    """A household's latest usable return row."""
    return {"household_id": f"{V}{seq:04d}", "village_code": V, "return_period": "202003", "head_id_number": head,
            "household_type": kind, "household_size": size, "insured_count": insured, "dropout_count": dropout,
            "housing_safe": housing, "water_safe": water}


def record(person: str, event: str, department: str, *, amount: float | None = None, grade: str | None = None,
           period: str = "202003", day: int = 5, row: int = 2) -> dict:
    """A usable department record."""
    return {"file_id": int(period[-2:]), "source_row": row, "sheet": None, "sheet_position": None,
            "department": department, "period": period, "id_number": person, "name": "李四", "event": event,
            "event_date": date(2020, int(period[-2:]), day), "amount": amount, "grade": grade, "note": None}


def run(records: list[dict], households: list[dict] | None = None, roster: list[dict] = (), flags: list[dict] = (),
        rules: Rules | None = None) -> pl.DataFrame:
    """The findings of these records."""
    households = [household(1, HEAD)] if households is None else households
    return judge(pl.DataFrame(records, infer_schema_length=None),
                 pl.DataFrame(list(roster), schema={"household_id": pl.Utf8, "id_number": pl.Utf8, "relation": pl.Utf8}),
                 pl.DataFrame(households, infer_schema_length=None),
                 pl.DataFrame(list(flags), schema={"household_id": pl.Utf8, "flags": pl.Utf8,
                                                   "projected_net_income": pl.Float64}),
                 COUNTIES, rules or Rules(), "202003")


def codes(found: pl.DataFrame) -> list[tuple]:
    """(person, event, finding) of each finding."""
    return sorted(found.select("id_number", "event", "finding").iter_rows())


@pytest.mark.parametrize("amount,income,expected", [
    (20000, None, ["CLUE"]), (19999.99, None, []), (19999.99, 100000, []),
    (10000, 20000, ["CLUE"]), (9999.99, 20000, [])])
def test_medical_oop_at_the_threshold_and_at_half_the_projected_income(amount, income, expected):
    flags = [{"household_id": f"{V}0001", "flags": "", "projected_net_income": income}] if income else []
    found = run([record(HEAD, "MEDICAL_OOP", "medical", amount=amount)], flags=flags)
    assert found["finding"].to_list() == expected
    if expected:
        detail = found["detail"][0]
        assert ("达到20,000元" in detail) if amount == 20000 else ("占预计全年家庭纯收入20,000元的50%" in detail)


def test_medical_oop_sums_each_members_latest_amount_of_the_year():
    roster = [{"household_id": f"{V}0001", "id_number": HEAD, "relation": "户主"},
              {"household_id": f"{V}0001", "id_number": MEMBER, "relation": "子女"}]
    found = run([record(HEAD, "MEDICAL_OOP", "medical", amount=12000, period="202001"),
                 record(MEMBER, "MEDICAL_OOP", "medical", amount=30000, period="202002"),
                 record(MEMBER, "MEDICAL_OOP", "medical", amount=11410, period="202003")], roster=roster)
    assert found.select("household_id", "finding", "amount", "period").rows() == [(f"{V}0001", "CLUE", 23410.0, "202003")]
    assert found["detail"][0] == "医保自付累计23,410元（2名家庭成员合计），超过20,000元"
    # the member's latest amount alone is below the threshold: nothing
    assert run([record(MEMBER, "MEDICAL_OOP", "medical", amount=30000, period="202002"),
                record(MEMBER, "MEDICAL_OOP", "medical", amount=5000, period="202003")], roster=roster).height == 0


@pytest.mark.parametrize("grade,expected", [("一级", "CLUE"), ("二级", "CLUE"), ("1", "CLUE"), ("2", "CLUE"),
                                            ("三级", None), ("四级", None), ("3", None), ("4", None)])
def test_disability_new_is_a_clue_for_grades_one_and_two_only(grade, expected):
    found = run([record(HEAD, "DISABILITY_NEW", "disability", grade=grade)])
    assert found["finding"].to_list() == ([expected] if expected else [])


@pytest.mark.parametrize("grade,safe,expected", [("C", True, ["MISMATCH"]), ("D", True, ["MISMATCH"]),
                                                 ("B", True, []), ("D", False, [])])
def test_unsafe_housing_contradicts_a_safe_house_for_c_and_d_only(grade, safe, expected):
    found = run([record(HEAD, "UNSAFE_HOUSING", "housing", grade=grade)], [household(1, HEAD, housing=safe)])
    assert found["finding"].to_list() == expected
    if expected:
        assert found["detail"][0] == f"住建局2020-03-05报危房（{grade}），但村报表填住房安全=是（202003）"


@pytest.mark.parametrize("event,department,row,expected", [
    ("UNINSURED", "medical", {"insured": 3}, ["MISMATCH"]), ("UNINSURED", "medical", {"insured": 2}, []),
    ("DROPOUT", "education", {"dropout": 0}, ["MISMATCH"]), ("DROPOUT", "education", {"dropout": 1}, []),
    ("WATER_UNSAFE", "water", {"water": True}, ["MISMATCH"]), ("WATER_UNSAFE", "water", {"water": False}, [])])
def test_mismatches_only_where_the_return_says_otherwise(event, department, row, expected):
    assert run([record(HEAD, event, department)], [household(1, HEAD, **row)])["finding"].to_list() == expected


@pytest.mark.parametrize("vehicle,expected", [("小型轿车", ["ASSET"]), ("拖拉机", []), ("农用运输车", []),
                                              ("三轮汽车", []), ("两轮摩托车", [])])
def test_vehicle_is_an_asset_unless_its_type_is_exempt(vehicle, expected):
    found = run([record(HEAD, "VEHICLE", "vehicle", grade=vehicle)], [household(1, HEAD, kind="脱贫户")])
    assert found["finding"].to_list() == expected


@pytest.mark.parametrize("kind,flags,expected", [
    ("脱贫户", "", ["ASSET"]), ("未脱贫户", "", ["ASSET"]), ("监测户", "", ["ASSET"]), ("低保户", "", ["ASSET"]),
    ("特困供养户", "", ["ASSET"]), ("边缘户", "", []), ("重病户", "GUARANTEE_GAP", []),
    ("边缘户", "NEAR_LINE", ["ASSET"]), ("重残户", "BELOW_LINE;SUDDEN_DROP", ["ASSET"])])
def test_asset_only_for_households_registered_as_poor_or_flagged_at_risk(kind, flags, expected):
    status = [{"household_id": f"{V}0001", "flags": flags, "projected_net_income": 9000.0}]
    for event, department in (("BUSINESS", "market"), ("PROPERTY", "property")):
        found = run([record(HEAD, event, department)], [household(1, HEAD, kind=kind)], flags=status)
        assert found["finding"].to_list() == expected


def test_death_of_the_head_is_a_mismatch_of_another_member_a_clue():
    roster = [{"household_id": f"{V}0002", "id_number": OTHER_HEAD, "relation": "户主"},
              {"household_id": f"{V}0002", "id_number": MEMBER, "relation": "配偶"}]
    found = run([record(HEAD, "DEATH", "police"), record(OTHER_HEAD, "DEATH", "police"),
                 record(MEMBER, "DEATH", "police")], [household(1, HEAD), household(2, "")], roster=roster)
    assert codes(found) == sorted([(HEAD, "DEATH", "MISMATCH"), (OTHER_HEAD, "DEATH", "MISMATCH"),
                                   (MEMBER, "DEATH", "CLUE")])


def test_death_of_a_head_whose_household_has_a_new_head_in_its_latest_return_is_a_clue_not_a_mismatch():
    # the roster still lists HEAD as 户主 of household 1; its latest return names MEMBER, the head updated
    roster = [{"household_id": f"{V}0001", "id_number": HEAD, "relation": "户主"},
              {"household_id": f"{V}0001", "id_number": MEMBER, "relation": "配偶"}]
    found = run([record(HEAD, "DEATH", "police")], [household(1, MEMBER)], roster=roster)
    assert codes(found) == [(HEAD, "DEATH", "CLUE")]
    assert "户主未变更" not in found["detail"][0] and "家庭成员死亡" in found["detail"][0]
    still = run([record(HEAD, "DEATH", "police")], [household(1, HEAD)], roster=roster)
    assert codes(still) == [(HEAD, "DEATH", "MISMATCH")] and "户主未变更" in still["detail"][0]


def test_matching_by_roster_first_then_by_the_heads_id_of_unlisted_households():
    # household 2 is in the roster (whose head differs from its return's); household 1 is matched by its head
    roster = [{"household_id": f"{V}0002", "id_number": MEMBER, "relation": "户主"}]
    found = run([record(HEAD, "DIBAO_NEW", "civil"), record(MEMBER, "DIBAO_NEW", "civil"),
                 record(OTHER_HEAD, "DIBAO_NEW", "civil")], [household(1, HEAD), household(2, OTHER_HEAD)],
                roster=roster)
    assert sorted(found.select("id_number", "household_id", "finding").rows()) == sorted([
        (HEAD, f"{V}0001", "CLUE"), (MEMBER, f"{V}0002", "CLUE"), (OTHER_HEAD, None, "UNREGISTERED")])


def test_a_head_who_moved_is_matched_to_the_household_whose_latest_row_names_them_last():
    # the old household's last return (202002) still names HEAD; the new one's (202003) too: the new one, whichever
    # number is smaller; two latest rows of the same month: the smaller number
    for old, new in ((1, 2), (2, 1)):
        households = [{**household(old, HEAD), "return_period": "202002"}, household(new, HEAD)]
        found = run([record(HEAD, "DIBAO_NEW", "civil")], households)
        assert found.select("household_id", "finding").rows() == [(f"{V}{new:04d}", "CLUE")]
    tied = run([record(HEAD, "DIBAO_NEW", "civil")], [household(2, HEAD), household(1, HEAD)])
    assert tied["household_id"].to_list() == [f"{V}0001"]


def test_unregistered_county_from_the_id_and_outside_ids_apart():
    local, outside = id_number(9, "430522"), id_number(9, "110101")
    found = run([record(local, "TEMP_RELIEF", "civil"), record(outside, "ACCIDENT", "emergency"),
                 record(local, "VEHICLE", "vehicle", grade="轿车"), record(local, "DISABILITY_NEW", "disability", grade="三级"),
                 record(local, "UNEMPLOYED", "hrss"),
                 record(id_number(10, "430521"), "MEDICAL_OOP", "medical", amount=20000),
                 record(id_number(11, "430521"), "MEDICAL_OOP", "medical", amount=19999)])
    assert sorted(found.select("id_number", "county_code", "township_code", "finding", "is_outside").rows()) == sorted([
        (local, "430522", None, "UNREGISTERED", False), (outside, "110101", None, "UNREGISTERED", True),
        (id_number(10, "430521"), "430521", None, "UNREGISTERED", False)])
    assert "身份证号属乙管理区，不在任何登记户中" in found.filter(pl.col("id_number") == local)["detail"][0]


def test_a_record_is_kept_once_per_person_event_and_date_first_seen():
    first, again = (record(HEAD, "DISASTER", "emergency", amount=5000, period=p, day=20) for p in ("202002", "202003"))
    found = run([first, {**again, "event_date": first["event_date"]}])
    assert found.select("period", "finding").rows() == [("202002", "CLUE")]
    assert found["detail"][0] == "应急管理局2020-02-20报受灾，金额5,000元，村报表未反映，建议入户核实"


@pytest.mark.parametrize("event,department,grades,expected", [
    ("DISABILITY_NEW", "disability", ("三级", "二级"), [("202004", "CLUE")]),
    ("DISABILITY_NEW", "disability", ("二级", "三级"), []),
    ("UNSAFE_HOUSING", "housing", ("B", "D"), [("202004", "MISMATCH")]),
    ("UNSAFE_HOUSING", "housing", ("C", "D"), [("202003", "MISMATCH")])])  # the same finding: the month first seen
def test_a_record_sent_again_with_another_grade_is_judged_by_its_latest_version(event, department, grades, expected):
    first, again = (record(HEAD, event, department, grade=g, period=p, day=10)
                    for g, p in zip(grades, ("202003", "202004")))
    found = run([first, {**again, "event_date": first["event_date"]}])
    assert found.select("period", "finding").rows() == expected
    assert all(f"（{grades[1]}）" in detail for detail in found["detail"])  # the detail quotes the latest grade


def test_settings_change_the_thresholds_and_exempt_types():
    rules = Rules(medical_oop_threshold=5000.0, vehicle_exempt_types=("摩托",))
    found = run([record(HEAD, "MEDICAL_OOP", "medical", amount=5000),
                 record(HEAD, "VEHICLE", "vehicle", grade="拖拉机")], [household(1, HEAD, kind="脱贫户")], rules=rules)
    assert sorted(found["finding"].to_list()) == ["ASSET", "CLUE"]


def test_member_roster_is_read_with_ids_cleaned_and_is_optional(tmp_path):
    from tasks.departments.members import read_members

    assert read_members(tmp_path).members.height == 0  # no roster: heads' ID numbers only
    x_id = id_number(8)
    (tmp_path / "members.csv").write_text(
        "household_id,id_number,name,relation\n"
        f"{V}0001,{x_id.lower()},王一,户主\n{V}0001, {HEAD}.0 ,王二,子女\n", encoding="utf-8-sig")
    roster = read_members(tmp_path).members
    assert roster.select("id_number", "relation").rows() == [(x_id, "户主"), (HEAD, "子女")]


def test_member_roster_ids_in_full_width_digits_match_like_the_department_files(tmp_path):
    """A roster typed with a Chinese input method (full-width digits, a full-width space, ｘ) reads as the ASCII
    ID the department files and returns are normalised to, so the member is matched, not UNREGISTERED."""
    from tasks.departments.members import read_members

    wide = str.maketrans("0123456789x", "０１２３４５６７８９ｘ")
    member = id_number(8)  # ends in X
    (tmp_path / "members.csv").write_text(
        "household_id,id_number,name,relation\n"
        f"{V}0001,{HEAD},王一,户主\n{V}0001,\u3000{member.lower().translate(wide)},王二,子女\n", encoding="utf-8")
    roster = read_members(tmp_path).members
    assert roster["id_number"].to_list() == [HEAD, member]
    found = run([record(member, "DIBAO_NEW", "civil")], roster=roster.drop("name").to_dicts())
    assert found.select("household_id", "finding").rows() == [(f"{V}0001", "CLUE")]


@pytest.mark.parametrize("base, events, expected", [
    ("持续监测", ["MEDICAL_OOP"], "医疗救助"),                      # a measure now fits: no longer "none of the above"
    ("持续监测", ["DIBAO_NEW"], "持续监测"),                        # a clue adding no measure keeps watching
    ("危房改造、公益岗位", ["ACCIDENT", "DISABILITY_NEW"], "残疾人补贴、临时救助、危房改造、公益岗位"),
    ("医疗救助", ["MEDICAL_OOP"], "医疗救助"),
])
def test_a_clues_measure_joins_the_households_in_policy_order(base, events, expected):
    """一户一策 with the CLUEs' measures: policy.md's order, and 持续监测 only where nothing else applies."""
    from tasks.departments.store import merge_measures

    assert merge_measures(base, events) == expected
