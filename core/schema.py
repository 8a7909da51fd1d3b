"""The store's schema (sql/schema/): applied when the store lacks it or its text changed, not on every open.

Every run opened the store by running each CREATE OR REPLACE of sql/schema/ again: about 40 macros and views
written to DuckDB's catalog, ~0.3 s of each run (0.12 CPU-s; the rest the commit's write to the WAL) and a catalog
to write again at the store's close, on a night with nothing new as on any other. Now the schema's digest is kept
in `schema_applied` once every statement ran, and a store holding that digest and every table, view and macro the
schema names is left as it is."""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

import duckdb

from core.project import SQL_DIR

SCHEMA_DIR = SQL_DIR / "schema"
STAMP_TABLE = "schema_applied"  # the table the statements below name
NAMED = {kind: re.compile(rf"CREATE\s+(?:OR\s+REPLACE\s+)?{kind}\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)", re.IGNORECASE)
         for kind in ("TABLE", "VIEW", "MACRO")}


@lru_cache(maxsize=1)
def schema_files() -> tuple[tuple[str, str], ...]:
    """(file name, text) of every statement file of sql/schema/, in the order they are applied (file name)."""
    return tuple((path.name, path.read_text(encoding="utf-8")) for path in sorted(SCHEMA_DIR.glob("*.sql")))


def backfill_files() -> list[Path]:
    """The backfills of sql/schema/backfill/, each named for the table it creates and fills."""
    return sorted((SCHEMA_DIR / "backfill").glob("*.sql"))


@lru_cache(maxsize=1)
def schema_digest() -> str:
    """A digest of the schema's statements: it changes whenever one of them does."""
    digest = hashlib.sha256()
    for name, text in schema_files():
        digest.update(f"{name}\0{text}\0".encode())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def named_objects() -> dict[str, frozenset[str]]:
    """The tables, views and macros the schema's statements create, by kind (lower case names)."""
    return {kind: frozenset(name.lower() for _, text in schema_files() for name in pattern.findall(text))
            for kind, pattern in NAMED.items()}


def is_applied(con: duckdb.DuckDBPyConnection, tables: set[str]) -> bool:
    """Whether the store holds this schema: its digest recorded and every object it names there (one dropped by
    hand, or a store restored in part, is made again)."""
    if STAMP_TABLE not in tables or not named_objects()["TABLE"] <= {t.lower() for t in tables}:
        return False
    stamps = con.execute("SELECT digest FROM schema_applied").fetchall()
    if [digest for (digest,) in stamps] != [schema_digest()]:
        return False
    views = {v.lower() for (v,) in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal "
                                               "AND NOT temporary").fetchall()}
    macros = {m.lower() for (m,) in con.execute(
        "SELECT DISTINCT function_name FROM duckdb_functions() WHERE NOT internal "
        "AND function_type IN ('macro', 'table_macro')").fetchall()}
    return named_objects()["VIEW"] <= views and named_objects()["MACRO"] <= macros


def record_applied(con: duckdb.DuckDBPyConnection) -> None:
    """Keep the digest of the schema just applied."""
    con.execute("CREATE TABLE IF NOT EXISTS schema_applied (digest VARCHAR NOT NULL)").fetchall()
    con.execute("DELETE FROM schema_applied").fetchall()
    con.execute("INSERT INTO schema_applied VALUES (?)", [schema_digest()]).fetchall()
