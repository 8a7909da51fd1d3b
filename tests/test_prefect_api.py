"""The run's own Prefect server: started before Prefect is imported, answering, and gone with the run."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import urllib.request

import psutil
import pytest

pytestmark = pytest.mark.slow  # runs the povmon command in other processes: not in make test-fast

HOLD_API = """
import os, sys, time
from povmon.prefect_env import configure_prefect
configure_prefect(sys.argv[1])
from povmon.prefect_api import start_prefect_api
url = start_prefect_api()
print(url, os.environ["PREFECT_API_URL"], os.environ.get("PREFECT_CLIENT_SERVER_VERSION_CHECK_ENABLED"), flush=True)
time.sleep(600)
"""


def test_server_answers_and_dies_with_a_killed_run(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("PREFECT_API_URL", "PREFECT_CLIENT_SERVER_VERSION_CHECK_ENABLED")}
    run = subprocess.Popen([sys.executable, "-c", HOLD_API, str(tmp_path / "prefect")], env=env,
                           stdout=subprocess.PIPE, text=True)
    try:
        url, env_url, version_check = run.stdout.readline().split()
        assert url == env_url and url.startswith("http://127.0.0.1:")
        assert version_check == "false"  # its own server is this installation's Prefect
        with urllib.request.urlopen(f"{url}/health", timeout=10) as response:
            assert response.status == 200
        servers = [p for p in psutil.Process(run.pid).children() if "uvicorn" in " ".join(p.cmdline())]
        assert len(servers) == 1
        settings = servers[0].environ()  # a run's own server: nothing to trigger, stream out, or guard from browsers
        assert [settings.get(f"PREFECT_SERVER_{name}_ENABLED") for name in
                ("SERVICES_TRIGGERS", "EVENTS_STREAM_OUT", "CSRF_PROTECTION")] == ["false"] * 3
    finally:
        run.send_signal(signal.SIGKILL)
        run.wait()
    gone, alive = psutil.wait_procs(servers, timeout=15)
    assert alive == [], "the temporary Prefect server outlived its killed run"


def test_a_configured_api_is_used_as_it_is(monkeypatch):
    from povmon.prefect_api import start_prefect_api

    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")
    monkeypatch.delenv("PREFECT_CLIENT_SERVER_VERSION_CHECK_ENABLED", raising=False)
    assert start_prefect_api() is None and os.environ["PREFECT_API_URL"] == "http://127.0.0.1:9/api"
    assert "PREFECT_CLIENT_SERVER_VERSION_CHECK_ENABLED" not in os.environ  # another server's version is checked


def test_a_failed_run_logs_its_error_to_the_server_it_started(tmp_path):
    """Prefect's queued logs drain at exit: the temporary server must still be there to take them."""
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"} | {
        "POVMON_PREFECT_HOME": str(tmp_path / "prefect"), "POVMON_SETTLE_SECONDS": "0"}
    (tmp_path / "inbox").mkdir()
    failed = subprocess.run([sys.executable, "-m", "povmon.cli", "run", "--inbox", str(tmp_path / "inbox"),
                             "--reference", str(tmp_path / "no-reference"), "--db", str(tmp_path / "db.duckdb"),
                             "--out", str(tmp_path / "out")], env=env, capture_output=True, text=True, timeout=300)
    assert failed.returncode == 1
    assert "povmon: run failed: ReferenceError" in failed.stderr
    assert "Error logging to API" not in failed.stderr and "connection attempts failed" not in failed.stderr
    lines = [line for line in failed.stderr.splitlines() if line.strip()]  # the README's one line, and the
    assert lines[-1].startswith("povmon: run failed: ReferenceError")      # steps' lines before it: no traceback
    assert not any("Traceback" in line or "| ERROR" in line for line in lines), lines


def hold_api(home) -> tuple[subprocess.Popen, str]:
    """A process holding its own temporary server on the Prefect home; returns it and the API's URL."""
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "PREFECT_HOME")}
    run = subprocess.Popen([sys.executable, "-c", HOLD_API, str(home)], env=env, stdout=subprocess.PIPE, text=True)
    return run, run.stdout.readline().split()[0]


def migrate_setting(run: subprocess.Popen) -> str | None:
    """PREFECT_SERVER_DATABASE_MIGRATE_ON_START as the run's temporary server was given it."""
    server = next(p for p in psutil.Process(run.pid).children() if "uvicorn" in " ".join(p.cmdline()))
    return server.environ().get("PREFECT_SERVER_DATABASE_MIGRATE_ON_START")


def test_a_home_migrated_by_this_prefect_is_not_checked_again(tmp_path):
    from importlib.metadata import version

    from povmon.prefect_api import SCHEMA_FILE

    home = tmp_path / "prefect"
    for start in ("first", "again"):
        run, url = hold_api(home)
        try:
            assert migrate_setting(run) == (None if start == "first" else "false"), start
            assert (home / SCHEMA_FILE).read_text(encoding="utf-8") == version("prefect")
            request = urllib.request.Request(f"{url}/flows/filter", data=b"{}", method="POST",
                                             headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=10) as response:  # the database answers
                assert response.status == 200
        finally:
            run.send_signal(signal.SIGKILL)
            run.wait()
    (home / SCHEMA_FILE).write_text("0.0.1", encoding="utf-8")  # another Prefect migrated it: check again
    run, url = hold_api(home)
    try:
        assert migrate_setting(run) is None
    finally:
        run.send_signal(signal.SIGKILL)
        run.wait()


def test_the_prefetch_asks_what_more_to_import_once_its_modules_are_in(tmp_path, monkeypatch):
    from povmon.prefect_api import prefetch_imports

    first, then = f"probe_first_{os.getpid()}", f"probe_then_{os.getpid()}"  # modules no one imported before
    for name in (first, then):
        (tmp_path / f"{name}.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    asked = []
    thread = prefetch_imports((first,), lambda: asked.append(first in sys.modules) or (then,))
    thread.join(60)
    assert asked == [True] and then in sys.modules


def test_runs_started_without_heartbeats_have_no_heartbeat_interval(prefect_harness):
    from prefect import flow
    from prefect.settings import get_current_settings

    from povmon.prefect_api import without_heartbeats

    @flow
    def heartbeat_interval() -> int | None:
        return get_current_settings().flows.heartbeat_frequency  # what the flow engine reads to start its thread

    with without_heartbeats():
        quiet = heartbeat_interval()
    assert quiet is None and heartbeat_interval() == 180  # Prefect's default stands outside


COLLECTOR_AFTER_PREFETCH = """
import gc, sys
if sys.argv[1] == "imported":
    import prefect
from povmon.prefect_api import prefetch_imports
prefetch_imports(("json",)).join(120)
print(gc.isenabled(), gc.get_freeze_count() > 0, flush=True)
"""


@pytest.mark.parametrize("before, frozen", [("fresh", "True"), ("imported", "False")])
def test_the_prefetch_leaves_the_cycle_collector_on(before, frozen):
    """Off while a fresh process imports, on after, with what the imports made frozen; a process that had imported
    Prefect (a test session) keeps its collector and nothing frozen, so its later garbage stays collectable."""
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    done = subprocess.run([sys.executable, "-c", COLLECTOR_AFTER_PREFETCH, before], env=env, capture_output=True,
                          text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", frozen]


def test_settings_without_heartbeats_are_made_once_per_settings(prefect_harness):
    from prefect.context import get_settings_context

    from povmon.prefect_api import quiet_settings

    base = get_settings_context().settings
    quiet = quiet_settings(base)
    assert quiet_settings(base) is quiet and quiet.flows.heartbeat_frequency is None
    assert quiet.api.url == base.api.url  # the rest as they were


def test_flows_name_their_result_storage_so_runs_do_not_ask_the_server(prefect_harness, monkeypatch):
    """A flow without a named storage asks the server for a default block at its start and at each task's; the
    povmon flows name Prefect's own local storage and persist nothing, so theirs never do."""
    from pathlib import Path

    import prefect.results
    from prefect import flow, task
    from prefect.cache_policies import NO_CACHE
    from prefect.settings import get_current_settings

    from flows.flow_options import results_in_memory
    from flows.nightly import nightly
    from flows.rerun import rerun

    asked = []
    reads = prefect.results._read_server_default_result_storage_block_id
    monkeypatch.setattr(prefect.results, "_read_server_default_result_storage_block_id",
                        lambda: asked.append(1) or reads())

    @task(cache_policy=NO_CACHE)
    def one() -> int:
        return 1

    def two() -> int:
        return one() + one()

    assert flow(two)() == 2 and asked  # the check can see a request
    asked.clear()
    assert flow(two, **results_in_memory())() == 2 and asked == []
    # Prefect's local storage of the settings the flows were imported under (another test's, in a whole session)
    local = Path(get_current_settings().results.local_storage_path)
    assert [(f.persist_result, type(f.result_storage), f.result_storage.name) for f in (nightly, rerun)] == \
        [(False, type(local), local.name)] * 2


FIRST_FLOW_IMPORTS = """
import sys
from povmon.prefect_env import configure_prefect
configure_prefect(sys.argv[1])
from povmon.prefect_api import start_prefect_api
from povmon.cli import PREFETCHED_MODULES
start_prefect_api()
for name in PREFETCHED_MODULES:
    __import__(name)
before = set(sys.modules)
import duckdb, polars as pl
from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from flows.flow_options import results_in_memory

@task(cache_policy=NO_CACHE)
def frame_to_duckdb() -> int:
    con = duckdb.connect()
    con.register("frame", pl.DataFrame({"x": [1, 2]}))
    return con.execute("SELECT sum(x) FROM frame").fetchone()[0]

@flow(**results_in_memory())
def first() -> int:
    return frame_to_duckdb()

assert first() == 3
print(" ".join(sorted({name.split(".")[0] for name in set(sys.modules) - before} - {"encodings"})), flush=True)
"""


def test_the_prefetch_leaves_nothing_for_a_flow_s_first_task_to_import(tmp_path):
    """Prefect imports its engines (and graphviz) at a flow's and a task's first call, Polars pyarrow and numpy at
    the first frame handed to DuckDB: the prefetch imports them while the server boots."""
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    done = subprocess.run([sys.executable, "-c", FIRST_FLOW_IMPORTS, str(tmp_path / "prefect")], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split() == []


def test_a_warm_spare_has_imported_what_the_prefetch_does():
    """`povmon serve`'s spare (povmon/warm_start.WARM_MODULES) imports at least what a plain run's prefetch does."""
    program = ("import sys\nfrom povmon.warm_start import WARM_MODULES\nfrom povmon.cli import PREFETCHED_MODULES\n"
               "before = set(sys.modules)\n[__import__(name) for name in WARM_MODULES]\n"
               "print(' '.join(n for n in PREFETCHED_MODULES if n not in sys.modules or n in before))")
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    done = subprocess.run([sys.executable, "-c", program], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split() == []
