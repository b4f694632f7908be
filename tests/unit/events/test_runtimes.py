"""The relay's lease renewal and the consumer's batched transactions, with fakes for the outside world."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from uuid6 import uuid7

from services.events.domain.envelope import CloudEvent
from services.events.service_layer.consumer import Consumer, ConsumerRuntime
from services.events.service_layer.ports import InboundMessage, OutboundMessage
from services.events.service_layer.relay import OutboxRelay

TOPIC = "t.test.events"
NAMED = "test.thing.named.v1"


@dataclass
class EmptyBatch:
    messages: Sequence[OutboundMessage] = ()

    def mark_published(self) -> None:
        raise AssertionError("nothing to mark")


class EmptyStore:
    @contextmanager
    def claim(self, limit: int) -> Iterator[EmptyBatch]:
        yield EmptyBatch()

    def purge_published(self, older_than: datetime) -> int:
        return 0

    def pending_count(self) -> int:
        return 0


@dataclass
class CountingLease:
    granted: bool = True
    calls: int = 0

    def acquire_or_renew(self, holder: str) -> bool:
        self.calls += 1
        return self.granted

    def release(self, holder: str) -> None:
        return None


class NoPublisher:
    def publish(self, messages: Sequence[OutboundMessage]) -> None:
        raise AssertionError("nothing to publish")

    def close(self) -> None:
        return None


def relay_at(lease: CountingLease, now: list[float]) -> OutboxRelay:
    return OutboxRelay(EmptyStore(), NoPublisher(), lease, "r1", lease_renewal=1.0, clock=lambda: now[0])


def test_the_leader_renews_its_lease_at_most_once_a_renewal_interval() -> None:
    lease, now = CountingLease(), [100.0]
    relay = relay_at(lease, now)
    for moment in (100.0, 100.3, 100.9, 101.0, 101.5, 112.0):  # the last after a 10 s pause
        now[0] = moment
        relay.run_once()
    assert lease.calls == 3  # at 100.0, 101.0 and, after the pause, 112.0 before publishing anything


def test_a_relay_without_the_lease_asks_again_on_every_turn() -> None:
    lease, now = CountingLease(granted=False), [0.0]
    relay = relay_at(lease, now)
    for _ in range(3):
        assert relay.run_once() == 0
    assert lease.calls == 3


def message(tenant: UUID, name: str, offset: int, event_type: str = NAMED) -> InboundMessage:
    event = CloudEvent(uuid7(), "/registries/t", event_type, name, datetime.now(UTC), tenant, {"name": name})
    return InboundMessage(TOPIC, 0, offset, str(tenant).encode(), event.to_json())


@dataclass
class OneBatch:
    messages: list[InboundMessage]
    committed: list[int] = field(default_factory=list)

    def poll(self, timeout_s: float, max_records: int) -> list[InboundMessage]:
        polled, self.messages = self.messages, []
        return polled

    def commit(self, messages: Sequence[InboundMessage]) -> None:
        self.committed.append(max(message.offset for message in messages))

    def seek_to_beginning(self) -> None:
        return None

    def lag(self) -> int:
        return 0

    def close(self) -> None:
        return None


@dataclass
class Transaction:
    effects: list[str] = field(default_factory=list)

    def add(self, name: str) -> None:
        self.effects.append(name)


@dataclass
class MemoryInbox:
    """Processed marks and effects that become visible only when a transaction ends without an error."""

    marks: set[UUID] = field(default_factory=set)
    effects: list[str] = field(default_factory=list)
    transactions: int = 0

    @contextmanager
    def _transaction(self, new: list[CloudEvent]) -> Iterator[Transaction]:
        self.transactions += 1
        transaction = Transaction()
        yield transaction
        self.marks |= {event.id for event in new}
        self.effects += transaction.effects

    @contextmanager
    def unprocessed(self, consumer: str, event: CloudEvent) -> Iterator[Transaction | None]:
        new = [] if event.id in self.marks else [event]
        with self._transaction(new) as transaction:
            yield transaction if new else None

    @contextmanager
    def unprocessed_batch(
        self, consumer: str, tenant_id: UUID, events: Sequence[CloudEvent]
    ) -> Iterator[tuple[Transaction, list[CloudEvent]]]:
        new = [event for event in events if event.id not in self.marks]
        with self._transaction(new) as transaction:
            yield transaction, new

    def forget(self, consumer: str) -> None:
        self.marks.clear()

    def lag_by_tenant(self, consumer: str) -> dict[UUID, int]:
        return {}


class DeadLetters:
    def __init__(self) -> None:
        self.sent: list[OutboundMessage] = []

    def publish(self, messages: Sequence[OutboundMessage]) -> None:
        self.sent += messages

    def close(self) -> None:
        return None


def consumer_runtime(
    messages: list[InboundMessage], inbox: MemoryInbox, *, batch: bool = True, independent: bool = False
) -> ConsumerRuntime:
    def handle(event: CloudEvent, transaction: Any) -> None:
        if event.data["name"] == "poison":
            raise ValueError("cannot apply poison")
        transaction.add(event.data["name"])

    consumer = Consumer("naming", [TOPIC], handle, lambda t: t == NAMED, tenants_independent=independent)
    return ConsumerRuntime(
        consumer,
        OneBatch(messages),
        inbox,
        DeadLetters(),
        "t.dlq.naming",
        max_attempts=2,
        batch_transactions=batch,
        sleep=lambda _s: None,
    )


def test_one_tenants_consecutive_events_share_one_transaction() -> None:
    a, b = uuid7(), uuid7()
    polled = [message(a, "a1", 1), message(a, "a2", 2), message(a, "a3", 3), message(b, "b1", 4), message(a, "a4", 5)]
    inbox = MemoryInbox()
    runtime = consumer_runtime(polled, inbox)
    assert runtime.run_once() == 5
    assert inbox.effects == ["a1", "a2", "a3", "b1", "a4"]
    assert inbox.transactions == 3
    assert runtime.stats.applied == 5
    assert runtime.subscription.committed == [5]  # type: ignore[attr-defined]


def test_independent_tenants_get_one_transaction_each_per_poll_in_their_own_order() -> None:
    a, b = uuid7(), uuid7()
    polled = [message(a, "a1", 1), message(b, "b1", 2), message(a, "a2", 3), message(b, "b2", 4), message(a, "a3", 5)]
    inbox = MemoryInbox()
    runtime = consumer_runtime(polled, inbox, independent=True)
    assert runtime.run_once() == 5
    assert inbox.effects == ["a1", "a2", "a3", "b1", "b2"]
    assert inbox.transactions == 2
    assert runtime.stats.applied == 5


def test_without_batches_each_event_has_its_own_transaction() -> None:
    tenant = uuid7()
    inbox = MemoryInbox()
    runtime = consumer_runtime([message(tenant, f"e{n}", n) for n in range(4)], inbox, batch=False)
    runtime.run_once()
    assert inbox.transactions == 4
    assert inbox.effects == ["e0", "e1", "e2", "e3"]


def test_a_failing_batch_is_applied_again_one_event_at_a_time() -> None:
    tenant = uuid7()
    polled = [message(tenant, "alpha", 1), message(tenant, "poison", 2), message(tenant, "gamma", 3)]
    inbox = MemoryInbox()
    runtime = consumer_runtime(polled, inbox)
    runtime.run_once()
    assert inbox.effects == ["alpha", "gamma"]  # the rolled-back batch left nothing
    assert runtime.stats.applied == 2
    assert runtime.stats.dead_lettered == 1
    assert runtime.dead_letters.sent[0].headers[-4] == ("error", b"ValueError: cannot apply poison")  # type: ignore[attr-defined]


def test_events_already_processed_are_skipped_inside_a_batch() -> None:
    tenant = uuid7()
    polled = [message(tenant, f"e{n}", n) for n in range(3)]
    inbox = MemoryInbox()
    consumer_runtime(polled[:2], inbox).run_once()
    again = consumer_runtime(polled, inbox)
    again.run_once()
    assert inbox.effects == ["e0", "e1", "e2"]
    assert again.stats.duplicates == 2
    assert again.stats.applied == 1


def test_a_polls_events_are_offered_to_skips_among_at_once_after_the_one_by_one_skips() -> None:
    quiet, busy = uuid7(), uuid7()
    polled = [message(quiet, "q1", 1), message(busy, "b1", 2), message(quiet, "q2", 3), message(busy, "skip-me", 4)]
    inbox, offered = MemoryInbox(), []

    def skips_among(events: Sequence[CloudEvent]) -> set[UUID]:
        offered.append([event.data["name"] for event in events])
        return {event.id for event in events if event.tenant_id == quiet}

    runtime = consumer_runtime(polled, inbox, independent=True)
    runtime.consumer = replace(
        runtime.consumer, skips=lambda event: event.data["name"] == "skip-me", skips_among=skips_among
    )
    assert runtime.run_once() == 4
    assert offered == [["q1", "b1", "q2"]]  # one look for the poll, without what `skips` already took
    assert inbox.effects == ["b1"]
    assert inbox.transactions == 1  # the quiet tenant's events opened none
    assert (runtime.stats.skipped, runtime.stats.applied) == (3, 1)


def test_an_empty_poll_that_returned_at_once_waits_the_idle_sleep_instead_of_spinning() -> None:
    slept: list[float] = []
    runtime = consumer_runtime([], MemoryInbox())
    runtime.sleep = slept.append
    turns = iter([False, False, True])
    runtime.run(lambda: next(turns))
    assert len(slept) == 2
    assert all(0 < seconds <= runtime.idle_sleep for seconds in slept)
