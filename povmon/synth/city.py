"""generate_city: write a synthetic city's reference list, inbox of village returns, and truth.

Layout under root:
  reference/admin_units.csv            counties, townships, villages (management_area is 1 on the
                                       management-area county and inherited by its townships and villages)
  inbox/<county>/<YYYYMM>/<file>       each village's monthly return (.csv or .xlsx), corrections beside it
  inbox/<county>/resend/, inbox/misc/  the same bytes delivered again
  truth/planted.csv                    every planted bad file, bad row, correction, resend and as-of signal
  truth/households.parquet             clean values per household x period (before any mess)

Every household's whole 2018-2021 series is drawn first from its village's own random stream, and
each period's mess plan depends only on the seed and the periods before it, so the files of a month
are byte-identical whatever as_of is; files carry no timestamps and their mtime is the day sent.
Every period carries each planted case (one per ~150 villages, variants rotating month by month), so
whichever month is as_of, a first run shows every code there.
"""
from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from pathlib import Path

import numpy as np

from povmon.synth.department_files import month_files, truth_csv, truth_rows, write_members
from povmon.synth.department_plan import Registry, month_records, spoiled_households
from povmon.synth.anomalies import plant_bunching, plant_identical, tame_outliers
from povmon.synth.calendars import MIXES
from povmon.synth.households import VillageData, draw_basics, draw_county_traits, draw_village
from povmon.synth.plan import PeriodPlan, VillagePlan, build_plans
from povmon.synth.render import render, unreadable_bytes
from povmon.synth.returns import build_return, level_of
from povmon.synth.rows import report_date
from povmon.synth.schema import month_of_year, period_index, period_of
from povmon.synth.truth import HouseholdTruth, Planted, planted_csv, village_truth
from povmon.synth.units import SCALES, City, County, build_city, write_admin_units

BUNCHING, IDENTICAL, MISSING = "THRESHOLD_BUNCHING", "IDENTICAL_ROWS", "MISSING_RETURN"


class Inbox:
    """Writes delivered files under inbox/, each dated (mtime) the day the village sent it."""

    def __init__(self, root: Path):
        """Remember where the inbox is; count what is written."""
        self.root = root
        self.made: set[Path] = set()
        self.files = self.rows = self.bytes = 0

    def put(self, folder: str, name: str, data: bytes, sent: dt.date) -> None:
        """Write one file and set its mtime to noon (UTC+8) of the day it was sent."""
        directory = self.root / folder
        if directory not in self.made:
            directory.mkdir(parents=True, exist_ok=True)
            self.made.add(directory)
        path = directory / name
        path.write_bytes(data)
        stamp = dt.datetime(sent.year, sent.month, sent.day, 4, tzinfo=dt.timezone.utc).timestamp()
        os.utime(path, (stamp, stamp))
        self.files += 1
        self.bytes += len(data)


def choose_roles(seed: int, city: City) -> dict[int, str]:
    """Villages with a planted signal: bunching in all counties but the last, identical rows in all but the first."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(6,)))
    roles: dict[int, str] = {}
    counties = city.counties
    plan = [(c, BUNCHING) for c in (counties[:-1] if len(counties) >= 3 else counties)]
    plan += [(c, IDENTICAL) for c in (counties[1:] if len(counties) >= 3 else counties)]
    for county, role in plan:
        big = [v for v in county.villages if city.villages[v].n_households >= 40 and v not in roles]
        roles[int(rng.choice(big))] = role
    return roles


def make_village(seed: int, city: City, v: int, basics, traits, role: str, calendars: str = "demo") -> VillageData:
    """Draw a village and plant its signal (if it has one)."""
    data = draw_village(seed, city.villages[v], basics, traits, shocks_on=not role, calendars=calendars)
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(7, v)))
    if role == BUNCHING:
        data.special_households = plant_bunching(rng, data, traits.profiles)
    elif role == IDENTICAL:
        data.special_households = plant_identical(rng, data)
    else:
        tame_outliers(data)
    data.role = role
    return data


def generate_city(root: Path, *, seed: int = 7, scale: str = "small", as_of: str = "202003",
                  calendars: str = "demo") -> dict:
    """Write a synthetic city under root: reference/admin_units.csv, inbox/<county>/..., truth/...; return summary
    counts. calendars names the households' calendar mix (povmon/synth/calendars.py MIXES)."""
    root = Path(root)
    last = period_index(as_of)
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {sorted(SCALES)}, got {scale!r}")
    if calendars not in MIXES:
        raise ValueError(f"calendars must be one of {sorted(MIXES)}, got {calendars!r}")
    city = build_city(seed, scale)
    admin_path = write_admin_units(city, root / "reference")
    basics = [draw_basics(seed, village) for village in city.villages]
    roles = choose_roles(seed, city)
    plans = build_plans(seed, city, basics, set(roles), SCALES[scale].xlsx_share)
    inbox = Inbox(root / "inbox")
    truth = HouseholdTruth(root / "truth" / "households.parquet")
    planted: list[Planted] = []
    households = 0
    registry, spoiled = Registry(), spoiled_households(plans)
    for county in city.counties:
        traits = draw_county_traits(seed, county)
        for v in county.villages:
            data = make_village(seed, city, v, basics[v], traits, roles.get(v, ""), calendars)
            registry.add(data, spoiled, county is city.counties[0],
                         np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(22, v))))
            truth.add(village_truth(data, last, data.role))
            households += int((data.basics.join <= last).sum())
            for index in range(last + 1):
                planted += write_village_period(inbox, city, county, data, plans, index)
        truth.flush()
    truth.close()
    planted += write_departments(root, seed, city, registry, plans, inbox, last)
    as_of_period = period_of(last)
    for v, role in sorted(roles.items()):
        planted.append(Planted("signal", village_code=city.villages[v].code, period=as_of_period, code=role))
    for v, plan in sorted(plans[last].villages.items()):
        if plan.status in ("missing", "rejected"):
            planted.append(Planted("signal", village_code=city.villages[v].code, period=as_of_period, code=MISSING))
    planted_path = root / "truth" / "planted.csv"
    planted_path.write_bytes(planted_csv(planted))
    return {
        "seed": seed, "scale": scale, "as_of": as_of_period, "calendars": calendars,
        "counties": len(city.counties), "villages": len(city.villages), "households": households,
        "files": inbox.files, "rows": inbox.rows, "bytes": inbox.bytes,
        "periods": [period_of(i) for i in range(last + 1)],
        "planted": dict(sorted(Counter(p.code or p.kind for p in planted).items())),
        "department_findings": dict(sorted(Counter(line.split(",")[0] for line in (
            root / "truth" / "department_findings.csv").read_text("utf-8").splitlines()[1:]).items())),
        "paths": {
            "root": str(root), "inbox": str(root / "inbox"), "reference": str(root / "reference"),
            "admin_units": str(admin_path), "truth": str(root / "truth"), "planted": str(planted_path),
            "households": str(root / "truth" / "households.parquet"),
            "department_findings": str(root / "truth" / "department_findings.csv"),
            "members": str(root / "reference" / "members.csv"),
        },
    }


def write_village_period(inbox: Inbox, city: City, county: County, data: VillageData, plans: list[PeriodPlan],
                         index: int) -> list[Planted]:
    """Write every file one village delivers for one period; return what was planted in them."""
    v, code, period = data.village.index, data.village.code, period_of(index)
    plan, styles = plans[index].of(v), plans[index].styles
    style = styles.of(v)
    folder, base = f"{county.code}/{period}", f"{code}_{period}"
    sent = report_date(index, int(data.report_days[index]))
    place = county.name
    out: list[Planted] = []
    if plan.status == "missing":
        return out
    if plan.status in ("rejected", "first_bad"):
        out += write_bad_first(inbox, data, index, plan, style, folder, base, sent, place)
        if plan.status == "first_bad":
            good, name = build_return(data, index, style, place=place), f"{base}_v2.{style.extension}"
            out += deliver(inbox, folder, name, good, style, code, period, sent + dt.timedelta(days=2))[1]
            out.append(Planted("correction", name, code, period))
        return out
    other = city.villages[county.villages[(county.villages.index(v) + 1) % len(county.villages)]].code
    content = build_return(data, index, style, cases=plan.rows, other_village=other, place=place,
                           tweak=bool(plan.correction))
    name = f"{base}.{style.extension}"
    blob, lines = deliver(inbox, folder, name, content, style, code, period, sent)
    out += lines
    previous = plans[index - 1] if index else None
    if previous and v in previous.quiet_next and month_of_year(index) > 1:
        outlier = next(c.household for c in previous.of(v).rows if c.code == "ROW_OUTLIER")
        hid = data.household_ids[outlier]
        out.append(Planted("row", name, code, period, content.row_of[outlier], hid, "ROW_YTD_DECREASE", "warning"))
    if plan.correction:
        fixed = build_return(data, index, style, place=place)
        corrected = f"{base}{plan.correction}.{style.extension}"
        out += deliver(inbox, folder, corrected, fixed, style, code, period, sent + dt.timedelta(days=3))[1]
        out += [Planted("correction", corrected, code, period, household_id=data.household_ids[c.household])
                for c in plan.rows]
    out += write_extras(inbox, data, index, plan, plans[index], folder, name, blob, sent, place)
    return out


def deliver(inbox: Inbox, folder: str, name: str, content, style, code: str, period: str,
            sent: dt.date) -> tuple[bytes, list[Planted]]:
    """Write a well-named return; its bytes and the bad rows planted in it."""
    blob = render(content, style)
    inbox.put(folder, name, blob, sent)
    inbox.rows += content.data_rows
    return blob, [Planted("row", name, code, period, row, hid, c, level_of(c)) for row, hid, c in content.planted]


def write_bad_first(inbox: Inbox, data: VillageData, index: int, plan: VillagePlan, style, folder: str, base: str,
                    sent: dt.date, place: str) -> list[Planted]:
    """The unusable file a village sent first (or only): unreadable, or missing a required column."""
    if plan.bad_code == "FILE_UNREADABLE":
        blob, ext = unreadable_bytes(plan.bad_variant, build_return(data, index, style, place=place), style)
    else:
        content = build_return(data, index, style, place=place, drop=plan.bad_variant)
        blob, ext = render(content, style), style.extension
    inbox.put(folder, f"{base}.{ext}", blob, sent)
    return [Planted("file", f"{base}.{ext}", data.village.code, period_of(index), None, "", plan.bad_code, "error")]


def write_extras(inbox: Inbox, data: VillageData, index: int, plan: VillagePlan, period_plan: PeriodPlan,
                 folder: str, name: str, blob: bytes, sent: dt.date, place: str) -> list[Planted]:
    """Misnamed copies, copies under an unknown village code, and resends of a village's return."""
    code, period, ext = data.village.code, period_of(index), name.rsplit(".", 1)[1]
    out: list[Planted] = []
    for variant in plan.misnamed:
        if variant == "village_xlsx":
            style = period_plan.styles.of(data.village.index, force_xlsx=True)
            extra, extra_blob = f"{data.village.name}报表.xlsx", render(build_return(data, index, style, place=place), style)
        else:
            extra = {"dash_period": f"{code}_{period[:4]}-{period[4:]}.{ext}", "short_code": f"{code[:10]}_{period}.{ext}",
                     "browser_copy": f"{code}_{period}(1).{ext}"}[variant]
            extra_blob = blob
        inbox.put(folder, extra, extra_blob, sent)
        out.append(Planted("file", extra, code, period, None, "", "FILE_NAME_INVALID", "error"))
    for ordinal in plan.unknown:
        unknown = f"{code[:6]}{900 + ordinal % 99:03d}{index + 1:03d}"
        style = period_plan.styles.of(data.village.index)
        content = build_return(data, index, style, place=place, prefix=unknown)
        inbox.put(folder, f"{unknown}_{period}.{style.extension}", render(content, style), sent)
        out.append(Planted("file", f"{unknown}_{period}.{style.extension}", unknown, period, None, "",
                           "FILE_UNKNOWN_VILLAGE", "error"))
    if plan.resend:
        inbox.put(f"{code[:6]}/resend" if plan.resend == "county" else "misc", name, blob, sent + dt.timedelta(days=1))
        out.append(Planted("resend", name, code, period))
    return out


def write_departments(root: Path, seed: int, city: City, registry: Registry, plans: list[PeriodPlan], inbox: Inbox,
                      last: int) -> list[Planted]:
    """Every month's department files under inbox/departments/<YYYYMM>/, the member roster of the first county,
    and truth/department_findings.csv for the as-of month; returns the problems planted in the files."""
    known = registry.known_ids()
    records = {index: month_records(seed, index, registry, len(city.villages), known) for index in range(last + 1)}
    planted: list[Planted] = []
    for index, month in records.items():
        files, lines = month_files(index, month)
        period = period_of(index)
        sent = dt.date(int(period[:4]) + int(period[4:]) // 12, int(period[4:]) % 12 + 1, 5)
        for name, blob in files:
            inbox.put(f"departments/{period}", name, blob, sent)
        planted += lines
    write_members(registry, root / "reference")
    (root / "truth" / "department_findings.csv").write_bytes(truth_csv(truth_rows(records, registry, plans, last)))
    return planted
