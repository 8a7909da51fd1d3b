"""Prefect's environment for an offline machine, set once before Prefect is imported."""
from __future__ import annotations

import os
from pathlib import Path


def configure_prefect(prefect_home: Path) -> None:
    """Point Prefect at the project's home and keep it offline; variables already set win."""
    prefect_home = Path(prefect_home).resolve()
    prefect_home.mkdir(parents=True, exist_ok=True)
    defaults = {
        "PREFECT_HOME": str(prefect_home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        # the first start of an empty home runs migrations (~15 s on this class of machine)
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
        "PREFECT_UI_ENABLED": "true",
        "PREFECT_LOGGING_LEVEL": "WARNING",
        # the console shows povmon's own lines (a step each, one line for a failure); Prefect's error records with
        # their tracebacks still reach the flow run's logs on the server, not the terminal (68 lines for a
        # missing admin_units.csv, where the README promises one)
        "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "CRITICAL",
        "PREFECT_TASKS_REFRESH_CACHE": "false",
    }
    for key, value in defaults.items():
        os.environ.setdefault(key, value)
