"""Shared test setup: an offline Prefect home, the real Prefect engine (test harness), and file builders."""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

_PREFECT_HOME = Path(tempfile.mkdtemp(prefix="povmon-prefect-"))
os.environ.setdefault("PREFECT_HOME", str(_PREFECT_HOME))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ["POVMON_SETTLE_SECONDS"] = "0"  # test files are written just before the run

# removed when the test process ends, after the harness and every subprocess using it (~22 MB each: its server's
# database; CI and local runs left one per session)
atexit.register(shutil.rmtree, _PREFECT_HOME, ignore_errors=True)


@pytest.fixture(scope="session")
def prefect_harness():
    """The real Prefect engine against a temporary local API, once per test session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.fixture(scope="session")
def small_city(tmp_path_factory):
    """The small synthetic city (seed 7, as of 202003), generated once per session; returns its root."""
    from povmon.synth import generate_city

    root = tmp_path_factory.mktemp("small-city")
    generate_city(root, seed=7, scale="small", as_of="202003")
    return root


@pytest.fixture(scope="session")
def small_city_run(small_city, prefect_harness, tmp_path_factory):
    """One nightly run over the small city, shared by the end-to-end tests; returns its work folder
    (db.duckdb, out/). Tests may add to it (a sample draw) but not change what the run loaded."""
    from tests.support.runs import run_nightly

    work = tmp_path_factory.mktemp("small-city-run")
    run_nightly(work, inbox=small_city / "inbox", reference=small_city / "reference")
    return work


CITY_FIXTURES = {"small_city", "small_city_run"}


def pytest_collection_modifyitems(items):
    """Tiers for make test-fast: a test on the generated small city (made and run once per session, ~30 s) is
    slow; one that runs the flows under the Prefect engine is a flow test."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if CITY_FIXTURES & fixtures:
            item.add_marker(pytest.mark.slow)
        if "prefect_harness" in fixtures:
            item.add_marker(pytest.mark.flow)


_EXIT_STATUS: list[int] = []


def pytest_sessionfinish(session, exitstatus):
    """Keep the session's exit status for pytest_unconfigure."""
    _EXIT_STATUS.append(int(exitstatus))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    """End the test process as povmon ends its own (povmon.fast_exit), with pytest's exit status: every exit duty
    done, the interpreter's teardown of its modules skipped, where DuckDB's bindings print pages of "nanobind:
    leaked …" under the summary of every `make test`."""
    if _EXIT_STATUS and not hasattr(config, "workerinput"):  # a pytest-xdist worker reports to its controller
        from povmon.fast_exit import end_process

        end_process(_EXIT_STATUS[-1])
