"""A case's state after its decisions, replayed in 核查日期 order: the same whichever order the files came in."""
from __future__ import annotations

import json

from tasks.cases import rules
from tasks.cases.evaluate import STATE_FIELDS

WRITTEN = ("conclusion", "measures")  # the cells a blank of keeps the state the earlier decisions left
CLOSING = ("closed_on", "close_reason")


def written(decided: dict) -> str:
    """A decision's own 核查结论 and 帮扶措施 (None: left blank), as its event's detail keeps them."""
    return json.dumps({k: decided[k] for k in WRITTEN}, ensure_ascii=False)


def after(state: dict, decided: dict, value: float | None) -> dict:
    """The case's state after a decision on it (value: the household's projection, kept by a dismissal): a blank
    conclusion or measures keeps the state's."""
    conclusion = decided["conclusion"] or state["conclusion"]
    measures = decided["measures"] or state["measures"]
    new = {**state, **decided, "conclusion": conclusion, "measures": measures}
    if conclusion == state["conclusion"] and state["status"] not in rules.ACTIVE:
        return new  # replayed after the decision that closed the case: its date and value stand
    if conclusion == rules.REMOVED:
        new.update(status="closed", closed_on=decided["decided_on"], close_reason="风险消除")
    elif conclusion == rules.DISMISSED:
        new.update(status="dismissed", closed_on=decided["decided_on"], close_reason="核查不属实", evidence_value=value)
    elif conclusion == rules.CONFIRMED:
        new.update(status="assisting" if measures else "confirmed", closed_on=None, close_reason=None)
    return new


def replayed(case: dict, history: list[dict], decided: dict, value: float | None) -> dict:
    """The state the case's applied decisions (history: their events) and this new one leave, replayed from its
    opening in 核查日期 order (at the same date, the order they were applied; the new one last), each blank taking
    what the earlier ones left."""
    steps = sorted(history, key=lambda e: (e["decided_on"], e["seq"]))
    state = {"status": "open", "conclusion": None, "measures": None, "actor": None, "decided_on": None,
             "note": None, "evidence_value": case["evidence_value"], "closed_on": None, "close_reason": None}
    for event in [e for e in steps if e["decided_on"] <= decided["decided_on"]]:
        state = after(state, as_decided(event), event["evidence_value"])
    state = after(state, decided, value)
    for event in [e for e in steps if e["decided_on"] > decided["decided_on"]]:
        state = after(state, as_decided(event), event["evidence_value"])
    if state["status"] != "dismissed":  # a dismissal replayed before a later 属实 keeps no value: the case's stands
        state["evidence_value"] = case["evidence_value"]
    return {k: state[k] for k in (*STATE_FIELDS, *CLOSING)}


def as_decided(event: dict) -> dict:
    """A decision as its row wrote it, from its event: the cells it left blank from its detail (events recorded
    before the detail kept them: their state's conclusion and measures, as if written)."""
    own = json.loads(event["detail"]) if event.get("detail") else {k: event[k] for k in WRITTEN}
    return {**{k: own.get(k) for k in WRITTEN}, "actor": event["actor"], "decided_on": event["decided_on"],
            "note": event["note"]}


def changes(case: dict, state: dict) -> bool:
    """Whether a replayed state differs from the case's."""
    return any(case.get(k) != state.get(k) for k in (*STATE_FIELDS, *CLOSING))
