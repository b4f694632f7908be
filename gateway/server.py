"""Serve the WSGI app with gunicorn, configured from Settings rather than a config file."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication


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
        "worker_class": "gthread",
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
