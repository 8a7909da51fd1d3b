"""The Chinese detail of a finding, quoting the department's record and the return's figures."""
from __future__ import annotations

from tasks.departments.events import DEPARTMENTS, EVENTS
from tasks.report.labels import LABELS
from tasks.validate.id_number import mask_id_shaped

RETURN_SAYS = {  # event -> what the return says that the department contradicts
    "UNINSURED": lambda r: f"村报表填参加基本医疗保险{r['insured_count']}人，等于家庭人口{r['household_size']}人",
    "DROPOUT": lambda r: "村报表填义务教育阶段失学辍学0人",
    "UNSAFE_HOUSING": lambda r: "村报表填住房安全=是",
    "WATER_UNSAFE": lambda r: "村报表填饮水安全=是",
}


def yuan(value: float | None) -> str:
    """An amount as 23,410元 (two decimals only when it has cents)."""
    value = value or 0.0
    return f"{value:,.0f}元" if float(value).is_integer() else f"{value:,.2f}元"


def _record(r: dict) -> str:
    """What the department says: 住建局2020-03-05报危房（D级）."""
    spec = EVENTS[r["event"]]
    grade = f"（{r['grade']}）" if r.get("grade") else ""
    amount = f"，金额{yuan(r['amount'])}" if r.get("amount") is not None else ""
    date = r["event_date"].isoformat() if r.get("event_date") else ""
    return f"{DEPARTMENTS[spec['department']]}{date}报{spec['label']}{grade}{amount}"


def detail_of(r: dict, finding: str, county_name: str | None, rules) -> str:
    """The detail of one finding (r: the judged record with its household's return values), anything shaped like
    an ID number in what a department wrote masked."""
    return mask_id_shaped(_detail(r, finding, county_name, rules))


def _detail(r: dict, finding: str, county_name: str | None, rules) -> str:
    """The detail, unmasked."""
    if r["event"] == "MEDICAL_OOP":
        return _medical(r, finding, rules, county_name)
    if finding == "UNREGISTERED":
        where = f"身份证号属{county_name}" if county_name else "身份证号不属本市任何县(区)，外地"
        return f"{_record(r)}；{where}，不在任何登记户中"
    if finding == "MISMATCH" and r["event"] == "DEATH":  # the roster's 户主 of a household with no return yet
        where = f"村报表（{r['return_period']}）" if r.get("return_period") else "家庭成员名册（尚无村报表）"
        return f"{_record(r)}：死者为户主，{where}户主未变更"
    if finding == "MISMATCH":
        return f"{_record(r)}，但{RETURN_SAYS[r['event']](r)}（{r['return_period']}）"
    if finding == "ASSET":
        marks = [LABELS.get(c, c) for c in (r["flags"] or "").split(";") if c in rules.asset_flags]
        why = f"户类型为{r['household_type']}" if r["household_type"] in rules.asset_household_types \
            else f"本月标记{'、'.join(marks)}"
        return f"{_record(r)}，该户{why}，需核查财产"
    if r["event"] == "DEATH":
        return f"{_record(r)}：家庭成员死亡，家庭人口和收入待核"
    return f"{_record(r)}，村报表未反映，建议入户核实"


def _medical(r: dict, finding: str, rules, county_name: str | None) -> str:
    """医保自付累计23,410元，超过20,000元 (with the share of the projected income when that rule applies)."""
    threshold, amount = rules.medical_oop_threshold, r["amount"] or 0.0
    if finding == "UNREGISTERED":
        where = f"身份证号属{county_name}" if county_name else "身份证号不属本市任何县(区)，外地"
        reached = "超过" if amount > threshold else "达到"
        return f"医保自付累计{yuan(amount)}，{reached}{yuan(threshold)}；{where}，不在任何登记户中"
    members = f"（{r['members']}名家庭成员合计）" if r.get("members", 1) > 1 else ""
    if amount >= threshold:
        return f"医保自付累计{yuan(amount)}{members}，{'超过' if amount > threshold else '达到'}{yuan(threshold)}"
    income = r["income"]
    if not income or income <= 0:  # any amount is at least half of no income: the share is no number to quote
        return f"医保自付累计{yuan(amount)}{members}，预计全年家庭纯收入为{yuan(income or 0)}，医疗支出超过收入"
    return (f"医保自付累计{yuan(amount)}{members}，占预计全年家庭纯收入{yuan(income)}的{amount / income:.0%}，"
            f"达到{rules.medical_oop_share:.0%}")
