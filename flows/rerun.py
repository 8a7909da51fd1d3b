"""The rerun flow: the nightly steps limited to one county or village (and month), re-reading its files."""
from __future__ import annotations

from prefect import flow

from core.calendar import office_today, parse_today
from core.lock import hold_store
from core.settings import load_settings
from flows.nightly import run_pipeline
from flows.scale_out import county_runner
from tasks.ingest.scope import Scope


@flow(name="povmon-rerun", log_prints=False)
def rerun(county: str | None = None, village: str | None = None, period: str | None = None,
          inbox: str | None = None, reference: str | None = None, db_path: str | None = None,
          out: str | None = None, as_of: str | None = None, settings_file: str | None = None,
          wait: bool = False, today: str | None = None) -> dict:
    """Re-read the files of a county or village (even when their hashes are known) and recompute what depends on them."""
    if bool(county) == bool(village):
        raise ValueError("a rerun needs exactly one of county or village")
    settings = load_settings(settings_file).with_paths(inbox=inbox, reference=reference, db=db_path, out=out)
    with hold_store(settings.db, wait=wait), county_runner(settings) as runner:
        return run_pipeline(settings, as_of, Scope(county=county, village=village, period=period), runner,
                            parse_today(today) or office_today())
