"""The scope of a run: everything (the nightly run), or one county or village, optionally one month (a rerun)."""
from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import date

import polars as pl

from tasks.ingest.department_names import match_department_name
from tasks.ingest.discover import parse_return_name


@dataclass(frozen=True)
class Scope:
    """Which files a run re-reads: none for a nightly run; for a rerun the returns of a county or village, or the
    files of a department (and month)."""

    county: str | None = None
    village: str | None = None
    period: str | None = None
    department: str | None = None
    # counties whose pages a rerun renders besides its own: those its new deliveries touched (None: every county)
    touched: frozenset[str] | None = field(default=frozenset(), compare=False)

    @property
    def is_rerun(self) -> bool:
        """True when the run is limited to a county, a village or a department."""
        return bool(self.county or self.village or self.department)

    def covers_department(self, file_name: str) -> bool:
        """True when a department file of this name belongs to the scope (an unusable name never does)."""
        if not self.department:
            return False
        name = match_department_name(file_name)
        return (name is not None and name["department"].lower() == self.department.lower()
                and (self.period is None or name["period"] == self.period))

    def covers(self, file_name: str) -> bool:
        """True when a return of this name belongs to the scope (a file with an unusable name never does)."""
        if not (self.county or self.village) or not file_name.strip().startswith(self.village or self.county):
            return False  # the cheap test first: a rerun asks this of every known file in the inbox
        name = parse_return_name(file_name)
        if name.village_code is None:
            return False
        if self.village and name.village_code != self.village:
            return False
        if self.county and not name.village_code.startswith(self.county):
            return False
        return self.period is None or name.period == self.period

    def counties(self) -> set[str] | None:
        """The counties the scope touches (None: all of them)."""
        if not (self.county or self.village) or self.touched is None:  # a department's records touch every county
            return None
        return {(self.village or self.county)[:6]} | self.touched

    def widened(self, counties: Collection[str] | None) -> Scope:
        """The scope whose pages also cover these counties (None: every county)."""
        return replace(self, touched=None if counties is None or self.touched is None
                       else self.touched | frozenset(counties))

    def label(self) -> str | None:
        """The scope as runs.scope records it, e.g. 'village=430521001001 period=202003'."""
        parts = [f"{k}={v}" for k, v in (("county", self.county), ("village", self.village),
                                                  ("department", self.department), ("period", self.period)) if v]
        return " ".join(parts) or None

    def check_known(self, units: pl.DataFrame, departments: Collection[str] = ()) -> None:
        """Refuse a rerun of a county or village the reference list does not hold, or of a department not among
        those given (it would re-read nothing and publish unchanged exports as if it had worked)."""
        code = self.village or self.county
        kind = "village" if self.village else "county"
        if code and code not in set(units.filter(pl.col("level") == kind)["code"].to_list()):  # a township's code
            raise ValueError(f"{kind} {code} is not a {kind} of admin_units.csv: nothing to rerun")  # is neither
        if self.department and self.department.lower() not in departments:
            raise ValueError(f"department {self.department} is not one of {', '.join(sorted(departments))}: "
                             "nothing to rerun")
        if self.period:
            check_month(self.period, "--period")


def check_month(period: str, option: str = "--as-of", today: date | None = None) -> None:
    """Refuse a month that is not YYYYMM in ASCII digits with a real month, or (given today) one after today's
    month: a run as of it would publish empty exports as if all were well."""
    if not re.fullmatch(r"(20[0-9]{2})(0[1-9]|1[0-2])", period or "", re.ASCII):
        raise ValueError(f"{option} must be a month YYYYMM (2000-2099, month 01-12), got {period!r}")
    if today is not None and period > f"{today.year:04d}{today.month:02d}":
        raise ValueError(f"{option} {period} is after this month ({today:%Y%m})")
