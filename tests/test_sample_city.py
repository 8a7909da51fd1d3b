"""`povmon sample --seed 7` on the small synthetic city: sizes per county, reproducibility, planted villages drawn."""
from __future__ import annotations

import csv
import io
from contextlib import redirect_stdout

import duckdb
import pytest

from povmon import cli


@pytest.fixture
def city_run(small_city, small_city_run):
    """The shared nightly run over the small city: (city root, database, output folder)."""
    return small_city, small_city_run / "db.duckdb", small_city_run / "out"


def sample(db_path, out, seed: int) -> dict[str, bytes]:
    """Run `povmon sample --seed N`; returns the bytes of every list written."""
    with redirect_stdout(io.StringIO()):
        assert cli.main(["sample", "--seed", str(seed), "--db", str(db_path), "--out", str(out),
                         "--today", "2020-04-20"]) == 0
    return {p.name: p.read_bytes() for p in sorted((out / "exports" / "sample").iterdir())}


def test_seed_7_meets_minimums_draws_planted_villages_and_repeats(city_run):
    city, db_path, out = city_run
    first = sample(db_path, out, 7)
    with duckdb.connect(str(db_path), read_only=True) as con:
        frame = dict(con.execute("SELECT county_code, count(DISTINCT household_id) FROM household_status "
                                 "GROUP BY 1").fetchall())
        areas = {c for (c,) in con.execute("SELECT code FROM admin_units WHERE level = 'county' "
                                           "AND management_area").fetchall()}
        drawn = con.execute("SELECT county_code, count(*), count(DISTINCT village_code) FROM sample_households "
                            "WHERE draw_id = 1 GROUP BY 1").fetchall()
        drawn_villages = {v for (v,) in con.execute("SELECT DISTINCT village_code FROM sample_households "
                                                    "WHERE draw_id = 1").fetchall()}
    assert {c for c, _, _ in drawn} == set(frame) and areas
    for county, households, villages in drawn:
        need_households, need_villages = (100, 5) if county in areas else (200, 10)
        assert households == min(need_households, frame[county]) and villages >= need_villages
    planted = {r["village_code"] for r in csv.DictReader(io.StringIO((city / "truth" / "planted.csv").read_text("utf-8")))
               if r["kind"] == "signal" and r["code"] in ("THRESHOLD_BUNCHING", "IDENTICAL_ROWS")}
    assert len(planted) == 4 and planted <= drawn_villages
    assert sample(db_path, out, 7) == first
    index = (out / "reports" / "index.html").read_text("utf-8")
    assert index.count('href="../exports/sample/') == 2 * len(frame)
