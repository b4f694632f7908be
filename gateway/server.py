"""Serve the WSGI app with gunicorn, configured from Settings rather than a config file."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from flask import Flask
from gunicorn import util
from gunicorn.app.base import BaseApplication
from gunicorn.http.errors import LimitRequestLine
from gunicorn.workers.gthread import ThreadWorker

from gateway.errors import PROBLEM_JSON
from gateway.inputs.limits import MAX_REQUEST_LINE, MAX_URL_CHARS


class GunicornServer(BaseApplication):  # type: ignore[misc]
    def __init__(self, app_factory: Callable[[], Flask], options: dict[str, Any]) -> None:
        self.app_factory = app_factory
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self.app_factory()


class ProblemThreadWorker(ThreadWorker):  # type: ignore[misc]
    """gunicorn's threaded worker, whose refusal of a request line past its limit is problem+json like
    every other error of the API, not gunicorn's HTML page. The gateway refuses URLs longer than
    MAX_URL_CHARS itself; only longer request lines reach this."""

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        if not isinstance(exc, LimitRequestLine):
            super().handle_error(req, client, addr, exc)
            return
        self.log.warning("request line over %s bytes refused", MAX_REQUEST_LINE)
        detail = f"the URL is longer than {MAX_URL_CHARS} characters: send filters in fewer"
        try:
            util.write_nonblock(client, problem_bytes(414, "URI Too Long", "request.uri_too_long", detail))
        except OSError:
            self.log.debug("the client left before its 414 was sent")


def problem_bytes(status: int, reason: str, code: str, detail: str) -> bytes:
    """A whole HTTP response carrying a problem+json body, written by the server outside the app."""
    problem = {"type": f"/problems/{code}", "title": reason, "status": status, "code": code, "detail": detail}
    body = json.dumps(problem).encode()
    head = (
        f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\nContent-Type: {PROBLEM_JSON}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode("latin-1") + body


def serve(
    app_factory: Callable[[], Flask],
    host: str,
    port: int,
    *,
    workers: int,
    threads: int = 4,
    on_ready: Callable[[Any], None] | None = None,
) -> None:
    options: dict[str, Any] = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": ProblemThreadWorker,
        # gunicorn's ceiling; the gateway's own limit (MAX_URL_CHARS) is lower, so it answers first.
        "limit_request_line": MAX_REQUEST_LINE,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "timeout": 60,
        "graceful_timeout": 20,
        "worker_tmp_dir": "/tmp",  # noqa: S108 - gunicorn heartbeat files; /tmp is the writable emptyDir
    }
    if on_ready is not None:
        options["when_ready"] = on_ready
    GunicornServer(app_factory, options).run()
