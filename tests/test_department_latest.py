"""The latest usable return row per household (sql/departments/latest_households.sql), what department records are
judged against: the row a full ordering by period, file and row would put first, up to the as-of month; and the
findings judged against only the households the records can name are those judged against every household."""
from __future__ import annotations

import random
import shutil

import polars as pl

from core import db
from tasks.departments import latest, store
from tasks.departments.findings import Rules, judge

COLUMNS = ["village_code", "return_period", "head_id_number", "household_type", "household_size", "insured_count",
           "dropout_count", "housing_safe", "water_safe"]


def history(seed: int) -> pl.DataFrame:
    """Usable rows of 40 households over 6 months: some missing from later months, some listed twice in a file,
    some in two villages' files of one month, some rows without a household id."""
    rng = random.Random(seed)
    rows = []
    for number in range(40):
        last = rng.choice(["202001", "202003", "202006"])  # some households stop appearing
        for period in ("202001", "202002", "202003", "202004", "202005", "202006"):
            if period > last or rng.random() < 0.2:
                continue
            for copy in range(rng.choice([1, 1, 2])):  # listed twice: the earlier source row counts
                rows.append({"household_id": f"H{number:03d}", "village_code": rng.choice(["V1", "V2"]),
                             "period": period, "file_id": rng.randint(1, 9), "source_row": rng.randint(2, 60),
                             "head_id_number": f"ID{number}-{period}-{copy}", "household_type": "一般户",
                             "household_size": rng.randint(1, 6), "insured_count": 1, "dropout_count": 0,
                             "housing_safe": True, "water_safe": rng.random() < 0.5, "is_quarantined": False})
    rows.append({**rows[0], "household_id": None, "period": "202006", "head_id_number": "NOBODY"})
    return pl.DataFrame(rows)


def expected(rows: pl.DataFrame, as_of: str) -> pl.DataFrame:
    """The reference: sort the whole history by (period, file_id, −source_row) and keep each household's last."""
    usable = rows.filter((pl.col("period") <= as_of) & pl.col("household_id").is_not_null())
    latest = usable.with_columns((-pl.col("source_row")).alias("order")).sort("period", "file_id", "order")
    return (latest.group_by("household_id", maintain_order=True).last()
            .rename({"period": "return_period"}).select("household_id", *COLUMNS).sort("household_id"))


def test_latest_row_per_household_equals_the_full_ordering():
    for seed in range(5):
        rows = history(seed)
        con = db.connect(":memory:")
        con.register("rows_frame", rows)
        con.execute("DROP VIEW households_current").fetchall()
        con.execute("CREATE TABLE households_current AS SELECT * FROM rows_frame").fetchall()
        con.register("candidate_households", rows.select("household_id").drop_nulls().unique())
        for as_of in ("202002", "202004", "202006"):
            db.run(con, "departments/latest_forget_all")
            latest.fill(con, as_of)  # every month up to as_of, as a first refresh
            found = db.frame(con, "departments/latest_households").sort("household_id")
            want = expected(rows, as_of)
            assert found.height == want.height > 0
            assert found.select("household_id", *COLUMNS).to_dicts() == want.to_dicts(), (seed, as_of)


def test_findings_from_the_records_households_equal_those_from_every_household(small_city_run, tmp_path):
    shutil.copy(small_city_run / "db.duckdb", tmp_path / "db.duckdb")  # the findings bring household_latest forward
    con = db.connect(tmp_path / "db.duckdb")
    as_of = con.execute("SELECT max(period) FROM department_rows").fetchall()[0][0]
    rules = Rules()
    found = store.find_department_findings(con, rules, as_of)
    con.register("candidate_households", con.sql("SELECT DISTINCT household_id FROM households_current").pl())
    households = db.frame(con, "departments/latest_households")
    flags = db.frame(con, "departments/household_flags", {"as_of": as_of})
    rows = db.frame(con, "departments/current_rows", {"first_period": f"{int(as_of[:4]) - (as_of[4:] < '10')}10",
                                                      "as_of": as_of})
    counties = dict(con.execute("SELECT code, name FROM admin_units WHERE level = 'county'").fetchall())
    everyone = judge(rows, db.frame(con, "departments/members"), households, flags, counties, rules, as_of)
    assert households.height > 10 * found["household_id"].n_unique() > 0  # the restriction left most out
    assert set(found["finding"]) >= {"CLUE", "MISMATCH", "ASSET", "UNREGISTERED"}
    assert found.to_dicts() == everyone.to_dicts()


def test_a_department_file_sent_a_then_b_then_a_again_has_a_current():
    """As for village returns: at equal rank the latest delivery wins. Bytes sent again are a known file (not
    re-read, its run unchanged), so only the delivery log can tell that A came last."""
    con = db.connect(":memory:")
    for file_id, sha in ((1, "aaa"), (2, "bbb")):
        con.execute("INSERT INTO department_files (file_id, sha256, file_name, first_path, size_bytes, department, "
                    "period, correction_rank, ingest_run_id, ingested_at, status) VALUES (?, ?, 'dept_civil_202003.csv',"
                    " 'dept_civil_202003.csv', 1, 'CIVIL', '202003', 1, ?, TIMESTAMP '2020-04-01', 'loaded')",
                    [file_id, sha, file_id]).fetchall()
    for delivery_id, sha in ((1, "aaa"), (2, "bbb"), (3, "aaa")):
        con.execute("INSERT INTO deliveries (delivery_id, path, sha256, file_name, run_id, delivered_at) "
                    "VALUES (?, 'dept_civil_202003.csv', ?, 'dept_civil_202003.csv', ?, "
                    "TIMESTAMP '2020-04-01')", [delivery_id, sha, delivery_id]).fetchall()
    assert con.execute("SELECT file_id FROM current_department_files").fetchall() == [(1,)]
    assert sorted(con.execute("SELECT file_id FROM department_problem_files").fetchall()) == [(1,)]
