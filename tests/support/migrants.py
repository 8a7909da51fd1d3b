"""Migrant households for the Spring Festival tests: each month a wage, business and transfer income, and the year's
festival lump in the month its Spring Festival wages arrive (the shipped settings' table, README "Flags")."""
from __future__ import annotations

from core.income_year import period_of
from core.settings import load_settings
from tasks.marts.project import festival_months_frame

SHIPPED = load_settings(None, environ={})
# income year -> month of the income year (October = 1) its festival wages arrive in, from the shipped settings
FESTIVAL_MONTH = dict(festival_months_frame(SHIPPED).iter_rows())


def migrant_year(income_year: int, wage: float, lump: float, business: float, transfer: float,
                 last_month: int = 12) -> list[tuple[str, dict[str, float]]]:
    """(period, year-to-date amounts) of each month of an income year up to last_month: wage, business and
    transfer income every month, and the lump in the year's festival month."""
    festival = FESTIVAL_MONTH[income_year]
    return [(period_of(income_year, m), {"wage": wage * m + (lump if m >= festival else 0.0),
                                         "business": business * m, "transfer": transfer * m})
            for m in range(1, last_month + 1)]
