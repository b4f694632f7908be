"""The HTTP benchmark's load client behaves well: a 429 is counted apart from failures, and the client waits
its Retry-After before asking again."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator

import pytest

from bench.http_load import Lane, drive, retry_after_seconds

RETRY_AFTER = 60  # longer than the run: a client that honours it asks once


class Busy(http.server.BaseHTTPRequestHandler):
    requests = 0

    def do_POST(self) -> None:
        type(self).requests += 1
        self.rfile.read(int(self.headers["Content-Length"]))
        body = b'{"code": "registry.busy", "status": 429}'
        self.send_response(429)
        self.send_header("Retry-After", str(RETRY_AFTER))
        self.send_header("Content-Type", "application/problem+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        return


@pytest.fixture
def busy_port() -> Iterator[int]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Busy)
    Busy.requests = 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_a_429_is_counted_apart_and_its_retry_after_is_waited_for(busy_port: int) -> None:
    lane = Lane("ghana", "token", "source", "destination")

    outcome = drive(busy_port, [lane], time.monotonic() + 3)

    assert Busy.requests == 1
    assert outcome.answers == {"429": 1}
    assert (outcome.refusals, outcome.failures, outcome.transfers) == (1, 0, 0)


def test_retry_after_in_seconds_or_else_one_second() -> None:
    assert [retry_after_seconds(v) for v in ("2", None, "Wed, 21 Oct 2026 07:28:00 GMT")] == [2.0, 0.0, 1.0]
