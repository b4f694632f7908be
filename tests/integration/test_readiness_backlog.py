"""/readyz shows the outbox backlog per tenant, it drains when the relay publishes, and the gateway reports
not ready while the oldest unpublished event is older than READY_MAX_OUTBOX_AGE_SECONDS."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from flask.testing import FlaskClient
from sqlalchemy import update

from gateway.app import create_app
from gateway.bootstrap import Platform
from gateway.settings import Settings, SettingsError
from services.events.adapters.orm import outbox
from tests.conftest import new_tenant_command
from tests.contract.bus_fixtures import Bus, make_bus, relay, write_events


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


def gateway(platform: Platform, max_age_s: int) -> FlaskClient:
    settings = platform.settings.with_overrides(ready_max_outbox_age_seconds=max_age_s)
    return create_app(settings, Platform.from_settings(settings)).test_client()


def age_pending_events(platform: Platform, tenant: UUID, age: timedelta) -> None:
    with platform.database.transaction(None) as session:
        session.execute(
            update(outbox)
            .where(outbox.c.tenant_id == tenant, outbox.c.published_at.is_(None))
            .values(created_at=datetime.now(UTC) - age)
        )


def publish_everything(bus: Bus) -> None:
    publishing = relay(bus)
    while publishing.publish_pending():
        pass


def test_not_ready_while_the_oldest_unpublished_event_is_older_than_the_limit(platform: Platform) -> None:
    tenant = platform.catalogue.create(new_tenant_command())
    client = gateway(platform, max_age_s=60)
    for bus in make_bus("log", platform):
        write_events(bus, tenant.id, ["Alpha", "Beta"])
        age_pending_events(platform, tenant.id, timedelta(minutes=3))
        stale = client.get("/readyz")
        publish_everything(bus)
        drained = client.get("/readyz")
    assert stale.status_code == 503
    assert stale.get_json()["status"] == "not_ready"
    events = stale.get_json()["checks"]["events"]
    assert events["ok"] is False
    assert events["oldest_pending_age_s"] >= 180
    assert events["max_age_s"] == 60
    assert "is `registry relay` running?" in events["error"]
    assert stale.get_json()["checks"]["database"]["ok"] is True
    assert drained.status_code == 200, drained.get_json()
    assert drained.get_json()["checks"]["events"]["ok"] is True
    assert drained.get_json()["checks"]["events"]["oldest_pending_age_s"] is None


def test_ready_while_unpublished_events_are_younger_than_the_limit(platform: Platform) -> None:
    tenant = platform.catalogue.create(new_tenant_command())
    client = gateway(platform, max_age_s=60)
    for bus in make_bus("log", platform):
        write_events(bus, tenant.id, ["Alpha"])
        age_pending_events(platform, tenant.id, timedelta(seconds=20))
        ready = client.get("/readyz")
    assert ready.status_code == 200, ready.get_json()
    assert 20 <= ready.get_json()["checks"]["events"]["oldest_pending_age_s"] < 60


def test_a_limit_of_zero_leaves_the_backlog_out_of_readiness(platform: Platform) -> None:
    tenant = platform.catalogue.create(new_tenant_command())
    client = gateway(platform, max_age_s=0)
    for bus in make_bus("log", platform):
        write_events(bus, tenant.id, ["Alpha"])
        age_pending_events(platform, tenant.id, timedelta(days=1))
        ready = client.get("/readyz")
    assert ready.status_code == 200, ready.get_json()
    assert ready.get_json()["checks"]["events"]["ok"] is True


def test_the_limit_is_read_from_the_environment_and_checked() -> None:
    assert Settings.from_env({"READY_MAX_OUTBOX_AGE_SECONDS": "45"}).ready_max_outbox_age_seconds == 45
    assert Settings.from_env({}).ready_max_outbox_age_seconds == 300
    with pytest.raises(SettingsError, match="READY_MAX_OUTBOX_AGE_SECONDS"):
        Settings.from_env({"READY_MAX_OUTBOX_AGE_SECONDS": "-1"})
    with pytest.raises(SettingsError, match="READY_MAX_OUTBOX_AGE_SECONDS"):
        Settings.from_env({"READY_MAX_OUTBOX_AGE_SECONDS": "soon"})
