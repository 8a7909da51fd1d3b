"""The run's "today": given (`--today YYYY-MM-DD`, so replays are deterministic) or the date in Asia/Shanghai.

Only entry points (the command line, a flow started by a deployment) call `resolve_today`; everything below
them receives the date."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

OFFICE_TIMEZONE = ZoneInfo("Asia/Shanghai")


def resolve_today(given: str | date | None) -> date:
    """The date a run judges deadlines against: the one given, else today's date in Asia/Shanghai."""
    if isinstance(given, date):
        return given
    if given:
        try:
            return date.fromisoformat(given)
        except ValueError:
            raise ValueError(f"--today must be a date YYYY-MM-DD, got {given!r}") from None
    return datetime.now(OFFICE_TIMEZONE).date()


NO_LATER_MONTH = "999912"  # no run's month: every YYYYMM is at or before it


def run_month(today: date | None) -> str:
    """The YYYYMM of the run's today: no return is taken as the as-of month after it (NO_LATER_MONTH without one)."""
    return f"{today:%Y%m}" if today else NO_LATER_MONTH
