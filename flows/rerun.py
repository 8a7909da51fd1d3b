"""The rerun flow: the nightly steps limited to one county or village (and month), re-reading its files."""
from __future__ import annotations

from prefect import flow

from core.clock import resolve_today
from core.settings import Settings, deployed_settings
from flows.nightly import run_in_store
from flows.flow_options import results_in_memory
from flows.results import RunSummary
from tasks.ingest.scope import Scope


@flow(name="povmon-rerun", log_prints=False, validate_parameters=False, **results_in_memory())
def rerun(county: str | None = None, village: str | None = None, period: str | None = None,
          settings: Settings | None = None, settings_file: str | None = None, as_of: str | None = None,
          today: str | None = None, wait: bool = False, department: str | None = None) -> RunSummary:
    """Re-read the files of a county, village or department (even when their hashes are known) and recompute what
    depends on them. Settings as for the nightly flow: the object, or a file this entry point loads."""
    if sum(bool(x) for x in (county, village, department)) != 1:
        raise ValueError("a rerun needs exactly one of county, village or department")
    settings = settings or deployed_settings(settings_file)
    return run_in_store(settings, as_of, resolve_today(today), Scope(county=county, village=village, period=period,
                                                                    department=department),
                        wait)
