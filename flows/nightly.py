"""The nightly flow: discover, parse, validate, load, project, flag, publish — read top to bottom."""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from prefect import flow, get_run_logger
from prefect.task_runners import TaskRunner

from core.calendar import office_today, parse_today
from core.lock import hold_store
from core.settings import Settings, load_settings
from flows import steps
from flows.cases_step import update_cases
from flows.scale_out import county_runner, render_by_county, validate_by_county
from flows.run_log import finish_run, resolve_as_of, start_run
from tasks.ingest.scope import Scope


@flow(name="povmon-nightly", log_prints=False)
def nightly(inbox: str | None = None, reference: str | None = None, db_path: str | None = None,
            out: str | None = None, as_of: str | None = None, settings_file: str | None = None,
            wait: bool = False, today: str | None = None) -> dict:
    """Ingest what is new in the inbox, check it, load it, and publish the exports; returns a summary. today
    (YYYY-MM-DD; default today in Asia/Shanghai) is the date deadlines are judged against."""
    settings = load_settings(settings_file).with_paths(inbox=inbox, reference=reference, db=db_path, out=out)
    with hold_store(settings.db, wait=wait), county_runner(settings) as runner:
        return run_pipeline(settings, as_of, Scope(), runner, parse_today(today) or office_today())


def run_pipeline(settings: Settings, as_of: str | None, scope: Scope, runner: TaskRunner | None = None,
                 today: date | None = None) -> dict:
    """The steps of a run on the store, deadlines judged as of today; a rerun is the same steps with a narrower
    scope. With a runner (a Dask cluster), each county's row checks and page run as tasks on it; the store stays
    in this process."""
    logger = get_run_logger()
    con = steps.open_store(settings)
    run_id = start_run(con, "rerun" if scope.is_rerun else "run", scope.label(), os.getpid())
    try:
        units = steps.load_reference(con, settings)
        found = steps.discover_files(con, settings, run_id, scope)
        batch = steps.read_files(found["slots"], units, settings)
        rows, problems, results = (validate_by_county(runner, batch, units, settings) if runner
                                   else steps.validate(batch, settings))
        steps.load_batch(con, run_id, batch, rows, problems, results, found["paths"])
        rows_loaded = 0 if rows is None else rows.height
        rows = problems = results = None  # loaded: their memory is for the marts built next
        steps.check_history_rows(con, settings, run_id, batch)
        period = resolve_as_of(con, as_of)
        steps.project_incomes(con, settings, scope)
        flagged = steps.flag_households(con, settings, period)
        cases = update_cases(con, settings, period, today, run_id)
        exports = {**steps.publish_exports(con, settings, period), "cases": cases["csv"]}
        report = (render_by_county(runner, con, settings, period, run_id, scope) if runner
                  else steps.render_reports(con, settings, period, run_id, scope))
        summary = {
            "run_id": run_id, "as_of": period, "scope": scope.label(), "files_seen": len(found["all"]),
            "files_new": len(found["slots"]) - len(batch.reread_file_ids), "files_reread": len(batch.reread_file_ids),
            "files_loaded": sum(f["status"] == "loaded" for f in batch.files),
            "files_rejected": sum(f["status"] == "rejected" for f in batch.files),
            "files_arriving": len(found["arriving"]), "rows_loaded": rows_loaded,
            "households_flagged": flagged["flagged"], "village_signals": flagged["signals"],
            "cases_opened": cases["opened"], "cases_closed": cases["closed"],
            "db": str(Path(settings.db).resolve()), "exports": {k: str(v.resolve()) for k, v in exports.items()},
            "report": str(report.resolve()),
        }
        finish_run(con, run_id, "completed", summary)
        logger.info("run %s completed: %s", run_id, summary)
        return summary
    except Exception as err:
        finish_run(con, run_id, "failed", {"message": f"{type(err).__name__}: {err}"})
        raise
    finally:
        con.close()
