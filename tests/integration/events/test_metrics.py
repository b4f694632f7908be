"""/metrics: outbox backlog per tenant and consumer lag per consumer and tenant, in Prometheus text."""

from __future__ import annotations

import re

from gateway.app import create_app
from gateway.bootstrap import Platform
from gateway.cli.events import build_relay, build_runtime
from services.events.adapters.outbox import OutboxWriter
from tests.conftest import new_tenant_command

PROJECT_RECORDED = "ledger.project.recorded.v1"  # a ledger event the interregistry consumer skips


def sample(text: str, name: str, **labels: str) -> int | None:
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    match = re.search(rf"^{re.escape(name)}{{{re.escape(wanted)}}} (\d+)$", text, re.MULTILINE)
    return None if match is None else int(match.group(1))


def write(platform: Platform, tenant_id, count: int) -> None:  # type: ignore[no-untyped-def]
    writer = OutboxWriter(platform.settings.kafka.topic_prefix)
    with platform.database.transaction(tenant_id) as session:
        for n in range(count):
            writer.add(
                session, tenant_id=tenant_id, registry="t", event_type=PROJECT_RECORDED, data={"n": n}, subject=str(n)
            )


def test_backlog_and_lag_per_tenant_rise_and_fall(platform: Platform) -> None:
    a, b = (platform.catalogue.create(new_tenant_command()) for _ in range(2))
    client = create_app(platform.settings, platform).test_client()
    write(platform, a.id, 3)
    write(platform, b.id, 1)

    pending = client.get("/metrics")
    relay = build_relay(platform, "metrics-test")
    while relay.publish_pending():
        pass
    lagging = client.get("/metrics").text
    runtime = build_runtime(platform, "interregistry")
    runtime.drain(idle_polls=1, timeout_s=0.01)
    caught_up = client.get("/metrics").text

    assert pending.status_code == 200
    assert pending.content_type.startswith("text/plain; version=0.0.4")
    assert "# TYPE registry_consumer_lag_events gauge" in pending.text
    assert sample(pending.text, "registry_outbox_pending_events", tenant=a.code) == 3
    assert sample(pending.text, "registry_outbox_pending_events", tenant=b.code) == 1
    assert sample(lagging, "registry_outbox_pending_events", tenant=a.code) is None
    assert sample(lagging, "registry_consumer_lag_events", consumer="interregistry", tenant=a.code) == 3
    assert sample(lagging, "registry_consumer_lag_events", consumer="interregistry", tenant=b.code) == 1
    assert sample(caught_up, "registry_consumer_lag_events", consumer="interregistry", tenant=a.code) is None
    ready = client.get("/readyz").get_json()["checks"]["events"]
    assert a.code not in ready["consumer_lag_by_tenant"]["interregistry"]
