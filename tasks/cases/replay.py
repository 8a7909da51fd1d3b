"""A case's state after its decisions, replayed in 核查日期 order: the same whichever order the files came in."""
from __future__ import annotations

import json
from datetime import date

from tasks.cases import rules
from tasks.cases.evaluate import STATE_FIELDS

WRITTEN = ("conclusion", "measures")  # the cells a blank of keeps the state the earlier decisions left
CLOSING = ("closed_on", "close_reason")


def written(decided: dict) -> str:
    """A decision's own 核查结论 and 帮扶措施 (None: left blank), as its event's detail keeps them."""
    return json.dumps({k: decided[k] for k in WRITTEN}, ensure_ascii=False)


def after(state: dict, decided: dict, value: float | None) -> dict:
    """The case's state after a decision on it (value: the household's projection, kept by a dismissal): a blank
    conclusion or measures keeps the state's. A settled DEPT case (rules.is_settled) is as its 属实 left it: a
    measure makes it 帮扶中, a 属实 of a later visit 已核实 again."""
    conclusion = decided["conclusion"] or state["conclusion"]
    measures = decided["measures"] or state["measures"]
    new = {**state, **decided, "conclusion": conclusion, "measures": measures}
    if conclusion == state["conclusion"] and state["status"] not in rules.ACTIVE and not rules.is_settled(state):
        return new  # replayed after the decision that closed the case: its date and value stand
    if conclusion == rules.REMOVED:
        new.update(status="closed", closed_on=decided["decided_on"], close_reason=rules.REMOVED)
    elif conclusion == rules.DISMISSED:
        new.update(status="dismissed", closed_on=decided["decided_on"], close_reason=rules.DISMISSAL_REASON,
                   evidence_value=value)
    elif conclusion == rules.CONFIRMED:
        new.update(status="assisting" if measures else "confirmed", closed_on=None, close_reason=None)
    return new


def replayed(case: dict, history: list[dict], decided: dict, value: float | None) -> dict:
    """The state the case's applied decisions (history: their events) and this new one leave, replayed from its
    opening in 核查日期 order (at the same date, the order they were applied; the new one last), each blank taking
    what the earlier ones left."""
    steps = sorted(history, key=lambda e: (e["decided_on"], e["seq"]))
    ordered = ([(as_decided(e), e["evidence_value"]) for e in steps if e["decided_on"] <= decided["decided_on"]]
               + [(decided, value)]
               + [(as_decided(e), e["evidence_value"]) for e in steps if e["decided_on"] > decided["decided_on"]])
    state = standing_state = opening(case)  # standing: without the closings, what a 风险消除 is checked against
    for step, step_value in ordered:
        if stands(standing_state, step, case):
            state = after(state, step, step_value)
            if step["conclusion"] not in rules.CLOSINGS:
                standing_state = after(standing_state, step, step_value)
    state = settled(state, case)
    if rules.is_settled(case) and state["status"] == "confirmed" and state["decided_on"] == case["decided_on"]:
        # the 属实 the pipeline settled is still the one in force (an earlier-dated decision replayed under it)
        state = {**state, **{k: case[k] for k in ("status", *CLOSING)}}
    return {k: state[k] for k in (*STATE_FIELDS, *CLOSING)}


def stands(standing: dict, decided: dict, case: dict) -> bool:
    """Whether a decision still applies where the replay puts it. A 风险消除 needs a removal candidate (cases.md):
    the case assisting, with a measure, and, for a household without labour, 兜底保障, before it and as it leaves it,
    judged as the import judges it (decisions.refuse_status on replay.standing: the closings left out, labour as
    the import reads it; the months at or above the floor do not depend on decisions). One an earlier-dated
    decision replayed under it left without that (its 兜底保障 replaced, no measure left) is passed over, as it
    would have been refused had that decision come first: both orders end alike. A dismissal before it takes
    nothing away: a person's closing is replaced by a later decision (decisions.refuse_status)."""
    if decided["conclusion"] != rules.REMOVED:
        return True
    before = rules.split_measures(standing["measures"])
    kept = rules.split_measures(decided["measures"]) or before
    return (rules.removal_ground(standing["status"], before, case.get("labor_count"))
            and rules.removal_ground(standing["status"], kept, case.get("labor_count")))


def standing(case: dict, history: list[dict], decided_on: date) -> dict:
    """The state a decision dated decided_on is checked against when the case's state now is not the one it meets
    (it is dated before the decision in force, or a person closed the case): the case's applied decisions (history)
    dated on or before it (it is imported after them all), replayed in 核查日期 order from the opening, leaving out
    those whose own 核查结论 closed the case (不属实, 风险消除). A person's closing is one of the township's decisions:
    by date, a later decision replaces it and an earlier one is replayed under it, so it takes away neither the 属实
    measures need nor the candidate 风险消除 needs. Without it the verdict would depend on which file came first: the
    same decision imported before the closing would have been checked against the case without it."""
    state = opening(case)
    for event in sorted(history, key=lambda e: (e["decided_on"], e["seq"])):
        own = as_decided(event)
        if event["decided_on"] <= decided_on and own["conclusion"] not in rules.CLOSINGS:
            state = after(state, own, event["evidence_value"])
    return settled(state, case)


def opening(case: dict) -> dict:
    """A case's state before any decision: open, as it was opened."""
    return {"status": "open", "conclusion": None, "measures": None, "actor": None, "decided_on": None, "note": None,
            "evidence_value": opened_value(case), "closed_on": None, "close_reason": None}


def settled(state: dict, case: dict) -> dict:
    """A state with the value it carries: a dismissal's own (the household's projection then, which "worsens" is
    later compared with, cases.md), any other the case's opening value (ledger.cases_named: opened_value), so a
    dismissal replaced by a later decision, or replayed under one, leaves nothing of its own behind."""
    return state if state["status"] == "dismissed" else {**state, "evidence_value": opened_value(case)}


def opened_value(case: dict) -> float | None:
    """The value a case was opened with: ledger.cases_named's opened_value; a case row without it (not dismissed:
    only a dismissal replaces it) carries it as its evidence_value."""
    return case["opened_value"] if "opened_value" in case else case["evidence_value"]


def as_decided(event: dict) -> dict:
    """A decision as its row wrote it, from its event: the cells it left blank from its detail (events recorded
    before the detail kept them: their state's conclusion and measures, as if written)."""
    own = json.loads(event["detail"]) if event.get("detail") else {k: event[k] for k in WRITTEN}
    return {**{k: own.get(k) for k in WRITTEN}, "actor": event["actor"], "decided_on": event["decided_on"],
            "note": event["note"]}


def changes(case: dict, state: dict) -> bool:
    """Whether a replayed state differs from the case's."""
    return any(case.get(k) != state.get(k) for k in (*STATE_FIELDS, *CLOSING))
