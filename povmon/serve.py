"""`povmon serve`: the deployments of prefect.yaml on their schedules, with a local Prefect server if none is given."""
from __future__ import annotations

import errno
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from core.project import PROJECT_DIR
from core.settings import SERVE_DIR_ENV
from povmon.children import stop_child, wait_until_healthy
from povmon.prefect_api import announce_serve_api, die_with_parent
from povmon.warm_start import WARM_DIR_ENV, Spares

WORK_POOL = "povmon"
PREFECT = [sys.executable, "-m", "prefect"]


def refuse_a_taken_port(host: str, port: int) -> None:
    """Stop when something listens on the port already: the server started would exit, and another serve's server
    answering there would be taken for it (this serve's deployments replacing that city's)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds: a port in TIME_WAIT is free
        try:
            probe.bind((host, port))
        except OSError as err:
            if err.errno != errno.EADDRINUSE:  # no such address here (a typo in --host), a port not ours to take
                raise RuntimeError(f"cannot listen on {host} port {port}: {err.strerror or err}") from err
            raise RuntimeError(f"port {port} on {host} is in use (another povmon serve or Prefect server?): "
                               f"give serve another --port, or set PREFECT_API_URL to use that server") from err


def start_server(env: dict, host: str, port: int) -> tuple[subprocess.Popen, str]:
    """A local Prefect server (SQLite under PREFECT_HOME), and its API URL once it answers."""
    refuse_a_taken_port(host, port)
    log = open(Path(env["PREFECT_HOME"]) / "server.log", "ab")
    server = subprocess.Popen([*PREFECT, "server", "start", "--host", host, "--port", str(port)],
                              env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                              preexec_fn=die_with_parent)
    api_url = f"http://{host}:{port}/api"
    try:
        wait_until_healthy(api_url, 180.0, server)
    except BaseException:  # serve stopped (or the server failed) while it started: not left running on its own
        stop_child(server, timeout=15, whole_group=True)
        raise
    return server, api_url


def deploy(env: dict) -> None:
    """Create the process work pool (if absent) and apply every deployment of prefect.yaml."""
    subprocess.run([*PREFECT, "work-pool", "create", WORK_POOL, "--type", "process"],
                   env=env, cwd=PROJECT_DIR, capture_output=True, text=True)  # exists already: fine
    subprocess.run([*PREFECT, "--no-prompt", "deploy", "--all", "--prefect-file", str(PROJECT_DIR / "prefect.yaml")],
                   env=env, cwd=PROJECT_DIR, check=True, capture_output=True, text=True)


def serve(host: str = "127.0.0.1", port: int = 4200, settings_file: Path | None = None) -> int:
    """Deploy prefect.yaml and run a worker until interrupted; starts a local server when PREFECT_API_URL is unset.
    The deployments name the settings file (their `settings_file` parameter), which each flow run loads. The server,
    the worker and the spares end with serve, however it ends (killed too: they would hold the port and the home)."""
    env = dict(os.environ, POVMON_PROJECT_DIR=str(PROJECT_DIR), POVMON_DEPLOYED_SETTINGS=str(settings_file or ""),
               **{SERVE_DIR_ENV: os.getcwd()},  # the flow runs' relative paths, as `povmon run` here reads them
               POVMON_FLOW_RUN_COMMAND=f"{sys.executable} -m povmon.warm_start",
               **{WARM_DIR_ENV: str(Path(os.environ["PREFECT_HOME"]) / "warm")})
    children: list[subprocess.Popen] = []
    announced: Path | None = None
    # SIGTERM stops serve as Ctrl-C does, from the start: the server and worker run in sessions of their own, so one
    # still starting when serve ended by the signal's default action was left running on the port and the home
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        if not env.get("PREFECT_API_URL"):
            server, env["PREFECT_API_URL"] = start_server(env, host, port)
            children.append(server)
            print(f"Prefect server and UI: {env['PREFECT_API_URL'].removesuffix('/api')}", flush=True)
        else:
            wait_until_healthy(env["PREFECT_API_URL"], 30.0)
        deploy(env)
        announced = announce_serve_api(Path(env["PREFECT_HOME"]), env["PREFECT_API_URL"])
        print("deployed povmon-nightly/nightly (cron 0 2 * * *, Asia/Shanghai) and povmon-rerun/rerun "
              f"on work pool '{WORK_POOL}'; worker starting (Ctrl-C stops)", flush=True)
        worker = subprocess.Popen([*PREFECT, "worker", "start", "--pool", WORK_POOL, "--type", "process"],
                                  env=env, cwd=PROJECT_DIR, start_new_session=True, preexec_fn=die_with_parent)
        children.append(worker)
        spares = Spares(env, PROJECT_DIR)
        while worker.poll() is None:
            spares.keep_one()  # a flow run's process ready before the worker asks (povmon/warm_start.py)
            children[len(children):] = [p for p in spares.processes() if p not in children]
            time.sleep(0.5)
        return worker.returncode
    except KeyboardInterrupt:
        return 0
    finally:
        if announced is not None:
            announced.unlink(missing_ok=True)
        for child in reversed(children):
            try:
                stop_child(child, timeout=15, whole_group=True)
            except ProcessLookupError:  # it ended between the look and the signal: the others still stopped
                continue
