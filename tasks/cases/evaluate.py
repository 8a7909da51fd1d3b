"""What a run does to the ledger: open cases for new sources, close those whose cause is gone (pure planning)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.settings import CaseSettings
from tasks.cases import rules

STATE_FIELDS = ("status", "conclusion", "measures", "actor", "decided_on", "note", "evidence_value")


@dataclass(frozen=True)
class RunContext:
    """The run the ledger is judged for: its id, as-of month, today, and the case settings."""

    run_id: int | None
    as_of: str
    today: date
    settings: CaseSettings
    departments_checked: bool = False  # department findings were given: a DEPT case without its record closes
    # (DEPT_<event>, household) of the open DEPT cases without a finding whose record is still there (no finding
    # this month, e.g. the household's own figures changed): not withdrawn, they stay open
    department_records: frozenset = frozenset()
    judged_until: str | None = None  # the latest as-of month the ledger was judged for before this run
    # the villages of the reference list (None: not known): a case of a village taken off it is left as it is, its
    # returns refused since for the list's edit, not because its cause is gone
    listed_villages: frozenset | None = None


def plan_events(cases: list[dict], sources: list[dict], openable: list[dict], evidence: dict[str, list[dict]],
                ctx: RunContext) -> list[dict]:
    """The events of one run (cases: at least the latest of each subject × kind), in a stable order: closings
    of active cases whose cause is gone, then openings for the openable sources without an active case (none
    while a dismissal holds, unless the evidence worsens)."""
    latest = {(c["kind"], c["subject_key"]): c for c in sorted(cases, key=lambda c: c["case_number"])}
    counts = {key: case["case_number"] + 1 for key, case in latest.items()}
    present = {(s["kind"], s["subject_key"]) for s in sources}
    events = [close_event(case, reason, ctx) for case in latest.values()
              if (reason := close_reason(case, present, evidence.get(case["household_id"] or "", []), ctx))]
    opened: set[tuple[str, str]] = set()
    for source in sorted(openable, key=lambda s: (s["subject_key"], s["kind"], s["detail"] or "")):
        key = (source["kind"], source["subject_key"])
        if key not in opened and should_open(latest.get(key), source, ctx):
            opened.add(key)  # one case per subject × kind, however many rows name it
            events.append(open_event(source, latest.get(key), counts.get(key, 0), ctx))
    return events


def close_reason(case: dict, present: set, evidence: list[dict], ctx: RunContext) -> str | None:
    """Why the pipeline closes an active case now (cases.md, States), or None to keep it as it is."""
    kind, status = case["kind"], case["status"]
    if status not in rules.ACTIVE or rules.period_index(ctx.as_of) < rules.period_index(case["opened_period"]):
        return None  # a replay of an earlier month leaves later cases alone
    if ctx.judged_until and rules.period_index(ctx.as_of) < rules.period_index(ctx.judged_until):
        # nor does it close what a later month's run kept open (a village's signal of February gone, March's not):
        # a cause truly gone is closed by the next run of the latest month
        return None
    if ctx.listed_villages is not None and (case["household_id"] or case["subject_key"])[:12] not in ctx.listed_villages:
        return None
    gone = (kind, case["subject_key"]) not in present
    if kind == rules.DATA_ERRORS:
        return "已收到无错误的更正文件" if gone else None
    if kind in rules.VILLAGE_SIGNALS:
        return f"{ctx.as_of}月已无此信号" if gone else None
    if kind.startswith("DEPT_"):  # events, not states: a person's conclusion stands; only a withdrawn record closes
        # its record judged in the files of its own income year (a September correction sent in October withdraws)
        withdrawn = (gone and status == "open" and ctx.departments_checked
                     and (kind, case["subject_key"]) not in ctx.department_records)
        if withdrawn:
            return "部门数据更正后已无此记录"
        return settled_event(case, ctx)
    if status == "confirmed":  # open: nobody checked it; assisting: only risk removal closes it
        months = months_without(kind, evidence, ctx.as_of)
        if months >= ctx.settings.close_after_months:
            return f"已连续{months}个月无此标记"
    return None


def settled_event(case: dict, ctx: RunContext) -> str | None:
    """Why a DEPT case confirmed without a measure closes now: the event was checked and found true, and
    close_after_months months have passed since that visit (its 核查日期's month) for a measure to be recorded."""
    decided = case["decided_on"]
    if case["status"] != "confirmed" or decided is None:
        return None  # assisting: under monitoring, only 风险消除 closes it
    months = ctx.settings.close_after_months
    if rules.period_index(ctx.as_of) - rules.period_index(f"{decided:%Y%m}") < months:
        return None
    return f"部门事项已核实属实，{months}个月未填帮扶措施，{rules.SETTLED_REASON_END}"


def months_without(flag: str, evidence: list[dict], as_of: str) -> int:
    """How many consecutive months, ending at the as-of month, the household had a return without this flag."""
    by_period = {e["period"]: e for e in evidence}
    count, index = 0, rules.period_index(as_of)
    while (row := by_period.get(f"{index // 12}{index % 12 + 1:02d}")) is not None:
        if flag in (row["flags"] or "").split(";"):
            break
        count, index = count + 1, index - 1
    return count


def should_open(previous: dict | None, source: dict, ctx: RunContext) -> bool:
    """Whether a source opens a new case: none yet, or the last one closed by the pipeline (not in a replay of an
    earlier month), or closed by a person (风险消除) in an earlier month (a DEPT case: only for a new record, as
    after a dismissal), or it was dismissed in an earlier income year or the evidence has worsened (or a department
    record is new: another event date or a higher amount, not merely another month of the return its detail
    quotes, in the month the case closed too) since."""
    if previous is None:
        return True
    status, closed_period = previous["status"], previous["closed_period"]
    if status in rules.ACTIVE or closed_period is None:
        return False
    if rules.period_index(ctx.as_of) < rules.period_index(closed_period):
        return False  # a replay of an earlier month leaves later closings alone
    department = previous["kind"].startswith("DEPT_")
    # a DEPT case closed as settled (confirmed, no measure) was concluded by a person: like a dismissal
    settled = department and previous["conclusion"] == rules.CONFIRMED
    if status == "closed" and previous["conclusion"] != rules.REMOVED and not settled:
        # the pipeline closed it because its cause was gone: a source now is the cause come back (a later file
        # version, a changed flag or signal), in the month it closed too
        return True
    if ctx.as_of == closed_period and not department:
        # a person closed it on the evidence still there this month: not again from that evidence (a department
        # record the case does not cover is no such evidence: below, it opens a case at the first run that sees it)
        return False
    if status == "closed" and not department:
        return True  # a department record a person closed by 风险消除 is still the same event: like a dismissal
    # a dismissal of a village × month's errors holds in that month's income year: a later run's is no new evidence
    if source["subject_period"] is None and rules.income_year(ctx.as_of) != rules.income_year(closed_period):
        return True
    if department:
        return rules.is_new_record(source["detail"], previous["detail"])
    return rules.worsened(previous["evidence_value"], source["evidence_value"], ctx.settings.worsen_factor)


def open_event(source: dict, previous: dict | None, number: int, ctx: RunContext) -> dict:
    """The opening event of a new case for a source."""
    return {**source, "case_id": rules.case_id(source["kind"], source["subject_key"], ctx.as_of, number),
            **opening_fields(ctx), "previous_case_id": previous["case_id"] if previous else None}


def opening_fields(ctx: RunContext) -> dict:
    """What every opening event of a run says besides its source, its id and its previous case."""
    return {"event": "opened", "event_on": ctx.today, "as_of_period": ctx.as_of, "run_id": ctx.run_id,
            "status": "open", "opened_period": ctx.as_of, "opened_on": ctx.today}


def close_event(case: dict, reason: str, ctx: RunContext) -> dict:
    """The closing event of a case whose cause is gone (its decisions carried over)."""
    return {"case_id": case["case_id"], "event": "closed", "event_on": ctx.today, "as_of_period": ctx.as_of,
            "run_id": ctx.run_id, **{f: case[f] for f in STATE_FIELDS}, "status": "closed",
            "closed_on": ctx.today, "close_reason": reason}
