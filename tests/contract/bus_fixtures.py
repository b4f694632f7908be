"""One bus contract, two implementations: the embedded database log and Apache Kafka."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import select
from uuid6 import uuid7

from gateway.bootstrap import Platform
from services.events.adapters.inbox import SqlAlchemyInbox
from services.events.adapters.kafka_bus import KafkaPublisher, KafkaSubscription, create_topics
from services.events.adapters.log_bus import SqlLogPublisher, SqlLogSubscription
from services.events.adapters.outbox import OutboxWriter, SqlAlchemyLease, SqlAlchemyOutboxStore
from services.events.adapters.topics import dead_letter_topic, event_topic, topic_specs
from services.events.domain.envelope import CloudEvent
from services.events.service_layer.consumer import Consumer, ConsumerRuntime
from services.events.service_layer.ports import Publisher, Subscription
from services.events.service_layer.relay import OutboxRelay
from services.identity.domain.model import Organization, OrganizationKind


@dataclass
class Bus:
    kind: str
    platform: Platform
    prefix: str
    options: dict[str, Any] = field(default_factory=dict)
    opened: list[Any] = field(default_factory=list)

    @property
    def topic(self) -> str:
        return event_topic(self.prefix, "test")

    def publisher(self) -> Publisher:
        made: Publisher = (
            KafkaPublisher(self.options) if self.kind == "kafka" else SqlLogPublisher(self.platform.database)
        )
        self.opened.append(made)
        return made

    def subscription(self, group: str, topics: Sequence[str] | None = None) -> Subscription:
        """A member of `group` as this test knows it; the group is named under the test's prefix, as a
        deployment names its groups under its topic prefix, so that tests running at once on one broker never
        join each other's groups (a rebalance would take their partitions away mid-test)."""
        names, own = list(topics or [self.topic]), f"{self.prefix}-{group}"
        made: Subscription = (
            KafkaSubscription(self.options, own, names)
            if self.kind == "kafka"
            else SqlLogSubscription(self.platform.database, own, names)
        )
        self.opened.append(made)
        return made

    def close(self) -> None:
        for thing in reversed(self.opened):
            thing.close()


def make_bus(kind: str, platform: Platform) -> Iterator[Bus]:
    prefix = f"t{uuid7().hex[-10:]}"
    options: dict[str, Any] = {}
    if kind == "kafka":
        servers = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
        if not servers:
            pytest.fail("KAFKA_BOOTSTRAP_SERVERS is not set: run the README's test command (make test)")
        options = {"bootstrap_servers": servers.split(",")}
        specs = topic_specs(prefix, ["test"])
        specs.append(type(specs[0])(event_topic(prefix, "test"), 3, -1, "contract tests"))
        create_topics(options, specs)
    bus = Bus(kind, platform, prefix, options)
    leftovers = relay(bus)  # what earlier tests left pending in a shared database is not this test's
    while leftovers.publish_pending():
        pass
    yield bus
    bus.close()


# A small real consumer: each event names an organization; applying it creates that organization.
NAMED = "test.organization.named.v1"


def organization_names(platform: Platform, tenant: UUID) -> list[str]:
    with platform.database.session(tenant) as session:
        return sorted(o.name for o in session.scalars(select(Organization)))


def naming_consumer(bus: Bus, fail_on: str | None = None) -> Consumer:
    def handle(event: CloudEvent, session: Any) -> None:
        if event.data["name"] == fail_on:
            raise ValueError(f"cannot apply {fail_on}")
        session.add(
            Organization(UUID(event.data["id"]), event.data["name"], OrganizationKind.OTHER, "GHA", datetime.now(UTC))
        )

    def reset() -> None:
        # The read model of this consumer is the organizations it created.
        from sqlalchemy import delete

        from services.identity.adapters.orm import organizations

        for tenant in {t.id for t in bus.platform.catalogue.list()}:
            with bus.platform.database.transaction(tenant) as session:
                session.execute(delete(organizations).where(organizations.c.kind == "other"))

    return Consumer("naming", [bus.topic], handle, lambda t: t == NAMED, reset)


def runtime(bus: Bus, consumer: Consumer, group: str = "naming") -> ConsumerRuntime:
    return ConsumerRuntime(
        consumer,
        bus.subscription(group),
        SqlAlchemyInbox(bus.platform.database),
        bus.publisher(),
        dead_letter_topic(bus.prefix, "test"),
        max_attempts=2,
        base_backoff_s=0.0,
        sleep=lambda _s: None,
    )


def relay(bus: Bus, publisher: Publisher | None = None) -> OutboxRelay:
    return OutboxRelay(
        SqlAlchemyOutboxStore(bus.platform.database),
        publisher or bus.publisher(),
        SqlAlchemyLease(bus.platform.database, f"relay-{bus.prefix}"),
        "test-relay",
        sleep=lambda _s: None,
    )


def write_events(bus: Bus, tenant: UUID, names: Sequence[str], event_type: str = NAMED) -> None:
    writer = OutboxWriter(bus.prefix)
    with bus.platform.database.transaction(tenant) as session:
        for name in names:
            writer.add(
                session,
                tenant_id=tenant,
                registry="test",
                event_type=event_type,
                data={"id": str(uuid7()), "name": name},
                subject=name,
            )
    # The writer names its topic after the event's context: "test" events go to <prefix>.test.events.
