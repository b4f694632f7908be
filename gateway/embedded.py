"""Embedded mode: the relay and every consumer run as threads beside the HTTP server, on the database log."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from gateway.bootstrap import Platform
from gateway.bootstrap.consumers import CONSUMERS
from gateway.cli.events import build_relay, build_runtime
from gateway.cli.transparency import sequence_pass
from services.transparency.service_layer.sequencer import JournalGap

SEQUENCER_EVERY_S = 2.0

log = logging.getLogger(__name__)


def start_embedded_workers(platform: Platform, should_stop: Callable[[], bool]) -> list[threading.Thread]:
    workers = [
        threading.Thread(target=build_relay(platform, "embedded").run, args=(should_stop,), name="relay", daemon=True)
    ]
    for name in sorted(CONSUMERS):
        runtime = build_runtime(platform, name)
        workers.append(threading.Thread(target=runtime.run, args=(should_stop,), name=f"consumer-{name}", daemon=True))
    workers.append(threading.Thread(target=run_sequencer, args=(platform, should_stop), name="sequencer", daemon=True))
    for worker in workers:
        worker.start()
    log.info("embedded bus: %s", ", ".join(w.name for w in workers))
    return workers


def run_sequencer(platform: Platform, should_stop: Callable[[], bool], every_s: float = SEQUENCER_EVERY_S) -> None:
    """`registry transparency sequence --every`, as a thread: the demo's registries get signed checkpoints."""
    while not should_stop():
        try:
            for tenant, done in sequence_pass(platform, None):
                if isinstance(done, JournalGap):
                    log.error("transparency sequencer: %s not integrated: %s", tenant.code, done)
        except Exception:  # a failed pass is logged and the next one tries again, as the relay does
            log.exception("transparency sequencer pass failed")
        deadline = time.monotonic() + every_s
        while time.monotonic() < deadline and not should_stop():
            time.sleep(0.1)
