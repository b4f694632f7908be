"""Fair share per registry: one registry may hold only so many of a worker process's threads at once, while
another registry wants them.

Each gunicorn worker serves 4 requests at a time (its threads). Without a cap, one registry flooding the
platform takes every thread and every other registry's requests queue behind it. With the cap
(REGISTRY_IN_FLIGHT_PER_REGISTRY, per worker process), a registry's request beyond it is answered at once
with 429 and Retry-After, before its token is checked, so refusing costs next to nothing and the threads
left over stay free for the other registries. The cap is work-conserving: it applies only while another
registry has a request in flight in the worker or had one within the last second, so a registry alone on
a worker (most of the time, in a deployment with one busy registry) may use every thread instead of being
refused with threads idle. docs/requests.md has the setting and how it scales.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable

from flask import Flask, current_app, g

from gateway.auth.errors import HeaderProblem

CONFIG_KEY = "REGISTRY_IN_FLIGHT_PER_REGISTRY"
RETRY_AFTER_SECONDS = 1
ACTIVE_WINDOW_S = 1.0  # a registry whose last request here ended this recently still counts as wanting threads
_HELD = "fair_share_registry"


class InFlight:
    """Requests in flight per registry in this process; `limit` 0 admits every request."""

    def __init__(self, limit: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.clock = clock
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()
        self._last_seen: dict[str, float] = {}

    def enter(self, registry: str) -> bool:
        """Count one more request of `registry` in flight, unless it is at its limit while another registry
        wants threads too (then False)."""
        with self._lock:
            now = self.clock()
            if self.limit and self._counts[registry] >= self.limit and self._contended(registry, now):
                return False
            self._counts[registry] += 1
            self._last_seen[registry] = now
            return True

    def leave(self, registry: str) -> None:
        with self._lock:
            self._counts[registry] -= 1
            self._last_seen[registry] = self.clock()
            if self._counts[registry] <= 0:
                del self._counts[registry]

    def count(self, registry: str) -> int:
        with self._lock:
            return self._counts[registry]

    def _contended(self, registry: str, now: float) -> bool:
        """Whether another registry has a request in flight or had one within the window; forgets stale ones."""
        for other, seen in list(self._last_seen.items()):
            if other in self._counts or now - seen < ACTIVE_WINDOW_S:
                if other != registry:
                    return True
            else:
                del self._last_seen[other]
        return False


def registry_busy(limit: int) -> HeaderProblem:
    detail = (
        f"this registry has {limit} requests in progress on this server, its fair share: "
        f"wait {RETRY_AFTER_SECONDS} s before trying again"
    )
    return HeaderProblem(429, "registry.busy", detail, {"Retry-After": str(RETRY_AFTER_SECONDS)})


def in_flight() -> InFlight:
    # Built on first use, so a test may change the limit after create_app and before any request.
    found: InFlight | None = current_app.extensions.get("fair_share")
    if found is None:
        found = current_app.extensions["fair_share"] = InFlight(current_app.config[CONFIG_KEY])
    return found


def _admit() -> None:
    tenant = g.get("tenant")
    if tenant is None:
        return
    registry, gate = str(tenant.id), in_flight()
    if not gate.enter(registry):
        g.fair_share_refused = True
        raise registry_busy(gate.limit)
    setattr(g, _HELD, registry)


def _release(_error: BaseException | None) -> None:
    registry = g.pop(_HELD, None)
    if registry is not None:
        in_flight().leave(registry)


def init_fair_share(app: Flask, limit: int) -> None:
    """Register before authentication, so a refusal does not pay for the token check."""
    app.config.setdefault(CONFIG_KEY, limit)
    app.before_request(_admit)
    app.teardown_request(_release)
