"""Faults on PostgreSQL and the real broker: each registry's half of an international transfer is recorded
exactly once whatever happens to Kafka, the relay or the consumer."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from uuid import UUID

import pytest
from sqlalchemy import select

from gateway.bootstrap import Platform
from gateway.cli.events import build_runtime
from services.events.adapters.orm import leases
from services.events.adapters.outbox import OutboxWriter, SqlAlchemyLease
from services.events.service_layer.consumer import ConsumerRuntime
from services.events.service_layer.relay import OutboxRelay
from tests.integration.events.conftest import Processes, outbox_size, pending, processed, wait_until
from tests.integration.interregistry.two_registries import TwoRegistries, two_registries

pytestmark = [pytest.mark.kafka, pytest.mark.postgres]

ROOT = Path(__file__).parents[3]
ACQUIRED = "ledger.acquisition.recorded.v1"
COMPLETED = "ledger.transfer.international_completed.v1"
ACCEPTED = "interregistry.transfer.accepted.v1"


def transfers(pair: TwoRegistries, count: int, quantity: int = 10) -> list[UUID]:
    return [pair.request_transfer(quantity).transaction_id for _ in range(count)]


def all_completed(pair: TwoRegistries, ids: list[UUID]) -> bool:
    return all(pair.status_of(transaction_id) == "completed" for transaction_id in ids)


def assert_each_half_once(pair: TwoRegistries, count: int, quantity: int = 10) -> None:
    assert pair.b_holding is not None
    assert pair.events_of(pair.b).count(ACQUIRED) == count
    assert pair.events_of(pair.a).count(ACCEPTED) == count
    assert pair.events_of(pair.a).count(COMPLETED) == count
    assert pair.held(pair.b_world, pair.b_holding) == count * quantity
    assert pair.journal_types(pair.b_world).count("acquisition:completed") == count


def pump(relay: OutboxRelay | None, runtime: ConsumerRuntime) -> None:
    if relay is not None:
        relay.run_once()
    runtime.run_once(timeout_s=0.2)


@contextmanager
def runtime_of(platform: Platform) -> Iterator[ConsumerRuntime]:
    runtime = build_runtime(platform, "interregistry")
    runtime.sleep = lambda _s: None
    try:
        yield runtime
    finally:
        runtime.subscription.close()
        runtime.dead_letters.close()


def filler(platform: Platform, tenant_id: UUID, count: int) -> None:
    """Ledger events the interregistry consumer reads and skips: they make its batches long."""
    writer = OutboxWriter(platform.settings.kafka.topic_prefix)
    with platform.database.transaction(tenant_id) as session:
        for n in range(count):
            writer.add(
                session,
                tenant_id=tenant_id,
                registry="filler",
                event_type="ledger.project.recorded.v1",
                data={"n": n},
                subject=str(n),
            )


@pytest.mark.exclusive
def test_kafka_stopped_while_transfers_are_written_then_everything_arrives_once(
    kafka_platform: Platform, processes: Processes
) -> None:
    platform = kafka_platform
    pair = two_registries(platform)
    relay = processes.registry("relay")  # a real relay process rides out the outage
    wait_until(lambda: pending(platform) == 0, 60, "the relay publishing the set-up events")
    try:
        subprocess.run(["bash", "infra/kafka/down.sh"], cwd=ROOT, check=True, capture_output=True)
        ids = transfers(pair, 5)  # the ledger takes transactions with the broker gone
        time.sleep(2)  # give the relay time to try, and fail, to publish them
        backlog = pending(platform)
    finally:
        subprocess.run(["bash", "infra/kafka/up.sh"], cwd=ROOT, check=True, capture_output=True)

    assert backlog >= len(ids), "the outbox kept every event of the transfers while the broker was away"
    with runtime_of(platform) as runtime:
        wait_until(lambda: pump(None, runtime) or all_completed(pair, ids), 180, "every transfer completing")
        wait_until(lambda: pump(None, runtime) or processed(platform) == outbox_size(platform), 60, "catching up")
    assert relay.poll() is None, "the relay survived the outage"
    assert pending(platform) == 0
    assert_each_half_once(pair, 5)


def test_relay_killed_after_the_broker_acknowledged_causes_duplicates_without_a_second_effect(
    kafka_platform: Platform, processes: Processes, tmp_path: Path
) -> None:
    platform = kafka_platform
    pair = two_registries(platform)
    ids = transfers(pair, 3)
    before = pending(platform)
    marker = tmp_path / "acknowledged"

    crashing = processes.start(sys.executable, "-m", "tests.integration.events.crashing_relay", str(marker))
    wait_until(marker.exists, 90, "the crashing relay's acknowledged publish")
    processes.kill(crashing)

    assert pending(platform) == before, "the killed relay marked nothing sent"
    processes.registry("relay")
    with runtime_of(platform) as runtime:
        wait_until(lambda: pump(None, runtime) or all_completed(pair, ids), 180, "every transfer completing")
        wait_until(lambda: pump(None, runtime) or processed(platform) == outbox_size(platform), 60, "catching up")
    assert runtime.stats.duplicates >= int(marker.read_text()), "the re-published batch arrived a second time"
    assert_each_half_once(pair, 3)


def test_consumer_killed_mid_batch_loses_nothing_and_applies_nothing_twice(
    kafka_platform: Platform, processes: Processes
) -> None:
    platform = kafka_platform
    pair = two_registries(platform)
    filler(platform, pair.a.id, 600)
    ids = transfers(pair, 10, quantity=5)
    filler(platform, pair.a.id, 600)
    processes.registry("relay")
    wait_until(lambda: pending(platform) == 0, 120, "the relay publishing the outbox")
    total = outbox_size(platform)

    consumer = processes.registry("consume", "interregistry")
    wait_until(lambda: processed(platform) >= 150, 120, "the consumer getting going")
    processes.kill(consumer)
    at_kill = processed(platform)
    processes.registry("consume", "interregistry")
    wait_until(lambda: all_completed(pair, ids), 180, "every transfer completing after the restart")
    wait_until(lambda: processed(platform) == outbox_size(platform), 60, "the consumer catching up")

    assert at_kill < total, "the consumer was killed before it had finished"
    assert_each_half_once(pair, 10, quantity=5)


def lease_holder(platform: Platform) -> str | None:
    with platform.database.session(None) as session:
        return session.scalar(select(leases.c.holder).where(leases.c.name == "outbox-relay"))


def test_two_relays_one_active_and_the_other_takes_over_when_it_dies(
    kafka_platform: Platform, processes: Processes
) -> None:
    platform = kafka_platform
    tenant = two_registries(platform).a
    first = processes.registry("relay")
    wait_until(lambda: (lease_holder(platform) or "").endswith(f":{first.pid}"), 60, "the first relay leading")
    second = processes.registry("relay")
    filler(platform, tenant.id, 50)
    wait_until(lambda: pending(platform) == 0, 60, "publishing with two relays running")
    assert (lease_holder(platform) or "").endswith(f":{first.pid}"), "the second relay stayed on standby"

    processes.kill(first)
    filler(platform, tenant.id, 50)
    took_over = wait_until(lambda: (lease_holder(platform) or "").endswith(f":{second.pid}"), 60, "the takeover")
    wait_until(lambda: pending(platform) == 0, 60, "the second relay publishing")

    lease_ttl_s = SqlAlchemyLease(platform.database, "outbox-relay").ttl.total_seconds()
    assert took_over <= lease_ttl_s + 5, f"took over after {took_over:.1f} s; the lease lasts {lease_ttl_s:.0f} s"
