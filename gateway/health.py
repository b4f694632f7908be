from __future__ import annotations

import time
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from gateway.bootstrap import current_platform
from gateway.settings import KafkaSettings

blp = Blueprint("health", __name__, description="Liveness and readiness probes")


class HealthSchema(Schema):
    status = fields.String(required=True)


class ReadinessSchema(Schema):
    status = fields.String(required=True, metadata={"description": "ready or not_ready"})
    checks = fields.Dict(keys=fields.String(), values=fields.Dict(), required=True)


@blp.route("/healthz")
class Liveness(MethodView):
    @blp.response(200, HealthSchema)
    def get(self) -> dict[str, str]:
        """The process is up"""
        return {"status": "ok"}


@blp.route("/readyz")
class Readiness(MethodView):
    @blp.response(200, ReadinessSchema)
    @blp.alt_response(503, schema=ReadinessSchema, description="a dependency is unreachable or the relay is behind")
    def get(self) -> tuple[dict[str, Any], int]:
        """The database and, when configured, Kafka are reachable; the relay publishes the outbox in time"""
        checks = readiness_checks(current_platform())
        ready = all(c["ok"] for c in checks.values())
        return {"status": "ready" if ready else "not_ready", "checks": checks}, 200 if ready else 503


def readiness_checks(platform: Any) -> dict[str, dict[str, Any]]:
    """The database, Kafka when configured, and the events: the outbox backlog and each consumer's lag,
    failing only when the oldest unpublished event is older than READY_MAX_OUTBOX_AGE_SECONDS."""
    checks = {"database": _check(platform.database.ping)}
    if platform.settings.kafka.enabled:
        checks["kafka"] = _check(lambda: kafka_ping(platform.settings.kafka))
    checks["events"] = outbox_age(platform) | event_backlog(platform) if checks["database"]["ok"] else {"ok": False}
    return checks


def outbox_age(platform: Any) -> dict[str, Any]:
    """Whether the relay keeps up: the age of the oldest unpublished event against the configured limit."""
    from services.events import bootstrap as events

    limit = platform.settings.ready_max_outbox_age_seconds
    oldest = events.outbox_store(platform.database).oldest_pending_created_at()
    age = None if oldest is None else round((platform.clock.now() - oldest).total_seconds(), 1)
    found = {"oldest_pending_age_s": age, "max_age_s": limit}
    if limit and age is not None and age > limit:
        reason = (
            f"the oldest unpublished outbox event is {age:.0f} s old (limit {limit} s): is `registry relay` running?"
        )
        return {"ok": False, "error": reason, **found}
    return {"ok": True, **found}


def event_backlog(platform: Any) -> dict[str, Any]:
    """The outbox backlog and each consumer's lag, per tenant (informational)."""
    from gateway.metrics import consumer_lags
    from services.events import bootstrap as events

    codes = {t.id: t.code for t in platform.catalogue.list()}
    pending = events.outbox_store(platform.database).pending_by_tenant()
    lags = consumer_lags(platform)
    return {
        "outbox_pending": sum(pending.values()),
        "outbox_pending_by_tenant": {codes.get(t, str(t)): n for t, n in pending.items()},
        "consumer_lag_by_tenant": {
            name: {codes.get(t, str(t)): n for t, n in lag.items()} for name, lag in lags.items()
        },
    }


def _check(probe: Any) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        probe()
    except Exception as error:  # noqa: BLE001 - any failure means not ready; the reason is reported
        return {"ok": False, "error": f"{type(error).__name__}: {error}"[:300]}
    return {"ok": True, "latency_ms": round((time.perf_counter() - started) * 1000, 1)}


def kafka_ping(settings: KafkaSettings) -> None:
    from kafka import KafkaAdminClient

    client = KafkaAdminClient(
        bootstrap_servers=settings.bootstrap_servers.split(","),
        security_protocol=settings.security_protocol,
        bootstrap_timeout_ms=2000,
        request_timeout_ms=3000,
        **_sasl(settings),
    )
    try:
        client.list_topics()
    finally:
        client.close()


def _sasl(settings: KafkaSettings) -> dict[str, Any]:
    options: dict[str, Any] = {}
    if settings.sasl_mechanism:
        options.update(
            sasl_mechanism=settings.sasl_mechanism,
            sasl_plain_username=settings.sasl_username,
            sasl_plain_password=settings.sasl_password,
        )
    if settings.ssl_cafile:
        options["ssl_cafile"] = settings.ssl_cafile
    return options
