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
