"""`povmon serve`: the deployments of prefect.yaml on their schedules, with a local Prefect server if none is given."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from core.project import PROJECT_DIR

WORK_POOL = "povmon"
PREFECT = [sys.executable, "-m", "prefect"]


def wait_for_api(api_url: str, timeout: float = 180.0) -> None:
    """Block until the Prefect API answers its health check (the first start runs migrations)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{api_url}/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"the Prefect API at {api_url} did not answer within {timeout:.0f} s")


def start_server(env: dict, host: str, port: int) -> tuple[subprocess.Popen, str]:
    """A local Prefect server (SQLite under PREFECT_HOME), and its API URL once it answers."""
    log = open(Path(env["PREFECT_HOME"]) / "server.log", "ab")
    server = subprocess.Popen([*PREFECT, "server", "start", "--host", host, "--port", str(port)],
                              env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    api_url = f"http://{host}:{port}/api"
    wait_for_api(api_url)
    return server, api_url


def deploy(env: dict) -> None:
    """Create the process work pool (if absent) and apply every deployment of prefect.yaml."""
    subprocess.run([*PREFECT, "work-pool", "create", WORK_POOL, "--type", "process"],
                   env=env, cwd=PROJECT_DIR, capture_output=True, text=True)  # exists already: fine
    subprocess.run([*PREFECT, "--no-prompt", "deploy", "--all", "--prefect-file", str(PROJECT_DIR / "prefect.yaml")],
                   env=env, cwd=PROJECT_DIR, check=True, capture_output=True, text=True)


def serve(host: str = "127.0.0.1", port: int = 4200) -> int:
    """Deploy prefect.yaml and run a worker until interrupted; starts a local server when PREFECT_API_URL is unset."""
    env = dict(os.environ, POVMON_PROJECT_DIR=str(PROJECT_DIR))
    children: list[subprocess.Popen] = []
    try:
        if not env.get("PREFECT_API_URL"):
            server, env["PREFECT_API_URL"] = start_server(env, host, port)
            children.append(server)
            print(f"Prefect server and UI: {env['PREFECT_API_URL'].removesuffix('/api')}", flush=True)
        else:
            wait_for_api(env["PREFECT_API_URL"], timeout=30)
        deploy(env)
        print("deployed povmon-nightly/nightly (cron 0 2 * * *, Asia/Shanghai) and povmon-rerun/rerun "
              f"on work pool '{WORK_POOL}'; worker starting (Ctrl-C stops)", flush=True)
        worker = subprocess.Popen([*PREFECT, "worker", "start", "--pool", WORK_POOL, "--type", "process"],
                                  env=env, cwd=PROJECT_DIR, start_new_session=True)
        children.append(worker)
        signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
        return worker.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        for child in reversed(children):
            stop(child)


def stop(child: subprocess.Popen) -> None:
    """Stop a child and its process group: politely, then by force."""
    if child.poll() is not None:
        return
    os.killpg(child.pid, signal.SIGTERM)
    try:
        child.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
