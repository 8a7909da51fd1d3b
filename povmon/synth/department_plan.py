"""The records line departments push each month: planted findings on households whose returns the mess planner
never spoils, people in no registered household, and background records that make no finding.

A month's records depend only on the seed, the city and the month (never on as_of), like the returns."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from povmon.synth.households import VillageData
from povmon.synth.names import id_numbers, person_names
from povmon.synth.plan import PeriodPlan, cases_per_period
from povmon.synth.rows import mangled_head_id
from povmon.synth.schema import period_of

ASSET_TYPES = {"脱贫户", "未脱贫户", "监测户", "低保户", "特困供养户"}
RELATIONS = ["配偶", "子女", "子女", "父母", "孙子女"]
OUTSIDE_COUNTIES = ["110101", "440305", "510104"]
# (scenario, event, department, how the person is found): each planted every month, k times
PLANTED = [
    ("clue", "DIBAO_NEW", "civil", "head"), ("clue", "TEKUN_NEW", "civil", "member"),
    ("clue", "TEMP_RELIEF", "civil", "head"), ("clue", "DISABILITY_NEW", "disability", "member"),
    ("clue", "DISASTER", "emergency", "head"), ("clue", "ACCIDENT", "emergency", "member"),
    ("clue", "UNEMPLOYED", "hrss", "head"), ("clue", "DEATH", "police", "member"),
    ("medical", "MEDICAL_OOP", "medical", "head"), ("medical_pair", "MEDICAL_OOP", "medical", "member"),
    ("mismatch", "UNSAFE_HOUSING", "housing", "head"), ("mismatch", "WATER_UNSAFE", "water", "head"),
    ("mismatch", "DROPOUT", "education", "head"), ("mismatch", "UNINSURED", "medical", "head"),
    ("death_head", "DEATH", "police", "head"),
    ("asset", "VEHICLE", "vehicle", "head"), ("asset", "BUSINESS", "market", "head"),
    ("asset", "PROPERTY", "property", "member"),
    ("unregistered", "DIBAO_NEW", "civil", "fresh"), ("unregistered", "DISABILITY_NEW", "disability", "fresh"),
    ("unregistered", "MEDICAL_OOP", "medical", "fresh"), ("outside", "TEMP_RELIEF", "civil", "outside"),
]
RETURN_SAYS = {"UNSAFE_HOUSING": ("housing", True), "WATER_UNSAFE": ("water", True), "DROPOUT": ("dropout", 0),
               "UNINSURED": ("all_insured", True)}
# background records that never make a finding: (event, department, grade choices)
BACKGROUND = [("VEHICLE", "vehicle", ["小型轿车", "轻型货车"]), ("BUSINESS", "market", [""]),
              ("PROPERTY", "property", [""]), ("UNSAFE_HOUSING", "housing", ["C", "D"]),
              ("DEATH", "police", [""]), ("UNEMPLOYED", "hrss", [""]), ("DISABILITY_NEW", "disability", ["三级", "四级"]),
              ("MEDICAL_OOP", "medical", [""]), ("WATER_UNSAFE", "water", [""]), ("DROPOUT", "education", [""])]
REGISTERED_BACKGROUND = [("VEHICLE", "vehicle", ["拖拉机", "三轮汽车", "两轮摩托车", "农用运输车"]),
                         ("UNSAFE_HOUSING", "housing", ["A", "B"]), ("DISABILITY_NEW", "disability", ["三级", "四级"])]


@dataclass
class Record:
    """One record of a department file, with what it was planted as (scenario '' for background)."""

    department: str
    event: str
    person: str
    name: str
    date: dt.date
    amount: float | None = None
    grade: str = ""
    scenario: str = ""
    household: int | None = None  # index into the registry when the person is registered


@dataclass
class Registry:
    """What the department planter knows of every household (all periods) and the member roster."""

    household_ids: list[str] = field(default_factory=list)
    county_codes: list[str] = field(default_factory=list)
    village_index: list[int] = field(default_factory=list)
    heads: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    yearly: list[dict] = field(default_factory=list)  # per household: housing, water, dropout, all_insured per year
    usable: list[bool] = field(default_factory=list)  # joined at the start, never spoiled, head ID survives Excel
    members: dict[int, list[tuple[str, str, str]]] = field(default_factory=dict)  # roster: (id, name, relation)

    def add(self, data: VillageData, spoiled: set[tuple[int, int]], rostered: bool, rng: np.random.Generator) -> None:
        """Record a village's households (and their roster members when its county has a roster)."""
        v = data.village.index
        for h, hid in enumerate(data.household_ids):
            index = len(self.household_ids)
            self.household_ids.append(hid)
            self.county_codes.append(data.village.county_code)
            self.village_index.append(v)
            self.heads.append(data.id_numbers[h])
            self.types.append(str(data.basics.types[h]))
            self.sizes.append(int(data.basics.size[h]))
            self.yearly.append({"housing": data.housing_safe[h].tolist(), "water": data.water_safe[h].tolist(),
                                "dropout": data.dropout[h].tolist(),
                                "all_insured": (data.insured[h] == data.basics.size[h]).tolist()})
            self.usable.append(int(data.basics.join[h]) == 0 and (v, h) not in spoiled
                               and mangled_head_id(data.id_numbers[h]) is None)
            if rostered:
                count = int(data.basics.size[h]) - 1
                ids = id_numbers(rng, data.village.county_code, count)
                names = person_names(rng, count, 0.0)
                relations = [RELATIONS[int(i)] for i in rng.integers(len(RELATIONS), size=count)]
                self.members[index] = [(data.id_numbers[h], data.names[h], "户主"),
                                       *zip(ids, names, relations)]

    def known_ids(self) -> set[str]:
        """Every registered ID number (heads and roster members)."""
        return set(self.heads) | {m[0] for people in self.members.values() for m in people}


def spoiled_households(plans: list[PeriodPlan]) -> set[tuple[int, int]]:
    """(village, household) of every planted bad row of any period: their rows may be quarantined or changed."""
    return {(v, case.household) for plan in plans for v, vp in plan.villages.items() for case in vp.rows}


def month_records(seed: int, index: int, registry: Registry, n_villages: int, known: set[str]) -> list[Record]:
    """The records of one month: each planted scenario k times on fresh households, and background records."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(21, index)))
    period = period_of(index)
    first = dt.date(int(period[:4]), int(period[4:]), 1)
    year = index // 12
    k = cases_per_period(n_villages)
    usable = [i for i, ok in enumerate(registry.usable) if ok]
    heads = [i for i in usable if i not in registry.members]
    roster = [i for i in usable if i in registry.members and len(registry.members[i]) >= 3]
    taken: set[int] = set()
    day = lambda: first + dt.timedelta(days=int(rng.integers(0, 28)))  # noqa: E731
    fresh = _fresh_people(rng, registry, known)
    records: list[Record] = []
    pools: dict[tuple, list[int]] = {}
    for scenario, event, department, how in PLANTED:
        if how in ("head", "member"):
            pools.setdefault((scenario, event, how), _pool(scenario, event, roster if how == "member" else heads,
                                                           registry, year))
        for _ in range(k):
            records += _plant(rng, scenario, event, department, how, registry, pools.get((scenario, event, how)),
                              taken, day, fresh)
    for _ in range(max(6, len(registry.household_ids) // 150)):
        event, department, grades = BACKGROUND[int(rng.integers(len(BACKGROUND)))]
        person, name = next(fresh)
        amount = float(rng.integers(200, 15000)) if event == "MEDICAL_OOP" else None
        records.append(Record(department, event, person, name, day(), amount, str(rng.choice(grades))))
    for _ in range(max(3, len(registry.household_ids) // 400)):
        event, department, grades = REGISTERED_BACKGROUND[int(rng.integers(len(REGISTERED_BACKGROUND)))]
        h = _draw(rng, usable, taken, keep=False)  # never beside a planted record of the person
        records.append(Record(department, event, registry.heads[h], "某某", day(), None, str(rng.choice(grades)),
                              household=h))
    return records


def _pool(scenario: str, event: str, pool: list[int], registry: Registry, year: int) -> list[int]:
    """The households a scenario may be planted on: a mismatch where the return says the opposite, an asset where
    the household is registered as poor."""
    if scenario == "mismatch":
        column, value = RETURN_SAYS[event]
        return [i for i in pool if registry.yearly[i][column][year] == value]
    if scenario == "asset":
        return [i for i in pool if registry.types[i] in ASSET_TYPES]
    return pool


def _draw(rng: np.random.Generator, pool: list[int], taken: set[int], keep: bool = True) -> int:
    """A household of the pool not taken yet this month (taken from now on when keep)."""
    while True:
        h = pool[int(rng.integers(len(pool)))]
        if h not in taken:
            if keep:
                taken.add(h)
            return h


def _plant(rng, scenario, event, department, how, registry: Registry, pool, taken, day, fresh):
    """The record(s) of one planted scenario."""
    if how in ("fresh", "outside"):
        person, name = next(fresh) if how == "fresh" else _outside(rng)
        amount = 25000.0 if event == "MEDICAL_OOP" else (6000.0 if event == "DISASTER" else None)
        grade = "二级" if event == "DISABILITY_NEW" else ""
        return [Record(department, event, person, name, day(), amount, grade, scenario)]
    h = _draw(rng, pool, taken)
    if scenario == "medical_pair":
        members = registry.members[h][1:3]
        return [Record(department, event, pid, name, day(), amount, "", scenario, h)
                for (pid, name, _), amount in zip(members, (12000.0, 9500.0))]
    person, name = (registry.members[h][1][:2] if how == "member" else (registry.heads[h], "某某"))
    grade = {"DISABILITY_NEW": "一级", "UNSAFE_HOUSING": "D", "VEHICLE": "小型轿车"}.get(event, "")
    amount = {"MEDICAL_OOP": 26000.0, "DISASTER": 8000.0}.get(event)
    return [Record(department, event, person, name, day(), amount, grade, scenario, h)]


def _fresh_people(rng: np.random.Generator, registry: Registry, known: set[str]):
    """People of the city's counties in no registered household (an endless supply)."""
    counties = sorted(set(registry.county_codes))
    while True:
        county = counties[int(rng.integers(len(counties)))]
        person = id_numbers(rng, county, 1)[0]
        if person not in known:
            yield person, person_names(rng, 1, 0.0)[0]


def _outside(rng: np.random.Generator) -> tuple[str, str]:
    """A person whose ID names a county outside the city (外地)."""
    return id_numbers(rng, OUTSIDE_COUNTIES[int(rng.integers(len(OUTSIDE_COUNTIES)))], 1)[0], person_names(rng, 1, 0.0)[0]
