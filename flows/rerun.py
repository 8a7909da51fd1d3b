"""The rerun flow: the nightly steps limited to one county or village (and month), re-reading its files."""
from __future__ import annotations

from prefect import flow

from core.clock import resolve_today
from core.settings import Settings, load_settings
from flows.nightly import run_in_store
from flows.results import RunSummary
from tasks.ingest.scope import Scope


@flow(name="povmon-rerun", log_prints=False, validate_parameters=False)
def rerun(county: str | None = None, village: str | None = None, period: str | None = None,
          settings: Settings | None = None, settings_file: str | None = None, as_of: str | None = None,
          today: str | None = None, wait: bool = False) -> RunSummary:
    """Re-read the files of a county or village (even when their hashes are known) and recompute what depends
    on them. Settings as for the nightly flow: the object, or a file this entry point loads."""
    if bool(county) == bool(village):
        raise ValueError("a rerun needs exactly one of county or village")
    settings = settings or load_settings(settings_file)
    return run_in_store(settings, as_of, resolve_today(today), Scope(county=county, village=village, period=period),
                        wait)
