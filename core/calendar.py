"""The office's calendar: today in Asia/Shanghai, read only by entry points (the CLI, a scheduled flow)."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

OFFICE_ZONE = ZoneInfo("Asia/Shanghai")


def office_today() -> date:
    """Today's date in Asia/Shanghai."""
    return datetime.now(OFFICE_ZONE).date()


def parse_today(text: str | date | None) -> date | None:
    """A --today value (YYYY-MM-DD, or a date already) as a date; None stays None."""
    return text if text is None or isinstance(text, date) else date.fromisoformat(str(text))
