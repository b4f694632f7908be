"""The contract every bus keeps: the embedded database log and Apache Kafka pass the same suite."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID

import pytest

from gateway.bootstrap import Platform
from services.events.domain.envelope import parse
from services.events.service_layer.ports import OutboundMessage, PublishFailed
from tests.conftest import new_tenant_command
from tests.contract.bus_fixtures import Bus, make_bus, naming_consumer, organization_names, relay, runtime, write_events

BUSES = ["log", pytest.param("kafka", marks=pytest.mark.kafka)]


@pytest.fixture(params=BUSES)
def bus(request: pytest.FixtureRequest, platform: Platform) -> Iterator[Bus]:
    yield from make_bus(request.param, platform)


@pytest.fixture
def tenant(platform: Platform) -> UUID:
    return platform.catalogue.create(new_tenant_command()).id


def drain(subscription, expected: int, polls: int = 40) -> list:  # type: ignore[no-untyped-def]
    received: list = []
    for _ in range(polls):
        received += subscription.poll(0.5, 500)
        if len(received) >= expected:
            break
    return received


def test_published_messages_arrive_in_order_per_key(bus: Bus) -> None:
    messages = [OutboundMessage(bus.topic, f"k{n % 3}".encode(), f"m{n}".encode()) for n in range(30)]
    bus.publisher().publish(messages)
    received = drain(bus.subscription("order"), 30)
    assert sorted(m.value for m in received) == sorted(m.value for m in messages)
    for key in (b"k0", b"k1", b"k2"):
        sent = [m.value for m in messages if m.key == key]
        assert [m.value for m in received if m.key == key] == sent


def test_a_group_resumes_after_its_last_commit_and_can_rewind(bus: Bus) -> None:
    bus.publisher().publish([OutboundMessage(bus.topic, b"k", f"m{n}".encode()) for n in range(10)])
    first = bus.subscription("resume")
    received = drain(first, 10)
    first.commit(received[:6])
    first.close()
    second = bus.subscription("resume")
    assert [m.value for m in drain(second, 4)] == [b"m6", b"m7", b"m8", b"m9"]
    second.seek_to_beginning()
    assert len(drain(second, 10)) == 10


def test_one_commit_records_the_last_message_of_every_partition_it_covers(bus: Bus) -> None:
    keys = [f"k{n}".encode() for n in range(6)]  # over the topic's partitions
    bus.publisher().publish([OutboundMessage(bus.topic, key, key + b"-first") for key in keys])
    first = bus.subscription("many")
    first.commit(drain(first, 6))
    first.close()
    bus.publisher().publish([OutboundMessage(bus.topic, key, key + b"-second") for key in keys])
    second = bus.subscription("many")
    # A partition left uncommitted would hand over its first message again, before its second.
    assert sorted(m.value for m in drain(second, 6)) == sorted(key + b"-second" for key in keys)


def test_relay_consumer_pipeline_applies_each_event_once(bus: Bus, platform: Platform, tenant: UUID) -> None:
    write_events(bus, tenant, ["Alpha", "Beta", "Gamma"])
    assert relay(bus).publish_pending() == 3
    consumer = runtime(bus, naming_consumer(bus))
    consumer.drain()
    assert organization_names(platform, tenant) == ["Alpha", "Beta", "Gamma"]
    assert consumer.stats.applied == 3


def test_a_redelivered_event_has_no_second_effect(bus: Bus, platform: Platform, tenant: UUID) -> None:
    write_events(bus, tenant, ["Alpha", "Beta"])
    relay(bus).publish_pending()
    first = runtime(bus, naming_consumer(bus))
    first.drain()
    # The relay crashed after publishing and before marking: the same rows go out again.
    again = drain(bus.subscription("duplicates"), 2)
    bus.publisher().publish([OutboundMessage(m.topic, m.key or b"", m.value, m.headers) for m in again])
    first.drain()
    assert organization_names(platform, tenant) == ["Alpha", "Beta"]
    assert first.stats.duplicates == 2


def test_a_poison_event_is_dead_lettered_and_the_consumer_goes_on(bus: Bus, platform: Platform, tenant: UUID) -> None:
    write_events(bus, tenant, ["Alpha", "Poison", "Gamma"])
    relay(bus).publish_pending()
    consumer = runtime(bus, naming_consumer(bus, fail_on="Poison"))
    consumer.drain()
    assert organization_names(platform, tenant) == ["Alpha", "Gamma"]
    dead = drain(bus.subscription("dlq-reader", [f"{bus.prefix}.dlq.test"]), 1)
    assert len(dead) == 1
    assert parse(dead[0].value).data["name"] == "Poison"
    assert dead[0].header("error") == "ValueError: cannot apply Poison"


def test_an_unknown_major_version_is_dead_lettered_not_guessed(bus: Bus, platform: Platform, tenant: UUID) -> None:
    write_events(bus, tenant, ["Future"], event_type="test.organization.named.v2")
    relay(bus).publish_pending()
    consumer = runtime(bus, naming_consumer(bus))
    consumer.drain()
    assert organization_names(platform, tenant) == []
    assert consumer.stats.dead_lettered == 1
    assert "unknown event type or major version" in consumer.stats.errors[0]


def test_replay_rebuilds_the_read_model_identically(bus: Bus, platform: Platform, tenant: UUID) -> None:
    write_events(bus, tenant, ["Alpha", "Beta", "Gamma"])
    relay(bus).publish_pending()
    consumer = runtime(bus, naming_consumer(bus))
    consumer.drain()
    incremental = organization_names(platform, tenant)
    consumer.replay()
    assert organization_names(platform, tenant) == []
    consumer.drain()
    assert organization_names(platform, tenant) == incremental


def test_a_consumer_killed_mid_batch_loses_nothing_and_applies_nothing_twice(
    bus: Bus, platform: Platform, tenant: UUID
) -> None:
    names = [f"Org {n:02d}" for n in range(12)]
    write_events(bus, tenant, names)
    relay(bus).publish_pending()
    crashed = runtime(bus, naming_consumer(bus))
    messages = drain(crashed.subscription, 12)
    for message in messages[:5]:  # applied, but the process died before committing any offset
        crashed.handle(message)
    crashed.subscription.close()
    restarted = runtime(bus, naming_consumer(bus))
    restarted.drain()
    assert organization_names(platform, tenant) == names
    assert restarted.stats.duplicates == 5


def test_broker_outage_keeps_events_pending_then_delivers_them_once(bus: Bus, platform: Platform, tenant: UUID) -> None:
    class Unreachable:
        def publish(self, messages: object) -> None:
            raise PublishFailed("broker unreachable")

        def close(self) -> None:
            return None

    write_events(bus, tenant, ["Alpha", "Beta"])
    down = relay(bus, Unreachable())
    assert down.run_once() == 0
    assert down.stats.failures == 1
    write_events(bus, tenant, ["Gamma"])  # the API keeps taking transactions meanwhile
    assert relay(bus).publish_pending() == 3
    consumer = runtime(bus, naming_consumer(bus))
    consumer.drain()
    assert organization_names(platform, tenant) == ["Alpha", "Beta", "Gamma"]
