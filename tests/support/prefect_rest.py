"""The Prefect REST API of a `povmon serve` in tests and benchmarks: calls, and waiting for a state."""
from __future__ import annotations

import json
import time
import urllib.request

DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through an http_proxy


def api(url: str, path: str, body: dict | None = None):
    """POST (or GET without a body) to the Prefect REST API; the decoded JSON reply."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url + path, data=data, method="POST" if data else "GET",
                                     headers={"content-type": "application/json"})
    with DIRECT.open(request, timeout=10) as reply:
        return json.loads(reply.read() or b"null")


def wait_until(check, timeout: float, what: str, every: float = 1.0):
    """Poll check() until it returns something truthy; raise TimeoutError naming what did not happen."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            found = check()
            if found:
                return found
        except OSError:
            pass
        time.sleep(every)
    raise TimeoutError(f"timed out waiting for {what}")
