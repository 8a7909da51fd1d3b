"""The render step in the real nightly flow (Prefect engine): pages written, summary and artifacts keyed per county."""
from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest

from tests.support.runs import run_nightly
from tests.support.report_fixture import UNITS


@pytest.fixture(scope="module")
def prefect_harness(tmp_path_factory):
    """Prefect's test server with an empty home, offline."""
    home = tmp_path_factory.mktemp("prefect-home")
    os.environ.update({"PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1"})
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


def write_city(root: Path) -> Path:
    """A reference list and one village return for March 2020."""
    (root / "reference").mkdir(parents=True)
    with open(root / "reference" / "admin_units.csv", "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["code", "name", "level", "parent_code", "management_area"])
        writer.writerows([code, name, level, parent or "", int(area)] for code, name, level, parent, area in UNITS)
    (root / "inbox" / "430521").mkdir(parents=True)
    (root / "inbox" / "430521" / "430521100001_202003.csv").write_text(
        "户编号,户主姓名,户主身份证号,家庭人口数,户类型,工资性收入,生产经营性收入,财产性收入,转移性收入,生产经营性支出\n"
        "4305211000010001,张三丰,430521198001011234,4,脱贫户,3000,500,,800,100\n", encoding="utf-8")
    return root


@pytest.mark.slow  # a Prefect test server of its own (an empty home, to count the artifacts)
def test_nightly_run_renders_reports_and_artifacts(prefect_harness, tmp_path, monkeypatch):
    monkeypatch.setenv("POVMON_SETTLE_SECONDS", "0")
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    root = write_city(tmp_path)
    first = run_nightly(root, as_of="202003", db=root / "db" / "p.duckdb")
    second = run_nightly(root, as_of="202003", db=root / "db" / "p.duckdb")
    assert Path(first.report) == root / "out" / "reports" / "index.html"
    county = (root / "out" / "reports" / "430521.html").read_text(encoding="utf-8")
    assert "白石村" in county and "张三丰" not in county and "430521198001011234" not in county
    keys = ["city-report", "county-report-430521", "county-report-430522", "city-summary"]
    with get_client(sync_client=True) as client:
        found = client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=keys)))
    assert sorted({a.key for a in found}) == sorted(keys)
    assert all(sum(a.key == key for a in found) == 2 for key in keys), "one version per run"
    assert len({a.flow_run_id for a in found}) == 2 and None not in {a.flow_run_id for a in found}  # each run's own
    link = next(a for a in found if a.key == "county-report-430521")
    assert (root / "out" / "reports" / "430521.html").resolve().as_uri() in link.data
    summary = next(a for a in found if a.key == "city-summary")
    assert {row["县（区）"] for row in json.loads(summary.data)} == {"邵东县", "新邵县"}
    assert second.run_id == first.run_id + 1
