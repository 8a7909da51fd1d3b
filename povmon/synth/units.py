"""The administrative tree of the synthetic city (counties, townships, villages) and admin_units.csv."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from povmon.synth.names import unit_names

PROVINCE = "43"


@dataclass(frozen=True)
class Scale:
    """How big a synthetic city is and how its files look."""

    counties: list[tuple[str, bool]]  # (6-digit county code, is management area)
    townships: tuple[int, int]  # per county, inclusive range
    villages: tuple[int, int]  # per township, inclusive range
    households: tuple[int, int]  # per village, inclusive range
    xlsx_share: float


def _province_counties() -> list[tuple[str, bool]]:
    """About 100 counties over 12 cities of province 43, four of them management areas."""
    counties = []
    for city in range(1, 13):
        counties += [(f"{PROVINCE}{city:02d}{c}", False) for c in ("02", "03", "21", "22", "23", "24", "25", "26")]
        if city in (3, 5, 7, 9):
            counties.append((f"{PROVINCE}{city:02d}71", True))
    return counties


SCALES = {
    "small": Scale([("430521", False), ("430522", False), ("430571", True)], (2, 3), (4, 5), (30, 80), 0.12),
    "city": Scale(
        [(f"4305{c}", c == "71") for c in ("02", "03", "11", "21", "22", "23", "24", "25", "27", "71")],
        (11, 14), (10, 14), (60, 140), 0.05,
    ),
    "province": Scale(_province_counties(), (11, 14), (10, 14), (60, 140), 0.05),
}


@dataclass(frozen=True)
class Village:
    """One village: where it sits and how many households it registers at the start."""

    index: int
    code: str
    name: str
    county_index: int
    n_households: int

    @property
    def county_code(self) -> str:
        """The 6-digit county code this village belongs to."""
        return self.code[:6]


@dataclass(frozen=True)
class County:
    """One county (or management area) and the indices of its villages."""

    index: int
    code: str
    name: str
    management_area: bool
    villages: tuple[int, ...]


@dataclass(frozen=True)
class City:
    """The whole tree: counties, townships as (code, name, county code), villages."""

    counties: list[County]
    townships: list[tuple[str, str, str]]
    villages: list[Village]

    def village_codes(self) -> set[str]:
        """Every village code in the reference list."""
        return {v.code for v in self.villages}


def build_city(seed: int, scale: str) -> City:
    """Draw the tree for a scale from its own seed stream; small has exactly 33 villages."""
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {sorted(SCALES)}, got {scale!r}")
    spec = SCALES[scale]
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(1,)))
    county_names = unit_names(rng, len(spec.counties), ["县"])
    counties, townships, villages = [], [], []
    for ci, (code, is_area) in enumerate(spec.counties):
        name = county_names[ci][:2] + ("管理区" if is_area else "区" if code[4] == "0" else "县")
        if scale == "small":
            n_towns = 2 if is_area else 3
        else:
            n_towns = int(rng.integers(*spec.townships, endpoint=True))
        town_names = unit_names(rng, n_towns, ["镇", "镇", "乡"])
        sizes = _village_counts(rng, scale, ci, n_towns, spec)
        members = []
        for ti in range(n_towns):
            town_code = f"{code}{ti + 1:03d}"
            townships.append((town_code, town_names[ti], code))
            for vi, vname in enumerate(unit_names(rng, sizes[ti], ["村"])):
                n_hh = int(rng.integers(*spec.households, endpoint=True))
                members.append(len(villages))
                villages.append(Village(len(villages), f"{town_code}{vi + 1:03d}", vname, ci, n_hh))
        counties.append(County(ci, code, name, is_area, tuple(members)))
    return City(counties, townships, villages)


def _village_counts(rng: np.random.Generator, scale: str, county: int, n_towns: int, spec: Scale) -> list[int]:
    """Villages per township; small splits 33 villages 12/12/9 over 3+3+2 townships."""
    if scale == "small":
        total = (12, 12, 9)[county]
        base = [total // n_towns] * n_towns
        for extra in rng.choice(n_towns, total - sum(base), replace=False):
            base[int(extra)] += 1
        return base
    return [int(x) for x in rng.integers(*spec.villages, endpoint=True, size=n_towns)]


def admin_units_csv(city: City) -> bytes:
    """The reference list as UTF-8 CSV bytes; management_area is inherited by townships and villages."""
    area = {c.code: int(c.management_area) for c in city.counties}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["code", "name", "level", "parent_code", "management_area"])
    for county in city.counties:
        writer.writerow([county.code, county.name, "county", "", area[county.code]])
    for code, name, parent in city.townships:
        writer.writerow([code, name, "township", parent, area[parent]])
    for village in city.villages:
        writer.writerow([village.code, village.name, "village", village.code[:9], area[village.county_code]])
    return out.getvalue().encode("utf-8")


def write_admin_units(city: City, reference_dir: Path) -> Path:
    """Write reference/admin_units.csv and return its path."""
    reference_dir.mkdir(parents=True, exist_ok=True)
    path = reference_dir / "admin_units.csv"
    path.write_bytes(admin_units_csv(city))
    return path
