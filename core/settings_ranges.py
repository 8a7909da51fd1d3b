"""The range of every numeric setting, the shape of the default shares and the codes a coded list may hold, each
refusal naming the setting (or environment variable)."""
from __future__ import annotations

from typing import NamedTuple

from core.flag_codes import HOUSEHOLD_FLAGS, HOUSEHOLD_TYPES
from core.settings_checks import is_number


class Range(NamedTuple):
    """A setting's values: whole numbers or any, between low and high (None: no end), each end open or not."""

    whole: bool
    low: float | None
    high: float | None = None
    open_low: bool = False
    open_high: bool = False

    def holds(self, number: float) -> bool:
        """Whether the number is inside the range."""
        above = self.low is None or (number > self.low if self.open_low else number >= self.low)
        return above and (self.high is None or (number < self.high if self.open_high else number <= self.high))

    def needs(self) -> str:
        """The range as a refusal states it, e.g. 'a whole number ≥ 1' or '> 0 and < 1'."""
        ends = [f"{'>' if self.open_low else '≥'} {self.low:g}"] if self.low is not None else []
        ends += [f"{'<' if self.open_high else '≤'} {self.high:g}"] if self.high is not None else []
        return ("a whole number " if self.whole else "") + " and ".join(ends)


COUNT, SHARE = Range(True, 1), Range(False, 0, 1, True, True)
DECADE_DAYS, DECADE_MONTHS = Range(True, 1, 3660), Range(True, 1, 120)
# outside these a run fails once it has dropped the marts (a coverage of 1.5 is no quantile, a share_min of 0 a
# division by zero), or completes with a meaning nobody chose (a row limit of -5 lists no flagged household, a
# due day 0 makes every return late a day early)
RANGES = {
    "ingest.settle_seconds": Range(False, 0), "ingest.batch_bytes": COUNT, "ingest.max_file_bytes": COUNT,
    "ingest.max_unzipped_bytes": COUNT, "ingest.max_sheet_cells": COUNT, "ingest.max_cell_chars": COUNT,
    "ingest.read_timeout_seconds": Range(False, 0, open_low=True),
    "report.flagged_row_limit": COUNT, "report.list_row_limit": COUNT,
    "report.returns_due_day": Range(True, 1, 28),  # a day every month has
    "scale_out.dask_local_workers": Range(True, 0),
    "policy.near_line_factor": Range(False, 1), "policy.drop_threshold": SHARE, "policy.bunching_window": SHARE,
    "policy.bunching_min_near": COUNT, "policy.bunching_p_value": SHARE,
    "policy.identical_min_households": Range(True, 2), "policy.outlier_mad_k": Range(False, 0, open_low=True),
    "policy.outlier_min_households": COUNT,
    "projection.share_min": SHARE, "projection.share_min_households": COUNT, "projection.band_coverage": SHARE,
    "projection.band_years": COUNT, "projection.band_min_new_households": COUNT,
    "projection.band_spread_min_households": COUNT, "projection.band_remaining_power": Range(False, 0),
    "projection.band_remaining_min": Range(False, 0, 1, open_low=True),
    "projection.household_prior_years": Range(False, 0), "projection.village_prior_years": Range(False, 0),
    "projection.last_year_weight": Range(False, 0, open_low=True),  # 0 divides by a share of 0
    # past 90 days an early festival's wages (21 January) would fall before October, in the income year before
    "projection.festival_lead_days": Range(True, 0, 90), "projection.festival_lump_min": SHARE,
    "spot_check.min_households": COUNT, "spot_check.min_villages": COUNT,
    "spot_check.management_area_min_households": COUNT, "spot_check.management_area_min_villages": COUNT,
    "spot_check.signal_weight": Range(False, 0), "spot_check.missing_return_weight": Range(False, 0),
    "spot_check.flagged_share_weight": Range(False, 0), "spot_check.household_flag_weight": Range(False, 0),
    # a deadline past year 9999 is no date (a run failed on verify_days = 10000000): ten years is more than any
    "cases.verify_days": DECADE_DAYS, "cases.fix_days": DECADE_DAYS, "cases.close_after_months": DECADE_MONTHS,
    "cases.worsen_factor": SHARE, "cases.removal_months": DECADE_MONTHS,
    "departments.medical_oop_threshold": Range(False, 0, open_low=True), "departments.medical_oop_share": SHARE,
}
# coded lists: what each may name, and what those are called in a refusal
CODED = {"cases.open_on": (HOUSEHOLD_FLAGS, "household flag"), "departments.asset_flags": (HOUSEHOLD_FLAGS, "household flag"),
         "departments.asset_household_types": (HOUSEHOLD_TYPES, "household type")}
ENVIRONMENT = {"POVMON_SETTLE_SECONDS": "ingest.settle_seconds",
               "POVMON_DASK_LOCAL_WORKERS": "scale_out.dask_local_workers"}
MONTHS = 12  # default shares: one per month of the income year, October to September (tasks/marts/project.py)


def value_refusal(name: str, value, allowed: Range) -> str | None:
    """Why a number is refused ('name = value (why)'), or None; a value that is no number is left to the kind
    checks, which name it as such."""
    if isinstance(value, bool) or not is_number(value):
        return None
    if allowed.whole and not float(value).is_integer():
        return f"{name} = {value!r} (not a whole number)"
    return None if allowed.holds(float(value)) else f"{name} = {value!r} (needs {allowed.needs()})"


def out_of_range(table: dict) -> list[str]:
    """The settings of a merged settings table outside their range (the line of each year above 0, RANGES, a
    year's policy.by_year thresholds as their defaults), default shares of another shape and coded lists naming
    an unknown code, as 'section.key = value (why)'."""
    found = [f"policy.line.{year} = {value!r} (needs > 0)" for year, value in table["policy"]["line"].items()
             if not (is_number(value) and float(value) > 0)]
    for name, allowed in RANGES.items():
        section, key = name.split(".")
        if key in table.get(section, {}):
            found.append(value_refusal(name, table[section][key], allowed))
    for year, entry in table["policy"].get("by_year", {}).items():
        for key, value in entry.items() if isinstance(entry, dict) else ():
            if f"policy.{key}" in RANGES:
                found.append(value_refusal(f"policy.by_year.{year}.{key}", value, RANGES[f"policy.{key}"]))
    return [refusal for refusal in found if refusal] + share_refusals(table) + code_refusals(table)


def share_refusals(table: dict) -> list[str]:
    """The default shares that are not 12 numbers from 0 to 1 (the marts would clamp them, or fail on their
    length after dropping the store's marts)."""
    found = []
    for component, shares in table.get("projection", {}).get("default_share", {}).items():
        if isinstance(shares, list) and not (len(shares) == MONTHS and all(
                not isinstance(s, bool) and is_number(s) and 0 <= float(s) <= 1 for s in shares)):
            found.append(f"projection.default_share.{component} = {shares!r} (needs {MONTHS} shares from 0 to 1, "
                         "October to September)")
    return found


def code_refusals(table: dict) -> list[str]:
    """The coded lists naming a code nobody gives (a typo would silently stop what it names)."""
    found = []
    for name, (codes, called) in CODED.items():
        section, key = name.split(".")
        given = table.get(section, {}).get(key)
        if isinstance(given, list) and (unknown := [code for code in given if code not in codes]):
            found.append(f"{name} = {given!r} (not a {called}: {', '.join(map(repr, unknown))}; "
                         f"the {called}s are {', '.join(codes)})")
    return found


def environment_refusals(environ: dict) -> list[str]:
    """The POVMON_* variables of a number whose value is no number or out of its setting's range."""
    found = []
    for variable, name in ENVIRONMENT.items():
        value = environ.get(variable)
        if value and not is_number(value):
            found.append(f"{variable} = {value!r} (not a number)")
        elif value:
            found.append(value_refusal(variable, value, RANGES[name]))
    return [refusal for refusal in found if refusal]
