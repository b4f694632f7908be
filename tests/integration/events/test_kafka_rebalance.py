"""A consumer group rebalancing under a member that holds uncommitted messages, on the real broker."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from uuid6 import uuid7

from services.events.adapters.kafka_bus import KafkaPublisher, KafkaSubscription, create_topics
from services.events.adapters.topics import TopicSpec
from services.events.service_layer.ports import InboundMessage, OutboundMessage
from tests.integration.events.conftest import wait_until

pytestmark = pytest.mark.kafka

SENT = [f"m{n}".encode() for n in range(12)]


@pytest.fixture
def opened() -> Iterator[list[Any]]:
    things: list[Any] = []
    yield things
    for thing in reversed(things):
        thing.close()


@pytest.fixture
def options() -> dict[str, Any]:
    servers = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if not servers:
        pytest.fail("KAFKA_BOOTSTRAP_SERVERS is not set: run the README's test command (make test)")
    return {"bootstrap_servers": servers.split(",")}


@dataclass
class Member:
    received: list[InboundMessage] = field(default_factory=list)
    partitions: set[int] = field(default_factory=set)
    stable: bool = False


@contextmanager
def polling(subscription: KafkaSubscription) -> Iterator[Member]:
    member, stop = Member(), threading.Event()

    def run() -> None:
        while not stop.is_set():
            member.received.extend(subscription.poll(0.1, 500))
            member.partitions = {tp.partition for tp in subscription.consumer.assignment()}
            member.stable = not subscription.consumer._coordinator.rebalance_in_progress()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield member
    finally:
        stop.set()
        thread.join(timeout=90)


def test_a_member_caught_mid_join_gives_up_its_commit_finishes_the_join_and_loses_nothing(
    options: dict[str, Any], opened: list[Any]
) -> None:
    topic, group = f"r{uuid7().hex[-10:]}.events", f"r{uuid7().hex[-10:]}-group"
    create_topics(options, [TopicSpec(topic, 3, -1, "rebalance test")])
    publisher = KafkaPublisher(options)
    opened.append(publisher)
    publisher.publish([OutboundMessage(topic, f"k{n}".encode(), value) for n, value in enumerate(SENT)])

    def member() -> KafkaSubscription:
        opened.append(subscription := KafkaSubscription(options, group, [topic], fetch_max_wait_ms=10))
        return subscription

    first = member()
    held = received(first, len(SENT))
    second = member()
    # Each member polls on its own thread once the group has two, as members in separate processes do; the
    # second's join holds the group rebalancing until the first rejoins.
    with polling(second) as theirs:
        # kafka-python shows no public flag for "the group asked me to rejoin": the coordinator's is read here.
        wait_until(first.consumer._coordinator.need_rejoin, 30, "the rebalance seen by the first member")
        first.consumer.poll(timeout_ms=0)  # a poll that gives up before the join is done, as on a busy broker
        assert first.consumer._coordinator.rebalance_in_progress()
        first.commit(held)  # refused by the group; the member must go on
        time.sleep(1)  # the join finishes meanwhile, with no poll waiting for it
        with polling(first) as mine:

            def settled() -> bool:
                moved = sum(m.partition in theirs.partitions for m in held)
                split = bool(theirs.partitions) and not theirs.partitions & mine.partitions
                return mine.stable and theirs.stable and split and len(theirs.received) == moved

            wait_until(settled, 90, "the group settling, the moved partitions' messages at the second member")
    second.commit(theirs.received)
    kept = sorted(m.value for m in held if m.partition in mine.partitions)
    first.close()
    second.close()

    # The partitions the first member kept were never committed: a newcomer to the group is handed them again.
    assert sorted(m.value for m in received(member(), len(kept))) == kept
    assert sorted([m.value for m in theirs.received] + kept) == sorted(SENT)


def received(subscription: KafkaSubscription, count: int) -> list[InboundMessage]:
    messages: list[InboundMessage] = []

    def enough() -> bool:
        messages.extend(subscription.poll(0.3, 500))
        return len(messages) >= count

    wait_until(enough, 60, f"the delivery of {count} messages")
    return messages
