"""Returns and department files refused for a read limit ([ingest]) read again once the city changed the limits, as
a store rebuilt with the new limits would read them (a file whose size is over the limit is listed again each run
anyway)."""
from __future__ import annotations

import json
from dataclasses import asdict

import duckdb

from core import db
from core.settings import Settings
from tasks.ingest.limits import ReadLimits


def limits_key(settings: Settings) -> str:
    """The read limits in force, as recorded."""
    return json.dumps(asdict(ReadLimits.from_table(settings.read_limits)), sort_keys=True)


def refused_under_other_limits(con: duckdb.DuckDBPyConnection, settings: Settings) -> set[str]:
    """The names of returns and department files refused for a read limit, when the limits recorded are not those
    in force (none: a store whose files were all read under these, or made before the record was kept)."""
    recorded = db.scalar(con, "SELECT limits_key FROM read_limits_applied")
    if recorded is None or recorded == limits_key(settings):
        return set()
    return {name for statement in ("load/limit_refused_files", "load/limit_refused_department_files")
            for (name,) in db.rows(con, statement)}


def record_limits(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """Record the limits in force, once the run's files read under them are loaded (a run killed before leaves the
    old record, and the next reads those returns again); a night under the same limits writes nothing."""
    wanted = limits_key(settings)
    if db.scalar(con, "SELECT limits_key FROM read_limits_applied") != wanted:
        db.run(con, "load/record_read_limits", {"limits_key": wanted})
