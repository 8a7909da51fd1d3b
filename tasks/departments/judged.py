"""Whether the department checks must judge again: a digest of everything the findings are made from (the store's
tables they read, the as-of month, the rules, the checks' code), kept with the findings. A night with nothing new
keeps the findings, and the measures their clues add, as the last judge left them (0.7 s of a city night: the
candidate households' and their latest returns' scans of every current return row)."""
from __future__ import annotations

import duckdb

from core import db
from core.project import PROJECT_DIR, SQL_DIR
from tasks.report.freshness import step_inputs_digest

# what the findings and the measures are made from: the department files and rows with the deliveries that rank
# their versions, the registry's members, the county names, and the households' latest returns and flags: the
# returns by their files (versions and digests of their stored rows), household_status by the marts' keys (a
# county-month's rows are recomputed exactly when its key changes: freshness.VOUCHED)
JUDGED_FROM = ("department_files", "department_rows", "deliveries", "registry_members", "admin_units",
               "source_files", "file_digests", "mart_keys")
CODE = (PROJECT_DIR / "tasks" / "departments", SQL_DIR / "departments")


def inputs_digest(con: duckdb.DuckDBPyConnection, departments: dict, as_of: str) -> str:
    """The digest of what the as-of month's findings would be judged from now."""
    return step_inputs_digest(con, JUDGED_FROM, CODE, as_of=as_of, rules=repr(sorted(departments.items())))


def judged_already(con: duckdb.DuckDBPyConnection, digest: str) -> bool:
    """Whether the stored findings were judged from these inputs and every measure their clues changed is still in
    household_status (a rebuilt household_status row has its measure without them)."""
    return db.scalar(con, "SELECT max(inputs_digest) FROM department_judged") == digest and measures_in_place(con)


def measures_in_place(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether household_status holds every measure the stored clues changed, as changed."""
    if not db.scalar(con, "SELECT count(*) FROM department_measures"):
        return True
    return db.has_table(con, "household_status") and db.scalar(
        con, "SELECT count(*) FROM department_measures m LEFT JOIN household_status h USING (household_id, period) "
             "WHERE h.suggested_measure IS DISTINCT FROM m.applied_measure") == 0


def remember_judged(con: duckdb.DuckDBPyConnection, digest: str) -> None:
    """Record the digest the stored findings were judged from (after they are stored: a run stopped between
    judges again)."""
    with db.transaction(con):
        con.execute("DELETE FROM department_judged").fetchall()
        con.execute("INSERT INTO department_judged VALUES (?)", [digest]).fetchall()
