"""The options the povmon flows give Prefect beyond their names."""
from __future__ import annotations

from pathlib import Path

from prefect.settings import get_current_settings


def results_in_memory() -> dict:
    """A flow's results kept in memory, never persisted (a run's record is its summary in the store), with the
    storage Prefect would default to named: its home's storage folder. Left unnamed, every flow run asks the server
    for a default storage block, twice (0.05 s each, the first 0.27 s on a run's fresh temporary server: FastAPI
    builds the routes of every router before /admin at their first match)."""
    return {"persist_result": False, "result_storage": Path(get_current_settings().results.local_storage_path)}
