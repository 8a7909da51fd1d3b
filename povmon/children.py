"""Child processes of povmon: waiting for a Prefect server to answer, and stopping a child."""
from __future__ import annotations

import http.client
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request

DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through an http_proxy


def wait_until_healthy(api_url: str, timeout: float, server: subprocess.Popen | None = None) -> None:
    """Block until the Prefect API answers /health; raise if the server (when it is our child) died or the
    API never answered (the first start of an empty home runs migrations)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server is not None and server.poll() is not None:
            raise RuntimeError(f"the Prefect server exited with code {server.returncode}")
        try:
            # a short timeout: the socket may listen before the server is up, so a request waits, not refused
            with DIRECT.open(f"{api_url}/health", timeout=0.5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, http.client.HTTPException, ConnectionError, TimeoutError):
            pass
        time.sleep(0.05)
    raise RuntimeError(f"the Prefect API at {api_url} did not answer within {timeout:.0f} s")


def stop_child(child: subprocess.Popen, timeout: float = 5.0, whole_group: bool = False) -> None:
    """Ask a child (and, with whole_group, its process group) to stop; kill it if it has not within timeout."""
    if child.poll() is not None:
        return
    send = (lambda sig: os.killpg(child.pid, sig)) if whole_group else child.send_signal
    send(signal.SIGTERM)
    try:
        child.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        send(signal.SIGKILL)
        child.wait()
