"""The clean bench generator (benchmarks/bench_generate.py): valid village returns in the synthetic city's layout."""
from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from benchmarks.bench_generate import generate
from povmon.synth.names import is_valid_id_number
from povmon.synth.schema import COLUMNS

AMOUNTS = ["工资性收入", "生产经营性收入", "财产性收入", "转移性收入", "生产经营性支出"]


def read_return(path: Path) -> list[dict]:
    """A generated return's rows (it must be plain UTF-8 without a BOM)."""
    text = path.read_bytes().decode("utf-8")
    assert not text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture(scope="module")
def province(tmp_path_factory) -> tuple[Path, dict]:
    """The small city's tree, clean, for the last two months of income year 2020 and the first of 2021."""
    root = tmp_path_factory.mktemp("bench-province")
    return root, generate(root, scale="small", first="202008", last="202010", workers=1)


def test_every_village_sends_one_clean_return_a_month_in_the_city_layout(province):
    root, summary = province
    villages = [row["code"] for row in csv.DictReader(open(root / "reference" / "admin_units.csv", encoding="utf-8"))
                if row["level"] == "village"]
    files = sorted(p.relative_to(root / "inbox").as_posix() for p in (root / "inbox").rglob("*") if p.is_file())
    expected = sorted(f"{v[:6]}/{period}/{v}_{period}.csv" for v in villages for period in ("202008", "202009", "202010"))
    assert files == expected and summary["files"] == len(expected) == 99
    rows = read_return(root / "inbox" / expected[0])
    assert list(rows[0]) == list(COLUMNS.values())
    assert all(r["户编号"].startswith(expected[0].split("/")[-1][:12]) and len(r["户编号"]) == 16 for r in rows)
    assert all(is_valid_id_number(r["户主身份证号"]) for r in rows)
    assert all(float(r[c]) >= 0 for r in rows for c in AMOUNTS)
    assert sum(len(read_return(root / "inbox" / f)) for f in files) == summary["rows"]
    sent = dt.datetime.fromtimestamp((root / "inbox" / expected[0]).stat().st_mtime, dt.timezone.utc)
    assert sent.date() == dt.date(2020, 9, 5), "dated the day it was sent"


def test_amounts_are_year_to_date_and_start_again_in_october(province):
    root, _ = province
    village = next((root / "inbox").rglob("*_202009.csv")).name[:12]
    months = {p: {r["户编号"]: r for r in read_return(root / "inbox" / village[:6] / p / f"{village}_{p}.csv")}
              for p in ("202008", "202009", "202010")}
    both = months["202008"].keys() & months["202009"].keys()
    assert both and all(float(months["202009"][h][c]) >= float(months["202008"][h][c]) for h in both for c in AMOUNTS)
    september = sum(float(r["工资性收入"]) for r in months["202009"].values())
    october = sum(float(r["工资性收入"]) for r in months["202010"].values())
    assert october < september / 4, "a new income year starts from its first month"


def test_a_stopped_generation_resumes_without_writing_again(province):
    root, summary = province
    path = next((root / "inbox").rglob("*_202010.csv"))
    before = path.stat().st_mtime_ns
    path.write_bytes(path.read_bytes())  # would be rewritten (and re-dated) if the county were generated again
    touched = path.stat().st_mtime_ns
    again = generate(root, scale="small", first="202008", last="202010", workers=1)
    assert {k: again[k] for k in ("files", "rows", "bytes")} == {k: summary[k] for k in ("files", "rows", "bytes")}
    assert path.stat().st_mtime_ns == touched != before


def test_the_pipeline_reads_every_generated_return_without_a_problem(province, prefect_harness, tmp_path, monkeypatch):
    from tests.support.runs import problems, run_nightly

    monkeypatch.setenv("POVMON_SETTLE_SECONDS", "0")
    root, summary = province
    result = run_nightly(tmp_path, as_of="202010", inbox=root / "inbox", reference=root / "reference")
    assert (result.files_loaded, result.files_rejected, result.rows_loaded) == (summary["files"], 0, summary["rows"])
    assert [p for p in problems(tmp_path) if p["level"] == "error"] == []
    assert result.households_flagged > 0, "projection and flags have something to do"
