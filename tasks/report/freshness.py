"""Whether the published pages and exports are current: a digest of everything they are made from (the store's
tables, as-of month, today, settings, the report code), kept beside them with the files it produced.

A nightly run with nothing new would re-render every page and export to the same bytes but for the run stamp;
when the digest and the files are those of the last publication, the run keeps them (their stamp still names
the run that made them). The exports have a digest of their own, without today and the case ledger (no export
reads either; tests/test_published_skip.py checks their SQL): a night with nothing new but the day (days overdue
move the pages and the ledger) renders the pages again and keeps the exports."""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from core import db
from core.files import write_text_atomically
from core.project import PROJECT_DIR, SQL_DIR, TEMPLATES_DIR
from core.settings import Settings

STATE_FILE = ".published.json"  # in out/, beside reports/ and exports/
# per-run bookkeeping that no page or export reads (tests/test_published_skip.py checks the SQL of both):
# the runs table, the per-run validation counts, the run that last saw a delivered path, and what the ledger's last
# update read (its tables are digested themselves), what the cases table was last derived with (the cases are
# digested themselves), the digest of the schema applied (core/schema.py); and each
# household's latest return kept for the department checks (tasks/departments/latest.py), read by nothing published:
# the findings made from it are digested themselves
IGNORED_TABLES = {"runs", "validation_results", "ledger_judged", "schema_applied", "household_latest",
                  "household_latest_keys", "household_latest_state", "household_head_ids", "cases_derived"}
IGNORED_COLUMNS = {("delivered_paths", "last_seen_run_id")}
# the case ledger: the pages show it, no export reads it (cases.csv and the workbooks are the ledger's own steps)
LEDGER_TABLES = {"cases", "case_events", "case_evidence", "case_import_refusals"}
CODE = (TEMPLATES_DIR, PROJECT_DIR / "tasks" / "report", SQL_DIR / "reports", SQL_DIR / "exports")
# tables whose rows another table (digested in their place) stands for: the rows of each return file by its
# digest in file_digests (taken when the file is loaded or re-read), the marts by the keys they were computed
# from (mart_keys: the files' digests, the settings and the marts' SQL); household_status's measures changed by
# CLUEs by department_measures. Hashing these rows cost 7 s a night at province (90 million rows).
VOUCHED = {"return_rows": "file_digests",
           **{table: "mart_keys" for table in ("household_months", "seasonal_year_shares", "seasonal_shares",
                                              "calendar_sums", "calendar_wage_shifts", "calendar_shares",
                                              "household_month_gaps",
                                              "projection_backtest", "backtest_bands_then", "backtest_month_spreads",
                                              "projection_bands",
                                              "projection_accuracy",
                                              "household_status", "village_signals")}}


def table_digests(con: duckdb.DuckDBPyConnection, only: Iterable[str] | None = None) -> list[tuple]:
    """(table, rows, sum of row hashes) of every table of the store (or of those named in only) (order-free), but
    for the per-run bookkeeping ignored and the tables another stands for (VOUCHED, when that one is there)."""
    wanted = None if only is None else set(only)
    columns: dict[str, list[str]] = {}
    for table, column in db.rows(con, "reports/store_columns"):
        if (wanted is None or table in wanted) and table not in IGNORED_TABLES and (table, column) not in IGNORED_COLUMNS:
            columns.setdefault(table, []).append(column)
    columns = {table: cols for table, cols in columns.items() if VOUCHED.get(table) not in columns}
    if not columns:
        return []
    # identifiers from the catalog, quoted; no value is formatted in
    parts = [f"""SELECT '{table}', count(*), sum(hash({', '.join(f'"{c}"' for c in cols)}))::TEXT FROM "{table}" """
             for table, cols in columns.items()]
    return sorted(con.execute(" UNION ALL ".join(parts)).fetchall())


def store_digest(found: list[tuple]) -> str:
    """A digest of the tables' digests found (table_digests)."""
    return hashlib.sha256(repr(sorted(found)).encode()).hexdigest() if found else "empty"


def code_digest(folders: Iterable[Path] = CODE) -> str:
    """A digest of the report code: templates, page and export modules, their SQL."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(p for p in Path(folder).rglob("*") if p.is_file() and p.suffix != ".pyc"):
            digest.update(str(path.relative_to(PROJECT_DIR)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class Digests:
    """What a whole-city run's publication is made from (pages and exports), and what its exports alone are."""

    publication: str
    exports: str


def digest_of(given: dict) -> str:
    """A digest of named values (JSON, anything else by its text)."""
    return hashlib.sha256(json.dumps(given, sort_keys=True, default=str).encode()).hexdigest()


def step_inputs_digest(con: duckdb.DuckDBPyConnection, tables: Iterable[str], code: Iterable[Path], **given) -> str:
    """The digest of what a step is made from: the named tables of the store (table_digests), its code's folders
    (code_digest) and the values given (the department checks', the case ledger's)."""
    return digest_of({**given, "code": code_digest(code), "store": table_digests(con, tables)})


def inputs_digests(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: str | None, today: date) -> Digests:
    """The digests of what the pages and exports of a whole-city run are made from, and of what the exports are."""
    found = table_digests(con)
    given = {"as_of": as_of, "settings": repr(settings), "code": code_digest()}
    exports = {**given, "store": store_digest([t for t in found if t[0] not in LEDGER_TABLES])}
    return Digests(digest_of({**given, "store": store_digest(found), "today": today.isoformat()}), digest_of(exports))


def file_stamp(path: Path) -> list[int] | None:
    """A file's size and modification time, None when it is gone."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return [found.st_size, found.st_mtime_ns]


def read_state(out: Path) -> dict:
    """The last publication's record ({} when there is none)."""
    try:
        state = json.loads((Path(out) / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def untouched(state: dict, paths: Iterable[str]) -> bool:
    """Whether the recorded files are as the publication left them (none removed, rewritten or replaced since)."""
    stamps = state.get("stamps") or {}
    paths = list(paths)
    return bool(paths) and all(path in stamps and file_stamp(Path(path)) == stamps[path] for path in paths)


def published(out: Path, digest: str) -> dict | None:
    """What the last publication recorded, when it was made from this digest and its files are untouched;
    else None."""
    state = read_state(out)
    if state.get("digest") != digest or not untouched(state, (state.get("stamps") or {}).keys()):
        return None
    return state


def exports_published(out: Path, exports_digest: str) -> dict[str, Path] | None:
    """The last publication's exports, when they were made from this exports digest and are untouched; else None."""
    state = read_state(out)
    exports = state.get("exports") or {}
    if state.get("exports_digest") != exports_digest or not untouched(state, exports.values()):
        return None
    return {name: Path(path) for name, path in exports.items()}


def record_published(out: Path, digests: Digests | None, exports: dict[str, Path], rendered: dict) -> None:
    """Record the publication just made (its digests, exports, pages, city summary, the files' stamps); no digests
    (a partial publication, e.g. a rerun's counties) clears the record."""
    state_path = Path(out) / STATE_FILE
    if digests is None:
        state_path.unlink(missing_ok=True)
        return
    files = [*exports.values(), rendered["index"], *rendered["counties"].values()]
    state = {"digest": digests.publication, "exports_digest": digests.exports,
             "exports": {name: str(path) for name, path in exports.items()},
             "index": str(rendered["index"]), "counties": {code: str(p) for code, p in rendered["counties"].items()},
             "summary": rendered["summary"], "stamps": {str(path): file_stamp(Path(path)) for path in files}}
    write_text_atomically(state_path, json.dumps(state, ensure_ascii=False, default=str))


def rendered_from(state: dict) -> tuple[dict[str, Path], dict]:
    """The exports and the rendered pages (as render_reports returns them) of a recorded publication."""
    exports = {name: Path(path) for name, path in state["exports"].items()}
    rendered = {"index": Path(state["index"]), "counties": {c: Path(p) for c, p in state["counties"].items()},
                "summary": state["summary"]}
    return exports, rendered
