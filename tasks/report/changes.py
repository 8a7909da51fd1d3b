"""The context of a figure: its share of households, and its change from last month and from the same month last
year (rows of reports/figure_changes), for a county or summed over the city's counties."""
from __future__ import annotations


def share(part: int | None, whole: int | None) -> float | None:
    """part / whole, None when either is unknown or whole is zero."""
    return None if part is None or not whole else part / whole


def signed(value: float, unit: str, digits: int = 0) -> str:
    """A change with its sign: '+3户', '−0.4个百分点', '持平'."""
    if round(value, digits) == 0:
        return "持平"
    return f"{'+' if value > 0 else '−'}{abs(value):,.{digits}f}{unit}"


COMPARED = [("month", "较上月"), ("year", "较上年同期")]  # the month compared with, as figure_changes names it


def change_text(now: int, before: int | None, now_share: float | None, before_share: float | None, when: str,
                unit: str = "户") -> str:
    """'较上月 +3户（+0.4个百分点）', or that there is nothing to compare with."""
    if before is None:
        return f"{when}：无可比数据"
    text = f"{when} {signed(now - before, unit)}"
    if now_share is not None and before_share is not None:
        text += f"（{signed((now_share - before_share) * 100, '个百分点', 1)}）"
    return text


def change_notes(key: str, count: int, households: int | None, changes: dict, unit: str = "户") -> list[str]:
    """A figure's change from last month and from the same month last year (changes: figure_changes rows by
    compared month), with the change of its share of households when households is given."""
    notes = []
    for compared, when in COMPARED:
        before = changes.get(compared) or {}
        whole = before.get("households_count")
        notes.append(change_text(count, before.get(key), None if households is None else share(count, households),
                                 None if households is None else share(before.get(key), whole), when, unit))
    return notes


def reported_notes(county: dict, changes: list[dict] | None) -> list[str]:
    """The change of the county's villages with a usable return from last month and the same month last year."""
    compared = {row["compared"]: row for row in changes or []}
    return change_notes("villages_reported_count", county["villages_reported_count"], None, compared, "个村")


def year_notes(county: dict, keys: list[str]) -> dict[str, str]:
    """A county's change from the same month last year of some figures (and of their share), by figure key; ''
    where it has no figure then (the city table stays quiet where the cards say 无可比数据)."""
    figures = county.get("figures")
    year = next((r for r in county.get("changes") or [] if r["compared"] == "year"), {})
    if not figures:
        return {}
    return {key: change_notes(f"{key}_count", figures[f"{key}_count"], figures["households_count"], {"year": year})[1]
            if year.get(f"{key}_count") is not None else "" for key in keys}


def sum_changes(counties: list[dict], keys: list[str]) -> list[dict]:
    """The city's figure_changes rows: for each month compared, the sum over the counties with figures now of each
    key (None when one of them has no figure then), and of the villages with a return over every county."""
    shown = [c for c in counties if c.get("figures")]
    sums = []
    for compared, _ in COMPARED:
        found = {c["county_code"]: next((r for r in c.get("changes") or [] if r["compared"] == compared), {})
                 for c in counties}
        if not any(found.values()):
            continue  # the store holds no such month
        total = {"compared": compared}
        for key in keys:
            values = [found[c["county_code"]].get(key) for c in shown]
            total[key] = None if not values or None in values else sum(values)
        # a county of the reference list without villages has no row: none of its villages reported
        total["villages_reported_count"] = sum(row.get("villages_reported_count") or 0 for row in found.values())
        sums.append(total)
    return sums
