"""`/metrics`: the event pipeline's backlog in the Prometheus text format (version 0.0.4).

Written by hand: three gauge families need no client library, and the values are read from the
database at scrape time, so every gateway replica reports the same numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from uuid import UUID

from flask import Blueprint, Response, current_app

from gateway.bootstrap import current_platform
from gateway.bootstrap.consumers import CONSUMERS
from services.events import bootstrap as events

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

bp = Blueprint("metrics", __name__)


def consumer_lags(platform: Any) -> dict[str, dict[UUID, int]]:
    """Events each consumer has not applied yet, per tenant, counting only the topics it reads."""
    inbox = events.inbox(platform.database)
    return {name: inbox.lag_by_tenant(name, topics=CONSUMERS[name](platform).topics) for name in sorted(CONSUMERS)}


def render(platform: Any) -> str:
    codes = {t.id: t.code for t in platform.catalogue.list()}
    pending = events.outbox_store(platform.database).pending_by_tenant()
    lines = _family(
        "registry_outbox_pending_events",
        "Outbox rows not yet published to the bus, per tenant",
        [({"tenant": codes.get(t, str(t))}, n) for t, n in pending.items()],
    )
    lines += _family(
        "registry_outbox_pending_events_total", "Outbox rows not yet published", [({}, sum(pending.values()))]
    )
    lags = consumer_lags(platform)
    lines += _family(
        "registry_consumer_lag_events",
        "Published events a consumer has not applied yet, per consumer and tenant",
        (({"consumer": name, "tenant": codes.get(t, str(t))}, n) for name, lag in lags.items() for t, n in lag.items()),
    )
    lines += _family(
        "registry_consumer_lag_events_total",
        "Published events a consumer has not applied yet",
        (({"consumer": name}, sum(lag.values())) for name, lag in lags.items()),
    )
    lines += current_app.extensions["request_stats"].exposition()
    return "\n".join(lines) + "\n"


def _family(name: str, help_text: str, samples: Iterable[tuple[Mapping[str, str], int]]) -> list[str]:
    lines = [f"# HELP {name} {help_text}", f"# TYPE {name} gauge"]
    for labels, value in samples:
        text = ",".join(f'{key}="{_escape(val)}"' for key, val in sorted(labels.items()))
        lines.append(f"{name}{{{text}}} {value}" if text else f"{name} {value}")
    return lines


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


@bp.get("/metrics")
def metrics() -> Response:
    return Response(render(current_platform()), mimetype=None, content_type=CONTENT_TYPE)
