"""JSON logs that carry the request, trace and tenant ids, and a line at start and stop of each process."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from flask import g, has_request_context
from pythonjsonlogger.json import JsonFormatter


class ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context():
            record.request_id = g.get("request_id")
            tenant = g.get("tenant")
            record.tenant = tenant.code if tenant is not None else None
        return True


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s", timestamp=False))
    handler.addFilter(ContextFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


@contextmanager
def process_lifecycle(process: str) -> Iterator[None]:
    """Log `process started` on entry and `process stopped` (with how) on the way out, whatever the way."""
    log = logging.getLogger("registry.process")
    started_in = os.getpid()
    log.info("process started", extra={"process_type": process, "pid": started_in})
    outcome = "error"
    try:
        yield
        outcome = "stopped"
    except SystemExit as exit_:
        outcome = f"exit {exit_.code}" if exit_.code not in (None, 0) else "stopped"
        raise
    except KeyboardInterrupt:
        outcome = "interrupted"
        raise
    finally:
        # A forked server worker unwinds through here too on its way out: name it as the worker it is.
        name = process if os.getpid() == started_in else f"{process} worker"
        log.info("process stopped", extra={"process_type": name, "pid": os.getpid(), "outcome": outcome})
