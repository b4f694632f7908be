"""/readyz shows the outbox backlog per tenant, and it drains when the relay publishes."""

from __future__ import annotations

from gateway.app import create_app
from gateway.platform import Platform
from tests.conftest import new_tenant_command
from tests.contract.bus_fixtures import make_bus, relay, write_events


def test_backlog_per_tenant_grows_with_writes_and_drains_after_publishing(platform: Platform) -> None:
    tenant = platform.catalogue.create(new_tenant_command())
    client = create_app(platform.settings, platform).test_client()
    for bus in make_bus("log", platform):
        write_events(bus, tenant.id, ["Alpha", "Beta"])
        before = client.get("/readyz").get_json()["checks"]["events"]
        relay(bus).publish_pending()
        after = client.get("/readyz").get_json()["checks"]["events"]
    assert before["outbox_pending_by_tenant"][tenant.code] == 2
    assert before["outbox_pending"] >= 2
    assert tenant.code not in after["outbox_pending_by_tenant"]
