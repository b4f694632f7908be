"""Consumers acknowledge events they have no effect on without opening a tenant transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy import func, select

from gateway.app import create_app
from gateway.bootstrap import Platform
from gateway.bootstrap.cadt import cadt_for
from gateway.bootstrap.webhooks import consumer_for, webhooks_for
from gateway.cli.events import build_relay, build_runtime
from services.cadt.domain.model import Kind
from services.cadt.entrypoints.consumer import build_consumer
from services.cadt.service_layer.connected import ConnectedRegistries
from services.events.adapters.orm import processed_events
from services.webhooks.adapters.orm import webhook_deliveries
from services.webhooks.domain.subscriptions import Subscription, SubscriptionStatus
from tests.conftest import DatabaseUrls, fresh_postgres_database, new_tenant_command, sqlite_urls
from tests.integration.cadt.scenario import issue, reference_data
from tests.integration.events.test_metrics import PROJECT_RECORDED, sample, write


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_urls(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DatabaseUrls]:
    """A database of the test's own: the statements counted and the bus read are this test's alone."""
    if request.param == "sqlite":
        yield sqlite_urls(tmp_path)
    else:
        yield from fresh_postgres_database(request.getfixturevalue("postgres_server"))


@contextmanager
def statements(platform: Platform) -> Iterator[list[str]]:
    """Every SQL statement sent to the platform's database while the block runs."""
    sent: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        sent.append(statement)

    engine = platform.database.engine
    sqlalchemy_event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        sqlalchemy_event.remove(engine, "before_cursor_execute", record)


def relay(platform: Platform) -> None:
    relay = build_relay(platform, "skip-test")
    while relay.publish_pending():
        pass


def beyond_the_bus(sent: list[str]) -> list[str]:
    """What a consumer sent besides reading the bus, committing its offsets and binding each session."""
    bus = ("bus_log", "bus_offsets", "set_config")
    return [s for s in sent if not any(word in s for word in bus) and s.strip().upper() not in ("BEGIN", "COMMIT")]


def marks_of(platform: Platform, tenant_id: UUID) -> int:
    with platform.database.session(tenant_id) as session:
        query = select(func.count()).where(
            processed_events.c.consumer == "interregistry", processed_events.c.tenant_id == tenant_id
        )
        return int(session.scalar(query) or 0)


def marks(sent: list[str]) -> list[str]:
    return [s for s in sent if s.lstrip().upper().startswith("INSERT INTO PROCESSED_EVENTS")]


def test_the_interregistry_consumer_skips_domestic_events_in_one_statement(platform: Platform) -> None:
    tenant = platform.catalogue.create(new_tenant_command())
    write(platform, tenant.id, 5)  # ledger.project.recorded: no business of the inter-registry consumer
    relay(platform)
    runtime = build_runtime(platform, "interregistry")

    with statements(platform) as sent:
        runtime.drain(idle_polls=1, timeout_s=0.01)

    assert beyond_the_bus(sent) == marks(sent)  # no transaction of the tenant's, no read of its marks
    assert len(marks(sent)) == 1  # the five marks, in one statement
    assert runtime.stats.skipped == 5
    assert runtime.stats.applied == 0
    lag = create_app(platform.settings, platform).test_client().get("/metrics").text
    assert sample(lag, "registry_consumer_lag_events", consumer="interregistry", tenant=tenant.code) is None


def test_a_redelivered_skipped_event_is_skipped_again_without_error(platform: Platform) -> None:
    tenant = platform.catalogue.create(new_tenant_command())
    write(platform, tenant.id, 2)
    relay(platform)
    first = build_runtime(platform, "interregistry")
    first.drain(idle_polls=1, timeout_s=0.01)
    first.subscription.seek_to_beginning()

    first.drain(idle_polls=1, timeout_s=0.01)

    assert first.stats.skipped == 4
    assert first.stats.duplicates == 2, "the second delivery is counted as a redelivery"
    assert (first.stats.applied, first.stats.dead_lettered) == (0, 0)
    assert marks_of(platform, tenant.id) == 2


def test_the_cadt_consumer_skips_a_registry_without_a_connection_until_it_configures_one(platform: Platform) -> None:
    example = reference_data(platform)
    cadt = cadt_for(platform)
    now = [0.0]
    connected = ConnectedRegistries(lambda tenant_id: cadt.store(tenant_id).has_connection(), clock=lambda: now[0])
    runtime = build_runtime(platform, "cadt")
    runtime.consumer = build_consumer(cadt, runtime.consumer.topics, publish=False, connected=connected)
    example.relay()

    with statements(platform) as sent:
        runtime.drain(idle_polls=1, timeout_s=0.01)

    lookups = [s for s in sent if "cadt_connections" in s]
    assert beyond_the_bus(sent) == lookups + marks(sent)
    assert len(lookups) == 1  # one look-up of the registry's connection, then cached
    assert len(marks(sent)) == 1
    assert runtime.stats.skipped > 0
    assert runtime.stats.applied == 0
    assert cadt.store(example.tenant.id).records(Kind.PROJECT) == []

    example.connect("http://cadt.invalid")
    now[0] += 5.0  # the registry seen without a connection is looked up again after the cache's TTL
    issue(example)
    example.relay()
    runtime.drain(idle_polls=1, timeout_s=0.01)

    assert runtime.stats.applied > 0
    assert cadt.store(example.tenant.id).records(Kind.UNIT) != []  # the units issued after it configured


def subscribe(platform: Platform, tenant_id: UUID, event_type: str) -> None:
    webhooks = webhooks_for(platform)
    subscription = Subscription(
        id=uuid4(),
        tenant_id=tenant_id,
        url="https://receiver.example.org/hook",
        event_types=frozenset({event_type}),
        account_ids=None,
        organization_id=None,
        description="test",
        status=SubscriptionStatus.ACTIVE,
        created_by="test",
        created_at=platform.clock.now() - timedelta(minutes=1),
    )
    with platform.database.transaction(tenant_id) as session:
        webhooks.store.create(session, subscription, "whsec_" + "A" * 32)


def deliveries_of(platform: Platform, tenant_id: UUID) -> int:
    with platform.database.session(tenant_id) as session:
        return int(session.scalar(select(func.count()).where(webhook_deliveries.c.tenant_id == tenant_id)) or 0)


def test_the_webhooks_consumer_skips_registries_without_a_subscription_in_one_look(platform: Platform) -> None:
    quiet, subscribed = (platform.catalogue.create(new_tenant_command()) for _ in range(2))
    subscribe(platform, subscribed.id, PROJECT_RECORDED)
    write(platform, quiet.id, 5)
    write(platform, subscribed.id, 3)
    relay(platform)
    runtime = build_runtime(platform, "webhooks", consumer_for(platform))

    with statements(platform) as sent:
        runtime.run_once(timeout_s=0.01)

    assert (runtime.stats.skipped, runtime.stats.applied) == (5, 3)
    assert (deliveries_of(platform, quiet.id), deliveries_of(platform, subscribed.id)) == (0, 3)
    assert len(marks(sent)) == 2  # the quiet registry's five in one statement, the other's in its transaction
    looks = [s for s in sent if "tenants_with_webhook_subscriptions" in s]
    assert len(looks) == (1 if platform.database.is_postgres else 0)  # SQLite asks each registry in one transaction

    subscribe(platform, quiet.id, PROJECT_RECORDED)  # from the next poll on, its events are fanned out
    write(platform, quiet.id, 2)
    relay(platform)
    runtime.run_once(timeout_s=0.01)

    assert (runtime.stats.skipped, runtime.stats.applied) == (5, 5)
    assert deliveries_of(platform, quiet.id) == 2
