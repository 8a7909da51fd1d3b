"""The Prefect REST API of a `povmon serve` in tests and benchmarks: calls, and waiting for a state."""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through an http_proxy
# the answers Prefect's own client tries again (its server answers 503 when its SQLite database stayed locked past
# its timeout, on a busy machine: the request changed nothing); as often, and as long, as that client waits
TRANSIENT = (429, 502, 503)
ATTEMPTS = 6


def api(url: str, path: str, body: dict | None = None):
    """POST (or GET without a body) to the Prefect REST API; the decoded JSON reply. A transient answer (TRANSIENT)
    is asked again, as Prefect's client does, after the server's Retry-After or a growing pause."""
    data = None if body is None else json.dumps(body).encode()
    for attempt in range(1, ATTEMPTS + 1):
        request = urllib.request.Request(url + path, data=data, method="POST" if data else "GET",
                                         headers={"content-type": "application/json"})
        try:
            with DIRECT.open(request, timeout=10) as reply:
                return json.loads(reply.read() or b"null")
        except urllib.error.HTTPError as answer:
            if answer.code not in TRANSIENT or attempt == ATTEMPTS:
                raise
            time.sleep(retry_after(answer, attempt))


def retry_after(answer: urllib.error.HTTPError, attempt: int) -> float:
    """Seconds to wait before asking again: the server's Retry-After (seconds), else 2 to the attempt's power."""
    try:
        return min(max(float(answer.headers.get("Retry-After", "")), 0.0), 30.0)
    except ValueError:
        return float(2 ** attempt)


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
