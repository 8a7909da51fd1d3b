"""`povmon serve` with a real Prefect server: deployments from prefect.yaml, a worker runs a triggered nightly run."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from datetime import datetime

import psutil
import pytest

from core.project import PROJECT_DIR
from tests.support.prefect_rest import api, wait_until
from tests.support.processes import started_at
from tests.support.returns import csv_bytes, household, make_city

pytestmark = pytest.mark.slow


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_env(tmp_path) -> dict[str, str]:
    """This environment for a serve of its own: no API or Prefect home inherited, the home under tmp_path."""
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "PREFECT_HOME")}
    return env | {"POVMON_PREFECT_HOME": str(tmp_path / "prefect")}


def test_serve_deploys_the_schedule_and_a_worker_runs_a_triggered_nightly(tmp_path):
    """Deployments as the README says; a triggered nightly reads the settings file as `povmon run` in serve's folder."""
    inbox, reference = make_city(tmp_path)
    (inbox / "430521001001_202003.csv").write_bytes(csv_bytes([household("430521001001", 1)]))
    port = free_port()
    url = f"http://127.0.0.1:{port}/api"
    env = serve_env(tmp_path) | {"POVMON_SETTLE_SECONDS": "0"}
    settings_file = tmp_path / "city.toml"  # the deployments name it; the worker's flow runs load it
    # paths relative to the folder serve is started in, as `povmon run` there reads them (the flow runs work elsewhere)
    settings_file.write_text(f"""[paths]\ninbox = "{inbox.relative_to(tmp_path)}"\n"""
                             f"""reference = "{reference.relative_to(tmp_path)}"\n"""
                             """db = "db.duckdb"\nout = "out"\n""", encoding="utf-8")
    serve = subprocess.Popen([sys.executable, "-m", "povmon.cli", "serve", "--port", str(port),
                              "--settings", "city.toml"], env=env, cwd=tmp_path,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        deployments = wait_until(lambda: len(api(url, "/deployments/filter", {})) == 2 and api(url, "/deployments/filter", {}),
                                 240, "two deployments")
        by_name = {d["name"]: d for d in deployments}
        schedule = by_name["nightly"]["schedules"][0]["schedule"]
        assert (schedule["cron"], schedule["timezone"]) == ("0 2 * * *", "Asia/Shanghai")
        assert by_name["nightly"]["schedules"][0]["active"] is True
        assert by_name["rerun"]["schedules"] == []
        assert {d["work_pool_name"] for d in deployments} == {"povmon"}
        assert api(url, "/work_pools/povmon")["type"] == "process"
        assert {d["parameters"]["settings_file"] for d in deployments} == {str(settings_file.resolve())}
        warm = tmp_path / "prefect" / "warm"  # a spare that has imported the flows waits for the run
        spare = wait_until(lambda: list(warm.glob("*.sock")), 240, "a warm spare")[0]
        run = api(url, f"/deployments/{by_name['nightly']['id']}/create_flow_run", {})
        final = wait_until(lambda: (s := api(url, f"/flow_runs/{run['id']}")["state"])["type"]
                           in ("COMPLETED", "FAILED", "CRASHED") and s, 240, "the flow run to finish")
        assert final["type"] == "COMPLETED", final
        assert (tmp_path / "out" / "exports" / "problems.csv").exists()
        assert (tmp_path / "out" / "reports" / "index.html").exists()
        assert (tmp_path / "out" / "reports" / "430521.html").exists()
        assert not spare.exists()  # the spare took the run, and serve starts the next one
        following = wait_until(lambda: list(warm.glob("*.sock")), 240, "the next spare")[0]
        # ... once the run's process ended, not beside the run (its imports took a core from the night)
        ended = datetime.fromisoformat(api(url, f"/flow_runs/{run['id']}")["end_time"].replace("Z", "+00:00"))
        assert started_at(int(following.stem)) > ended.timestamp()
        # a run on serve's Prefect home uses serve's server: its flow run is in serve's records
        done = subprocess.run([sys.executable, "-m", "povmon.cli", "run", "--settings", "city.toml"], env=env,
                              cwd=tmp_path, capture_output=True, text=True, timeout=600)
        assert "0 new files" in done.stdout, done.stdout + done.stderr
        completed = api(url, "/flow_runs/filter", {"flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}}})
        assert len(completed) == 2  # (the schedule's future runs aside)
    finally:
        os.killpg(serve.pid, signal.SIGINT)
        try:
            serve.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)
    output = serve.stdout.read()
    try:  # the spare left waiting ends with serve
        _, alive = psutil.wait_procs([psutil.Process(int(following.stem))], timeout=20)
        assert not alive
    except psutil.NoSuchProcess:
        pass
    assert "povmon warm start: flow run in spare process" in output and "declined" not in output, output[-3000:]
    with pytest.raises(OSError):
        api(url, "/health")  # serve stopped its server on the way out


def test_sigterm_while_its_server_starts_stops_that_server_too(tmp_path):
    """SIGTERM to serve before its Prefect server answers leaves no server running on the port and the home."""
    env = serve_env(tmp_path)
    serve = subprocess.Popen([sys.executable, "-m", "povmon.cli", "serve", "--port", str(free_port())], env=env,
                             cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        server = wait_until(lambda: psutil.Process(serve.pid).children(), 60, "serve's Prefect server")[0]
        os.kill(serve.pid, signal.SIGTERM)  # an empty home: the server takes ~15 s to answer, it still starts
        serve.wait(timeout=40)
    finally:
        if serve.poll() is None:
            os.killpg(serve.pid, signal.SIGKILL)
    _, alive = psutil.wait_procs([server], timeout=20)
    for left in alive:
        left.kill()
    assert not alive


def test_a_killed_serve_leaves_no_server_or_worker_behind(tmp_path):
    """serve killed (kill -9: no clean-up of its own) takes its Prefect server and worker with it; left running,
    they held the port and the home, and the next serve refused the port."""
    port = free_port()
    env = serve_env(tmp_path)
    serve = subprocess.Popen([sys.executable, "-m", "povmon.cli", "serve", "--port", str(port)], env=env,
                             cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_until(lambda: api(f"http://127.0.0.1:{port}/api", "/work_pools/povmon/workers/filter", {}), 240,
                   "serve's worker")
        children = psutil.Process(serve.pid).children()
        commands = [" ".join(child.cmdline()) for child in children]
        assert any("server start" in c for c in commands) and any("worker start" in c for c in commands), commands
        serve.kill()
        serve.wait(timeout=10)
    finally:
        if serve.poll() is None:
            os.killpg(serve.pid, signal.SIGKILL)
    _, alive = psutil.wait_procs(children, timeout=30)
    for left in alive:
        left.kill()
    assert not alive, [" ".join(p.cmdline()) for p in alive]


def test_serve_refuses_a_port_another_server_listens_on(tmp_path):
    """A second city's serve on a taken port says so and stops: it neither starts a server nor deploys into another."""
    env = serve_env(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "povmon.cli", "serve", "--port", str(port)], env=env,
                              cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert f"port {port} on 127.0.0.1 is in use" in done.stderr
    assert not (tmp_path / "prefect" / "prefect.db").exists()  # no server of its own was started


@pytest.mark.parametrize("host", ["999.1.1.1", "192.0.2.1"])  # no address at all; an address of another machine
def test_serve_names_a_host_it_cannot_listen_on_without_blaming_another_server(tmp_path, host):
    """A typo in --host was reported as the port being in use by another serve or Prefect server: one to look for
    that is not there."""
    env = serve_env(tmp_path) | {"PYTHONPATH": str(PROJECT_DIR)}  # this checkout's povmon, from any folder
    done = subprocess.run([sys.executable, "-m", "povmon.cli", "serve", "--host", host, "--port", "4299"],
                          env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert f"cannot listen on {host} port 4299" in done.stderr and "in use" not in done.stderr, done.stderr
    assert not (tmp_path / "prefect" / "prefect.db").exists()
