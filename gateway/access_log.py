"""One JSON access-log line per request, and request counts and durations per route and registry.

Labels stay bounded whatever clients send: the route is the URL rule's template (`unmatched` when no
rule matched), the registry is a served registry's code, `unknown` when the path names a registry that
is not served, or `none` on platform routes, and unusual methods fold into `OTHER`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from collections.abc import Iterator

from flask import Flask, Response, current_app, g, request

logger = logging.getLogger("registry.access")
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
Labels = tuple[str, str, str, str]  # method, route, registry, status


class RequestStats:
    """Counts and duration histograms of this process's requests, keyed by bounded labels."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[Labels, int] = defaultdict(int)
        self._sums: dict[Labels, float] = defaultdict(float)
        self._buckets: dict[Labels, list[int]] = {}

    def observe(self, labels: Labels, seconds: float) -> None:
        with self._lock:
            self._counts[labels] += 1
            self._sums[labels] += seconds
            buckets = self._buckets.setdefault(labels, [0] * len(BUCKETS))
            for index, bound in enumerate(BUCKETS):
                if seconds <= bound:
                    buckets[index] += 1

    def exposition(self) -> list[str]:
        with self._lock:
            counts, sums = dict(self._counts), dict(self._sums)
            buckets = {key: list(value) for key, value in self._buckets.items()}
        lines = [
            "# HELP registry_http_requests_total HTTP requests served by this process, per route and registry",
            "# TYPE registry_http_requests_total counter",
        ]
        lines += [f"registry_http_requests_total{{{_labels(key)}}} {n}" for key, n in sorted(counts.items())]
        lines += [
            "# HELP registry_http_request_duration_seconds Time to answer a request, per route and registry",
            "# TYPE registry_http_request_duration_seconds histogram",
        ]
        for key in sorted(counts):
            lines += list(_histogram(key, buckets[key], counts[key], sums[key]))
        return lines


def _histogram(key: Labels, buckets: list[int], count: int, total: float) -> Iterator[str]:
    name, labels = "registry_http_request_duration_seconds", _labels(key)
    for bound, n in zip(BUCKETS, buckets, strict=True):
        yield f'{name}_bucket{{{labels},le="{bound}"}} {n}'
    yield f'{name}_bucket{{{labels},le="+Inf"}} {count}'
    yield f"{name}_sum{{{labels}}} {total:.6f}"
    yield f"{name}_count{{{labels}}} {count}"


def _labels(key: Labels) -> str:
    method, route, registry, status = key
    return f'method="{method}",registry="{registry}",route="{route}",status="{status}"'


def _route() -> str:
    rule = request.url_rule
    return rule.rule if rule is not None else "unmatched"


def _registry() -> str:
    tenant = g.get("tenant")
    if tenant is not None:
        return str(tenant.code)
    rule = request.url_rule
    return "unknown" if rule is None or "registry" in rule.arguments else "none"


def _client_id() -> str:
    principal = g.get("principal")
    return principal.client_id if principal is not None else ""


def _start_clock(_endpoint: str | None, _values: dict[str, object] | None) -> None:
    g.request_started = time.perf_counter()


def _record(response: Response) -> Response:
    seconds = time.perf_counter() - g.get("request_started", time.perf_counter())
    method = request.method if request.method in METHODS else "OTHER"
    route, registry = _route(), _registry()
    stats: RequestStats = current_app.extensions["request_stats"]
    stats.observe((method, route, registry, str(response.status_code)), seconds)
    logger.info(
        "request",
        extra={
            "method": method,
            "route": route,
            "status": response.status_code,
            "duration_ms": round(seconds * 1000, 3),
            "registry": registry,
            "client_id": _client_id(),
            "request_id": g.get("request_id", ""),
        },
    )
    return response


def init_access_log(app: Flask) -> None:
    app.extensions["request_stats"] = RequestStats()
    app.url_value_preprocessor(_start_clock)  # runs before the registry is resolved, which may refuse
    app.after_request(_record)
