"""Checks of a settings file before and after it is loaded: names the defaults do not know, values in the wrong
shape, dates that are not dates, a default band that cannot be one. Each refusal names the setting."""
from __future__ import annotations

import math
from dataclasses import replace
from datetime import date
from typing import TypeVar

AnySettings = TypeVar("AnySettings")  # core.settings.Settings, which imports this module


def checked_band_defaults(settings: AnySettings) -> AnySettings:
    """The settings, once their default band is known to be 11 monthly scaled errors, low ≤ 0 ≤ high (its
    per-spread form the same, or none), and their history prior 11 monthly numbers > 0 (one number given is every
    month's), its remaining-share scaling sound."""
    for name, side, lengths in (("band_default_low", -1, (11,)), ("band_default_high", 1, (11,)),
                                ("band_default_spread_low", -1, (0, 11)), ("band_default_spread_high", 1, (0, 11))):
        values = getattr(settings, name)
        if len(values) not in lengths or any(not math.isfinite(v) or side * v < 0 for v in values):
            raise ValueError(f"[projection] {name} needs {' or '.join(map(str, lengths))} numbers (months 1–11), "
                             f"each {'≤' if side < 0 else '≥'} 0; got {list(values)}")
    if len(settings.band_default_spread_low) != len(settings.band_default_spread_high):
        raise ValueError("[projection] band_default_spread_low and band_default_spread_high need 11 numbers each, "
                         "or neither")
    prior = settings.band_history_prior
    priors = (float(prior),) * 11 if isinstance(prior, (int, float)) else tuple(prior)
    if len(priors) != 11 or not all(math.isfinite(p) and p > 0 for p in priors):
        raise ValueError("[projection] band_history_prior needs one number or 11 (months 1–11), each > 0; "
                         f"got {prior!r}")
    if not (settings.band_remaining_power >= 0 and 0 < settings.band_remaining_min <= 1):
        raise ValueError("[projection] band_remaining_power needs a number ≥ 0 and band_remaining_min one in (0, 1]; "
                         f"got {settings.band_remaining_power!r}, {settings.band_remaining_min!r}")
    return replace(settings, band_history_prior=priors)


YEAR_KEYED_TABLES = {("policy", "line"), ("policy", "by_year"), ("projection", "spring_festival")}
NUMBER_OR_MONTHS = {"projection.band_history_prior"}  # a list of 11 by month, or one number for every month
RENAMED = {"projection.band_default_relative": "projection.band_default_low and band_default_high"}


def unknown_keys(given: dict, known: dict, by_year_fields: list[str], path: tuple[str, ...] = ()) -> list[str]:
    """The dotted names of a settings file's keys that the defaults do not have (a typo, or a setting since
    renamed) or have in another shape (a table as a value, a value as a table, text where a number goes): refused
    rather than silently ignored or failing later without a name, so a run never goes on settings other than the
    ones meant."""
    found: list[str] = []
    for key, value in given.items():
        name = ".".join((*path, key))
        if path in YEAR_KEYED_TABLES:  # its keys are years; a year's entry of policy.by_year names thresholds
            by_year = path == ("policy", "by_year")
            if not key.isdigit() or by_year and not isinstance(value, dict):
                found.append(f"{name} ({'not a year' if not key.isdigit() else 'a table'})")
            elif path == ("policy", "line") and (isinstance(value, bool) or not is_number(value)):
                found.append(f"{name} = {value!r} (not a number)")
            elif by_year:
                found += [f"{name}.{field}" for field in value if field not in by_year_fields]
        elif key not in known:
            found.append(f"{name} (now {RENAMED[name]})" if name in RENAMED else name)
        elif isinstance(known[key], dict) != isinstance(value, dict):  # [policy] written as policy = 3, or back
            found.append(f"{name} ({'a table' if isinstance(known[key], dict) else 'a value, not a table'})")
        elif isinstance(value, dict):
            found += unknown_keys(value, known[key], by_year_fields, (*path, key))
        elif (misfit := kind_missed(known[key], value)) and not (name in NUMBER_OR_MONTHS and is_number(value)):
            found.append(f"{name} = {value!r} (not {misfit})")
    return found


def kind_missed(default, value) -> str | None:
    """What kind of value a setting whose default is `default` needs, when `value` is not one ('a number', 'a list',
    'true or false'); None when it is. A number may be written in quotes (float() reads it); text and dates are
    left to the setting's own reading."""
    if isinstance(default, bool):
        return None if isinstance(value, bool) else "true or false"
    if isinstance(default, (int, float)):
        return None if not isinstance(value, bool) and is_number(value) else "a number"
    if isinstance(default, list):
        return None if isinstance(value, list) else "a list"
    return None


def is_number(value) -> bool:
    """Whether float() reads the value as a finite number."""
    try:
        return isinstance(value, (int, float, str)) and math.isfinite(float(value))
    except ValueError:
        return False


def date_setting(value, name: str) -> date:
    """A setting's date (a TOML date, or text YYYY-MM-DD), refused naming the setting when it is not one."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"setting {name} = {value!r} is not a date (YYYY-MM-DD)") from None


# the thresholds whose value outside the range would not fail a run but give it a meaning nobody chose: a line
# ≤ 0 flags nobody, a negative minimum or weight draws from one county only (each refusal names the setting)
AT_LEAST = {("spot_check", "min_households"): 1, ("spot_check", "min_villages"): 1,
            ("spot_check", "management_area_min_households"): 1, ("spot_check", "management_area_min_villages"): 1,
            ("spot_check", "signal_weight"): 0, ("spot_check", "missing_return_weight"): 0,
            ("spot_check", "flagged_share_weight"): 0, ("spot_check", "household_flag_weight"): 0,
            ("policy", "near_line_factor"): 1, ("policy", "bunching_min_near"): 1,
            ("policy", "identical_min_households"): 2, ("policy", "outlier_min_households"): 1,
            ("cases", "verify_days"): 1, ("cases", "fix_days"): 1, ("cases", "close_after_months"): 1,
            ("cases", "removal_months"): 1}
BETWEEN_0_AND_1 = {("policy", "drop_threshold"), ("policy", "bunching_window"), ("policy", "bunching_p_value"),
                   ("cases", "worsen_factor"), ("departments", "medical_oop_share")}


def out_of_range(table: dict) -> list[str]:
    """The settings of a merged settings table outside their range (the income line of each year above 0, the
    minimums and weights of AT_LEAST, the shares of BETWEEN_0_AND_1 in (0, 1), a year's policy.by_year thresholds
    as their defaults), as 'section.key = value (why)'."""
    found = [f"policy.line.{year} = {value!r} (needs > 0)" for year, value in table["policy"]["line"].items()
             if not (is_number(value) and float(value) > 0)]
    for (section, key), least in AT_LEAST.items():
        value = table.get(section, {}).get(key)
        if is_number(value) and not float(value) >= least:
            found.append(f"{section}.{key} = {value!r} (needs ≥ {least})")
    for section, key in BETWEEN_0_AND_1:
        value = table.get(section, {}).get(key)
        if is_number(value) and not 0 < float(value) < 1:
            found.append(f"{section}.{key} = {value!r} (needs a number between 0 and 1)")
    for year, entry in table["policy"].get("by_year", {}).items():  # a year's threshold has its default's range
        if isinstance(entry, dict):
            found += [f.replace("policy.", f"policy.by_year.{year}.", 1)
                      for f in out_of_range({"policy": {"line": {}, **entry}})]
    return found
