"""The scope of a run: everything (the nightly run), or one county or village, optionally one month (a rerun)."""
from __future__ import annotations

from dataclasses import dataclass

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
        if not (self.county or self.village):  # a department's records touch every county
            return None
        return {(self.village or self.county)[:6]}

    def label(self) -> str | None:
        """The scope as runs.scope records it, e.g. 'village=430521001001 period=202003'."""
        parts = [f"{k}={v}" for k, v in (("county", self.county), ("village", self.village),
                                                  ("department", self.department), ("period", self.period)) if v]
        return " ".join(parts) or None
