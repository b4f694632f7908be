"""Embedded mode: the relay and every consumer run as threads beside the HTTP server, on the database log."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from gateway.consumers import CONSUMERS
from gateway.events_cli import build_relay, build_runtime
from gateway.platform import Platform

log = logging.getLogger(__name__)


def start_embedded_workers(platform: Platform, should_stop: Callable[[], bool]) -> list[threading.Thread]:
    workers = [
        threading.Thread(target=build_relay(platform, "embedded").run, args=(should_stop,), name="relay", daemon=True)
    ]
    for name in sorted(CONSUMERS):
        runtime = build_runtime(platform, name)
        workers.append(threading.Thread(target=runtime.run, args=(should_stop,), name=f"consumer-{name}", daemon=True))
    for worker in workers:
        worker.start()
    log.info("embedded bus: %s", ", ".join(w.name for w in workers))
    return workers
