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
DATES = {"cases.campaign.end"}  # text that may be written as a TOML date
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
        elif (misfit := kind_missed(known[key], value, name in DATES)) and not (name in NUMBER_OR_MONTHS
                                                                               and is_number(value)):
            found.append(f"{name} = {value!r} (not {misfit})")
    return found


def kind_missed(default, value, is_date: bool = False) -> str | None:
    """What kind of value a setting whose default is `default` needs, when `value` is not one ('a number', 'a list',
    'true or false', 'text'); None when it is. A number may be written in quotes (float() reads it); what text
    says (a date, a path) is left to the setting's own reading."""
    if isinstance(default, bool):
        return None if isinstance(value, bool) else "true or false"
    if isinstance(default, (int, float)):
        return None if not isinstance(value, bool) and is_number(value) else "a number"
    if isinstance(default, list) and not isinstance(value, list):
        return "a list"
    if isinstance(default, list) and default and all(isinstance(x, str) for x in default):
        return None if all(isinstance(x, str) for x in value) else "a list of text"
    if isinstance(default, str):
        return None if isinstance(value, str) or is_date and isinstance(value, date) else "text"
    return None


def is_number(value) -> bool:
    """Whether float() reads the value as a finite number."""
    try:
        return isinstance(value, (int, float, str)) and math.isfinite(float(value))
    except ValueError:
        return False


def whole_number(value) -> int:
    """A setting's whole number (200, "200", 200.0 or "2e2"); ValueError for 200.7 rather than 200."""
    if isinstance(value, int):
        return value
    if not (number := float(value)).is_integer():
        raise ValueError(f"{value!r} is not a whole number")
    return int(number)


def date_setting(value, name: str) -> date:
    """A setting's date (a TOML date, or text YYYY-MM-DD), refused naming the setting when it is not one."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"setting {name} = {value!r} is not a date (YYYY-MM-DD)") from None
