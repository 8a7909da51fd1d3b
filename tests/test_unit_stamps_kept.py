"""The village × months' stamps (unit_stamps_kept) are kept, not computed from every file on record each run: after
any sequence of batches the load writes and digests the marts take (a rerun's forgotten and taken again), the
stamps a reader gets are those the statements before computed from every file, and nothing else writes what they
are made from."""
from __future__ import annotations

import random
import re

import pytest

from core import db
from core.project import PROJECT_DIR, SQL_DIR
from tasks.ingest.load import refresh_every_current_file
from tasks.marts import mart_keys, unit_stamps
from tests.test_current_files_kept import UNITS, Batches

# what marts/village_stamps and departments/latest_changes computed from every file on record before the stamps were
# kept: the test's measure of them
EVERY_FILE = """
SELECT f.village_code, f.period,
       md5(string_agg(concat_ws(':', f.file_id, f.status, f.correction_rank, f.ingest_run_id, f.last_delivery_id,
                                f.file_name, f.rows_read, f.rows_used, f.rows_quarantined, d.row_count, d.rows_digest),
                      ',' ORDER BY f.file_id)),
       bit_xor(hash(f.file_id, f.status, f.correction_rank, f.ingest_run_id, f.last_delivery_id, f.file_name,
                    f.rows_read, f.rows_used, f.rows_quarantined, d.row_count, d.rows_digest))
FROM file_versions f LEFT JOIN file_digests d USING (file_id)
WHERE f.village_code IS NOT NULL AND f.period IS NOT NULL
GROUP BY ALL ORDER BY ALL"""


def kept(con) -> list[tuple]:
    """The stamps a reader gets (brought up to date first, as every reader does)."""
    unit_stamps.fresh(con)
    return con.execute("SELECT village_code, period, stamp, digest FROM unit_stamps_kept ORDER BY ALL").fetchall()


def digest_files(con, rng: random.Random) -> None:
    """The marts' step: a rerun's files' digests forgotten and all undigested files digested, in one transaction
    (tasks/marts/mart_keys.prepare_marts); some rows stored for a file first, so that its digest changes."""
    file_ids = [f for (f,) in con.execute("SELECT file_id FROM source_files").fetchall()]
    if file_ids and rng.random() < 0.5:
        con.execute("INSERT INTO return_rows (file_id, source_row, village_code, period, is_quarantined) "
                    "SELECT file_id, 1000 + ?, village_code, period, false FROM source_files WHERE file_id = ?",
                    [rng.randrange(1000), rng.choice(file_ids)]).fetchall()
    with db.transaction(con):
        if rng.random() < 0.5:
            village, period = rng.choice(UNITS)
            db.run(con, "marts/forget_file_digests", {"code_prefix": village[:rng.choice([6, 12])],
                                                      "period": rng.choice([period, None])})
        db.run(con, "marts/file_digests")


@pytest.mark.parametrize("seed", range(10))
def test_the_kept_stamps_are_those_of_every_file_on_record(tmp_path, seed):
    con = db.connect(tmp_path / "povmon.duckdb")
    con.execute(db.sql_text("marts/create_tables")).fetchall()
    rng = random.Random(seed)
    batches = Batches(seed)
    for run_id in range(1, 16):
        batches.load(con, run_id)
        if rng.random() < 0.6:
            digest_files(con, rng)
        assert kept(con) == con.execute(EVERY_FILE).fetchall(), run_id
        assert db.scalar(con, "SELECT count(*) FROM unit_stamps_stale") == 0
    assert len(kept(con)) >= 3 and db.scalar(con, "SELECT count(*) FROM file_digests") > 0


def test_a_county_stamp_changes_with_any_of_its_villages_files(tmp_path):
    con = db.connect(tmp_path / "povmon.duckdb")
    con.execute(db.sql_text("marts/create_tables")).fetchall()
    batches = Batches(2)
    for run_id in range(1, 8):
        batches.load(con, run_id)
    digest_files(con, random.Random(0))
    before = mart_keys.Stamps(con).by_unit
    village, period = con.execute("SELECT village_code, period FROM source_files WHERE status = 'loaded' "
                                  "ORDER BY file_id LIMIT 1").fetchone()
    con.execute("UPDATE source_files SET rows_used = rows_used + 1 WHERE village_code = ? AND period = ?",
                [village, period]).fetchall()  # by hand: named stale as the load would
    refresh_every_current_file(con)
    after = mart_keys.Stamps(con).by_unit
    assert {unit for unit in before if before[unit] != after.get(unit)} == {(village[:6], period)}


def test_a_store_made_before_the_kept_stamps_computes_them_at_its_first_read(tmp_path):
    path = tmp_path / "povmon.duckdb"
    con = db.connect(path)
    con.execute(db.sql_text("marts/create_tables")).fetchall()
    batches = Batches(4)
    for run_id in range(1, 6):
        batches.load(con, run_id)
    digest_files(con, random.Random(1))
    expected = con.execute(EVERY_FILE).fetchall()
    con.execute("DROP TABLE unit_stamps_kept; DELETE FROM unit_stamps_stale").fetchall()  # as a store made before
    con.close()
    con = db.connect(path)
    assert kept(con) == expected and expected


WRITES = re.compile(r"\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|DROP\s+TABLE(?:\s+IF\s+EXISTS)?|COPY)\s+(?:main\.)?"
                    r"(source_files|deliveries|file_digests)\b", re.IGNORECASE)


def test_only_statements_that_name_their_village_months_stale_write_what_the_stamps_are_made_from():
    """Each writer names the village × months it touched (unit_stamps_stale) or runs where the statements that do
    run in the same transaction (a rerun's forgotten digests are taken again; the marts dropped are digested
    again); the history checks' run number is no part of a stamp."""
    writers = {path.relative_to(SQL_DIR).as_posix() for path in SQL_DIR.rglob("*.sql")
               if WRITES.search(re.sub(r"--[^\n]*", "", path.read_text(encoding="utf-8")))}
    naming = {"load/forget_file_digests.sql", "marts/file_digests.sql", "load/forget_source_files.sql"}
    assert writers == naming | {"load/insert_source_files.sql", "load/insert_deliveries.sql",
                                "marts/forget_file_digests.sql", "marts/drop_tables.sql",
                                "validate/mark_history_checked.sql"}
    for name in naming:
        assert "_stale" in (SQL_DIR / name).read_text(encoding="utf-8"), name
    assert "unit_stamps_stale" in (SQL_DIR / "load/refresh_current_files.sql").read_text(encoding="utf-8")
    code = [path for folder in ("core", "tasks", "flows", "povmon") for path in (PROJECT_DIR / folder).rglob("*.py")
            if WRITES.search(path.read_text(encoding="utf-8"))]
    assert code == []
