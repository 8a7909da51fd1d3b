"""The scale-out path on a real local Dask cluster: the nightly flow with each county's row checks and page
run as Prefect tasks on the cluster publishes the same exports and pages as a run in the flow process."""
from __future__ import annotations

import re
import time
from pathlib import Path

import duckdb
import pytest
from prefect import task
from prefect.cache_policies import NO_CACHE

from tests.support.runs import run_nightly

pytestmark = pytest.mark.dask
pytest.importorskip("prefect_dask")
distributed = pytest.importorskip("distributed")

# pages show when they were generated and when each county's files arrived, to the minute: the only run-time facts
RUN_TIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")


@task(name="doubled", cache_policy=NO_CACHE)
def doubled(number: int) -> int:
    """Twice the number (a task for the runner's waves)."""
    return 2 * number


def workers_after_stopping(runner) -> dict:
    """The cluster's workers once a stop has had up to 30 s to take effect."""
    deadline = time.monotonic() + 30
    while runner.client.scheduler_info()["workers"] and time.monotonic() < deadline:
        time.sleep(0.05)
    return runner.client.scheduler_info()["workers"]


def run_city(city: Path, work: Path):
    """One nightly run of the city into work/ (settings from the environment), on a fixed today: the ledger's
    dates follow it, and two runs a minute apart can fall either side of midnight in Asia/Shanghai."""
    return run_nightly(work, today="2020-04-15", inbox=city / "inbox", reference=city / "reference")


def published(out: Path) -> dict[str, str | bytes]:
    """Every export (its bytes: CSVs and their .xlsx twins) and page (run times blanked out) of a run, by its path."""
    exports = {f"exports/{p.name}": p.read_bytes() for p in sorted((out / "exports").glob("*")) if p.is_file()}
    pages = {f"reports/{p.name}": RUN_TIME.sub("<time>", p.read_text(encoding="utf-8"))
             for p in sorted((out / "reports").glob("*"))}
    return exports | pages


@pytest.fixture(scope="module")
def two_runs(small_city, prefect_harness, tmp_path_factory):
    """The small city run in the flow process, then on a 2-worker local Dask cluster (its address given by
    POVMON_DASK_ADDRESS); returns both run folders, the summaries and the cluster's task stream."""
    in_process = tmp_path_factory.mktemp("in-process")
    on_dask = tmp_path_factory.mktemp("on-dask")
    in_process_summary = run_city(small_city, in_process)
    with pytest.MonkeyPatch.context() as env, \
            distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                     dashboard_address=None) as cluster, \
            distributed.Client(cluster.scheduler_address) as client:
        env.setenv("POVMON_DASK_ADDRESS", cluster.scheduler_address)
        with distributed.get_task_stream(client) as stream:
            dask_summary = run_city(small_city, on_dask)
        workers = set(cluster.scheduler_info["workers"])
    con = duckdb.connect(dask_summary.db, read_only=True)
    try:  # a run reads its files in batches, one month (at least) each
        batches = con.execute("SELECT count(DISTINCT period) + 1 FROM source_files").fetchone()[0]
    finally:
        con.close()
    return {"in_process": in_process, "on_dask": on_dask, "summaries": (in_process_summary, dask_summary),
            "stream": stream.data, "workers": workers, "batches": batches}


def test_dask_run_publishes_the_same_exports_and_pages(two_runs):
    in_process, on_dask = published(two_runs["in_process"] / "out"), published(two_runs["on_dask"] / "out")
    assert {"exports/problems.csv", "exports/flags.csv", "reports/index.html"} <= set(in_process)
    assert sum(name.startswith("reports/43") for name in in_process) >= 3
    assert set(on_dask) == set(in_process)
    assert [name for name in in_process if on_dask[name] != in_process[name]] == []
    first, second = two_runs["summaries"]
    for key in ("files_loaded", "files_rejected", "rows_loaded", "households_flagged", "village_signals"):
        assert getattr(second, key) == getattr(first, key), key


def test_dask_workers_ran_one_task_per_county(two_runs):
    stream, pages = two_runs["stream"], sorted((two_runs["on_dask"] / "out" / "reports").glob("43*.html"))

    def runs_of(task_function: str) -> list[dict]:  # Dask names a task's key after its function
        return [t for t in stream if str(t["key"]).startswith(f"{task_function}-")]

    checked, rendered = runs_of("validate_county"), runs_of("render_county")
    assert len(rendered) == len(pages)
    batches = two_runs["batches"]
    assert 1 < len(checked) <= len(pages) * batches  # per batch (a month), the counties with rows in it
    assert {t["worker"] for t in checked + rendered} <= two_runs["workers"]
    assert len({t["worker"] for t in checked + rendered}) == 2  # both workers took counties


def test_settings_name_the_cluster_or_a_local_one(tmp_path):
    from core.settings import load_settings

    assert not load_settings(environ={}).is_scaled_out
    named = load_settings(environ={"POVMON_DASK_ADDRESS": "tcp://10.0.0.5:8786"})
    assert named.dask_address == "tcp://10.0.0.5:8786" and named.is_scaled_out
    settings_file = tmp_path / "povmon.toml"
    settings_file.write_text("[scale_out]\ndask_local_workers = 3\n", encoding="utf-8")
    local = load_settings(settings_file, environ={})
    assert local.dask_local_workers == 3 and local.dask_address == "" and local.is_scaled_out


def test_local_workers_setting_starts_a_cluster_for_the_run(prefect_harness):
    from dataclasses import replace

    from flows.scale_out import county_runner
    from core.settings import load_settings

    with county_runner(replace(load_settings(environ={}), dask_local_workers=1)) as runner:
        workers = runner.client.scheduler_info()["workers"]
        assert [w["nthreads"] for w in workers.values()] == [1]
        assert runner.client.run(lambda: 1 + 1) == {address: 2 for address in workers}
    with county_runner(load_settings(environ={})) as runner:
        assert runner is None


def test_own_cluster_workers_stop_after_the_checks_and_come_back_a_named_one_left_alone(prefect_harness):
    import os
    from dataclasses import replace

    from core.settings import load_settings
    from flows.scale_out import county_runner, shed_worker_memory, workers_ready

    own = replace(load_settings(environ={}), dask_local_workers=2)
    with county_runner(own) as runner:
        before = set(runner.client.run(os.getpid).values())
        shed_worker_memory(runner, own)
        assert workers_after_stopping(runner) == {}  # none left during the marts
        workers_ready(runner, own)
        after = runner.client.run(os.getpid)
        assert len(after) == 2 and not before & set(after.values())  # fresh worker processes
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        named = replace(load_settings(environ={}), dask_address=cluster.scheduler_address)
        with county_runner(named) as runner:
            before = set(runner.client.run(os.getpid).values())
            shed_worker_memory(runner, named)
            workers_ready(runner, named)
            assert set(runner.client.run(os.getpid).values()) == before


def test_each_batch_s_checks_bring_the_own_cluster_s_workers_up_and_leave_none_behind(prefect_harness, tmp_path,
                                                                                       monkeypatch):
    """Two batches checked on a local cluster of the run's own: each check gives what checking in this process
    gives, and after each no worker (nor its memory) is left beside the batch's load."""
    from dataclasses import replace

    from polars.testing import assert_frame_equal

    from core.settings import load_settings
    from flows.scale_out import check_by_county, county_runner, run_each, workers_ready
    from tasks.ingest.reference import read_admin_units
    from tasks.ingest.load import mark_quarantine
    from tasks.validate.by_county import check_rows
    from tests.test_speed_paths import read_inbox, write_returns

    write_returns(tmp_path)
    units = read_admin_units(tmp_path / "reference")
    own = replace(load_settings(environ={}), dask_local_workers=2)
    with county_runner(own) as runner:
        for _ in range(2):  # a second batch finds the workers stopped by the first
            batch = read_inbox(tmp_path, monkeypatch, parallel=False)
            expected = check_rows(batch.rows_frame())
            checked = check_by_county(runner, batch, units, own)
            assert checked.rows.height == expected.cleaned.height > 0
            assert_frame_equal(checked.rows, mark_quarantine(expected.cleaned, expected.problems))
            assert_frame_equal(checked.problems, expected.problems)
            assert workers_after_stopping(runner) == {}
        workers_ready(runner, own)  # waves of two: every result, in order
        assert run_each(runner, doubled, ({"number": n} for n in range(5)), wave=2) == [0, 2, 4, 6, 8]
