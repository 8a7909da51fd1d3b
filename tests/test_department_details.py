"""Finding details are Chinese and quote what the finding rests on (departments.md: `detail` Chinese and quoting the
figures)."""
from __future__ import annotations

from tests.test_department_rules import HEAD, OTHER_HEAD, V, household, record, run


def test_an_asset_of_a_flagged_household_names_its_flags_in_chinese():
    status = [{"household_id": f"{V}0001", "flags": "BELOW_LINE;GUARANTEE_GAP;SUDDEN_DROP",
               "projected_net_income": 9000.0}]
    found = run([record(HEAD, "PROPERTY", "property")], [household(1, HEAD, kind="重残户")], flags=status)
    assert found["detail"].to_list() == ["自然资源局2020-03-05报城镇商品房，该户本月标记低于监测线，需核查财产"]


def test_the_death_of_a_roster_head_whose_household_has_no_return_yet_quotes_no_return_month():
    roster = [{"household_id": f"{V}0005", "id_number": OTHER_HEAD, "relation": "户主"}]
    found = run([record(OTHER_HEAD, "DEATH", "police")], [household(1, HEAD)], roster=roster)
    assert found.select("household_id", "finding").rows() == [(f"{V}0005", "MISMATCH")]
    assert found["detail"].to_list() == ["公安局2020-03-05报死亡：死者为户主，家庭成员名册（尚无村报表）户主未变更"]


def test_medical_costs_of_a_household_projected_to_no_income_quote_that_income_not_a_share():
    flags = [{"household_id": f"{V}0001", "flags": "BELOW_LINE", "projected_net_income": -2000.0}]
    found = run([record(HEAD, "MEDICAL_OOP", "medical", amount=1500)], flags=flags)
    assert found.select("finding", "amount").rows() == [("CLUE", 1500.0)]
    assert found["detail"].to_list() == ["医保自付累计1,500元，预计全年家庭纯收入为-2,000元，医疗支出超过收入"]
