"""Platform health: the readiness probes' detail (database, Kafka, the event pipeline) and CAD Trust failures."""

from __future__ import annotations

from typing import Any

from flask import render_template
from flask_babel import gettext as _

from gateway.auth.access import requires
from gateway.auth.principal import Role
from gateway.health import _check, kafka_ping, outbox_age
from gateway.web.i18n import number
from gateway.web.operator import bp
from gateway.web.operator.charts import horizontal_bars
from gateway.web.operator.common import STATUS_LABELS, platform
from gateway.web.operator.figures import pipeline, reachable_cadt_counts


def readiness() -> dict[str, dict[str, Any]]:
    """The same probes as /readyz; Kafka only when this deployment uses it (the backlog is shown below)."""
    current = platform()
    checks = {"database": _check(current.database.ping)}
    if current.settings.kafka.enabled:
        checks["kafka"] = _check(lambda: kafka_ping(current.settings.kafka))
    if checks["database"]["ok"]:
        checks["events"] = outbox_age(current)
    return checks


@bp.get("/health")
@requires(Role.PLATFORM_OPERATOR, session=True)
def health() -> str:
    checks = readiness()
    ready = all(check["ok"] for check in checks.values())
    tenants = platform().catalogue.list() if checks["database"]["ok"] else []
    flow = pipeline(platform()) if checks["database"]["ok"] else None
    totals = flow.consumer_totals() if flow else {}
    chart = horizontal_bars(
        "lag-chart",
        _("Consumer lag"),
        _("Events each consumer has not applied yet, all registries together."),
        [(name, lag, number(lag)) for name, lag in totals.items()],
    )
    return render_template(
        "web/operator/health.html",
        checks=checks,
        ready=ready,
        kafka_enabled=platform().settings.kafka.enabled,
        tenants=tenants,
        flow=flow,
        totals=totals,
        chart=chart,
        cadt=reachable_cadt_counts(platform(), tenants),
        labels=STATUS_LABELS,
    )
