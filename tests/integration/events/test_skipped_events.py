"""Consumers acknowledge events they have no effect on without opening a tenant transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from uuid import UUID

import pytest
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy import func, select

from gateway.app import create_app
from gateway.bootstrap import Platform
from gateway.bootstrap.cadt import cadt_for
from gateway.cli.events import build_relay, build_runtime
from services.cadt.domain.model import Kind
from services.cadt.entrypoints.consumer import build_consumer
from services.cadt.service_layer.connected import ConnectedRegistries
from services.events.adapters.orm import processed_events
from tests.conftest import DatabaseUrls, fresh_postgres_database, new_tenant_command, sqlite_urls
from tests.integration.cadt.scenario import issue, reference_data
from tests.integration.events.test_metrics import sample, write


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
