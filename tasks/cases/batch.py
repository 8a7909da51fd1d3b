"""One import's decisions checked and applied one after another, each against the state the earlier ones left."""
from __future__ import annotations

from datetime import date

import duckdb

from core import db
from core.settings import Settings
from tasks.cases import decisions, event_log, ledger, replay, rules
from tasks.cases.evaluate import STATE_FIELDS

PENDING = 1 << 62  # the seq of a decision of this import not yet recorded: after every recorded one


class Batch:
    """The cases an import's rows name, the decisions applied to them, and the events of those it applies."""

    def __init__(self, con: duckdb.DuckDBPyConnection, settings: Settings, case_ids: list[str], today: date):
        self.con, self.settings, self.today = con, settings, today
        self.cases = ledger.cases_named(con, case_ids)
        self.applied = applied_decisions(con, case_ids)
        # the states replays left (an earlier-dated decision imported after a later one): a workbook exported while
        # one was in force shows it, and a copy sent back untouched repeats it (decisions.repeats), like a decision's
        self.replayed = applied_decisions(con, case_ids, ("replayed",))
        self.as_of = ledger.ledger_as_of(con, event_log.raw_store_of(con, settings))
        self.values = latest_values(con)
        for case in self.cases.values():  # the labour 风险消除 is checked with, beside the measures the row leaves
            case["labor_count"] = self.values.get(case["household_id"] or "", (None, None))[1]
        self.pending: dict[str, list[dict]] = {}  # the events of this import's decisions, by case
        self.events: list[dict] = []
        self.windows: dict[str, bool] = {}  # by household: its last removal_months months above the floor

    def apply(self, row: decisions.Decision, sha: str, file_name: str) -> dict | None:
        """Check a row against the state the decisions before it left; passing, add its events and return the first."""
        case = self.cases.get(row.case_id)
        history = self.applied.get(row.case_id, []) + self.pending.get(row.case_id, [])
        if row.case_id in self.pending and row.conclusion == rules.REMOVED:
            # the import's earlier rows changed the case: a candidate as cases/derive judges what they left, as if
            # they had come in a file of their own
            case = {**case, "is_removal_candidate": self.removal_candidate(case)}
        decided = decisions.check(row, self.checked_case(case, history, row), self.today)
        if decided is None:
            return None
        value = self.values.get(case["household_id"] or "", (None, None))[0]
        made = decision_events(case, decided, value, history)
        for event in made:
            event.update(event_on=decided["decided_on"], as_of_period=self.as_of, file_sha256=sha,
                         file_name=file_name, file_row=row.row, file_sheet=row.sheet or None)
        self.events += made
        # a later row of the same case is checked against the state it leaves, and replayed with it
        self.pending.setdefault(row.case_id, []).append({**made[0], "seq": PENDING + len(self.events)})
        if made[-1]["event"] != "superseded":
            self.cases[row.case_id] = {**case, **{k: made[-1][k] for k in (*STATE_FIELDS, *replay.CLOSING)}}
        return made[0]

    def checked_case(self, case: dict | None, history: list[dict], row: decisions.Decision) -> dict | None:
        """The case a row is checked against: the case now, with `standing` (replay.standing) for a row dated before
        the decision in force or on a case a person closed."""
        decided_on = decisions.parse_date(row.decided_on)
        if case is None or decided_on is None:
            return case
        if case["status"] in rules.ACTIVE:
            if case["decided_on"] is None or decided_on >= case["decided_on"]:
                return case
        elif case.get("opened_since") or not rules.closed_by_person(case):
            return case  # refused whatever its date
        state = {**replay.standing(case, history, decided_on), "labor_count": case.get("labor_count"),
                 "household_id": case["household_id"]}
        candidate = row.conclusion == rules.REMOVED and self.removal_candidate(state)
        return {**case, "standing": {**state, "is_removal_candidate": candidate}}

    def removal_candidate(self, state: dict) -> bool:
        """Whether a case in this state is a removal candidate as cases/derive judges one (its months looked up once)."""
        household = state["household_id"]
        if not (rules.removal_ground(state["status"], rules.split_measures(state["measures"]), state.get("labor_count"))
                and self.as_of is not None and household is not None):
            return False
        if household not in self.windows:
            self.windows[household] = bool(db.rows(self.con, "cases/months_above", {
                "household_id": household, "as_of": self.as_of,
                "removal_months": self.settings.cases.removal_months})[0][0])
        return self.windows[household]


def applied_decisions(con: duckdb.DuckDBPyConnection, case_ids: list[str],
                      events: tuple[str, ...] = ("decision", "superseded")) -> dict[str, list[dict]]:
    """Every decision applied to these cases (newest first), by case id; or their events of the kinds given."""
    found: dict[str, list[dict]] = {}
    for event in db.frame(con, "cases/applied_decisions", {"case_ids": case_ids, "events": list(events)}).to_dicts():
        found.setdefault(event["case_id"], []).append(event)
    return found


def decision_event(case: dict, decided: dict, value: float | None) -> dict:
    """The event of a decision that passed its checks: the case's state after it, the cells it wrote in detail;
    'superseded' when it is dated before the one in force (the later 核查日期 wins; at the same date, the later import)."""
    loses = case["decided_on"] is not None and decided["decided_on"] < case["decided_on"]
    state = replay.settled(replay.after({k: case[k] for k in (*STATE_FIELDS, *replay.CLOSING)}, decided, value), case)
    return {"case_id": case["case_id"], "event": "superseded" if loses else "decision", **state,
            "detail": replay.written(decided)}


def decision_events(case: dict, decided: dict, value: float | None, history: list[dict]) -> list[dict]:
    """The decision's event and, for a superseded one whose case's decisions (history) replayed in 核查日期 order with
    it leave another state (a blank of the later one keeps its measures), a 'replayed' event carrying that state:
    the case ends the same whichever file came first."""
    event = decision_event(case, decided, value)
    if event["event"] == "superseded" and replay.changes(case, state := replay.replayed(case, history, decided, value)):
        return [event, {"case_id": case["case_id"], "event": "replayed", **state}]
    return [event]


def latest_values(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[float | None, int | None]]:
    """Each household's latest projected per-capita (what a dismissal is later compared with) and labour on record."""
    return {household: (value, labour) for household, value, labour in db.rows(con, "cases/latest_values")}
