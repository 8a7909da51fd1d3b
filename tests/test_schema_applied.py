"""The store's schema is applied when it is missing or changed, not run again on every open (core/schema.py)."""
from __future__ import annotations

from core import db, schema

VIEW = "file_versions"  # a view of sql/schema/090_views.sql


def view_sql(con) -> str:
    """The stored definition of VIEW."""
    return con.execute("SELECT sql FROM duckdb_views() WHERE view_name = ?", [VIEW]).fetchone()[0]


def test_a_new_store_gets_the_schema_and_its_digest(tmp_path):
    con = db.connect(tmp_path / "s.duckdb")
    assert con.execute("SELECT digest FROM schema_applied").fetchall() == [(schema.schema_digest(),)]
    assert db.has_table(con, "return_rows") and db.has_table(con, VIEW)
    con.close()


def test_a_store_holding_this_schema_is_left_as_it_is_and_a_changed_digest_applies_it_again(tmp_path):
    path = tmp_path / "s.duckdb"
    con = db.connect(path)
    original = view_sql(con)
    # a definition the schema's text does not hold: kept by an open that skips the schema, replaced by one that
    # applies it
    con.execute(f"CREATE OR REPLACE VIEW {VIEW} AS SELECT 1 AS x").fetchall()
    con.close()
    con = db.connect(path)
    assert view_sql(con) != original  # skipped: the stamp says this schema is applied
    con.execute("UPDATE schema_applied SET digest = 'the schema of an older povmon'").fetchall()
    con.close()
    con = db.connect(path)
    assert view_sql(con) == original
    assert con.execute("SELECT digest FROM schema_applied").fetchall() == [(schema.schema_digest(),)]
    con.close()


def test_an_object_dropped_by_hand_is_made_again(tmp_path):
    path = tmp_path / "s.duckdb"
    con = db.connect(path)
    con.execute(f"DROP VIEW {VIEW}").fetchall()
    con.execute("DROP MACRO period_index").fetchall()
    con.execute("DROP TABLE delivery_log_base").fetchall()
    con.close()
    con = db.connect(path)
    assert db.has_table(con, VIEW) and db.has_table(con, "delivery_log_base")
    assert con.execute("SELECT period_index('202001') - period_index('201912')").fetchone()[0] == 1
    con.close()


def test_a_store_of_a_povmon_before_the_stamp_is_applied_and_stamped(tmp_path):
    path = tmp_path / "s.duckdb"
    con = db.connect(path)
    con.execute("DROP TABLE schema_applied").fetchall()
    con.execute(f"CREATE OR REPLACE VIEW {VIEW} AS SELECT 1 AS x").fetchall()
    con.close()
    con = db.connect(path)
    assert "SELECT 1 AS x" not in view_sql(con)
    assert con.execute("SELECT count(*) FROM schema_applied").fetchone()[0] == 1
    con.close()


def test_the_schema_names_every_object_it_creates():
    named = schema.named_objects()
    assert {"return_rows", "cases", "runs"} <= named["TABLE"]
    assert {"file_versions", "current_files"} <= named["VIEW"]
    assert "period_index" in named["MACRO"]
