"""The tests' Prefect REST calls ask again after a transient answer, as Prefect's own client does, and no other."""
from __future__ import annotations

import json
import threading
import urllib.error
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.support.prefect_rest import api


def serving(answers: list[int]):
    """A local server answering each request with the next status of answers (the last one repeated), a JSON body
    on 200, Retry-After 0 otherwise; returns the server and the statuses it sent."""
    sent: list[int] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("content-length", 0)))
            status = answers[min(len(sent), len(answers) - 1)]
            sent.append(status)
            body = json.dumps({"id": "run-1"}).encode() if status == 200 else b"{}"
            self.send_response(status)
            self.send_header("Retry-After", "0")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            """Quiet: the test's output is its assertions, not the server's request lines."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, sent


def test_a_call_answered_503_is_asked_again_until_it_is_answered():
    server, sent = serving([503, 503, 200])
    try:
        assert api(f"http://127.0.0.1:{server.server_port}/api", "/deployments/x/create_flow_run", {}) == {"id": "run-1"}
    finally:
        server.shutdown()
    assert sent == [503, 503, 200]


def test_an_error_that_is_not_transient_is_raised_at_once():
    server, sent = serving([500, 200])
    try:
        with pytest.raises(urllib.error.HTTPError) as raised:
            api(f"http://127.0.0.1:{server.server_port}/api", "/deployments/x/create_flow_run", {})
    finally:
        server.shutdown()
    assert raised.value.code == 500 and sent == [500]


def test_a_server_that_stays_unavailable_is_given_up_on():
    server, sent = serving([503])
    try:
        with pytest.raises(urllib.error.HTTPError) as raised:
            api(f"http://127.0.0.1:{server.server_port}/api", "/flow_runs/filter", {})
    finally:
        server.shutdown()
    assert raised.value.code == 503 and len(sent) == 6
