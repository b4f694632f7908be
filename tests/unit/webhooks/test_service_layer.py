"""The fan-out and the delivery worker on fakes: one delivery per event and subscription, signed attempts,
no request to an address that has turned private, every attempt recorded."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from standardwebhooks.webhooks import Webhook

from services.events.domain.envelope import CloudEvent
from services.shared.clock import FixedClock
from services.webhooks.domain.signing import new_secret
from services.webhooks.domain.subscriptions import Subscription, SubscriptionStatus
from services.webhooks.service_layer.fanout import fan_out, fan_out_batch
from services.webhooks.service_layer.ports import Attempt, DueDelivery
from services.webhooks.service_layer.worker import DeliveryWorker

OPENED = "ledger.account.opened.v1"
TENANT = uuid4()


@dataclass
class FakeStore:
    subscriptions: list[Subscription] = field(default_factory=list)
    deliveries: dict[UUID, DueDelivery] = field(default_factory=dict)
    attempts: list[tuple[UUID, Attempt]] = field(default_factory=list)
    secret: str = field(default_factory=new_secret)
    sent_by_tenant: list[tuple[UUID, UUID]] = field(default_factory=list)

    def active_subscriptions(self, session: Any, tenant_id: UUID) -> list[Subscription]:
        return [s for s in self.subscriptions if s.tenant_id == tenant_id]

    def add_delivery(
        self, session: Any, subscription: Subscription, delivery_id: UUID, event_id: UUID, event_type: str, payload: str
    ) -> bool:
        if delivery_id in self.deliveries:
            return False
        self.deliveries[delivery_id] = DueDelivery(
            subscription.tenant_id, delivery_id, subscription.id, subscription.url, payload, 0
        )
        return True

    def tenants_with_due(self, tenant_ids: Sequence[UUID], now: datetime) -> set[UUID]:
        return {d.tenant_id for d in self.deliveries.values()} & set(tenant_ids)

    def tenants_with_subscriptions(self, tenant_ids: Iterable[UUID]) -> set[UUID]:
        return {s.tenant_id for s in self.subscriptions} & set(tenant_ids)

    def claim_due(self, tenant_id: UUID, now: datetime, per_subscription: int, limit: int) -> list[DueDelivery]:
        return [d for d in self.deliveries.values() if d.tenant_id == tenant_id][:limit]

    def signing_secrets(self, tenant_id: UUID, subscription_id: UUID, now: datetime) -> list[str]:
        return [self.secret]

    def record_attempt(self, delivery: DueDelivery, attempt: Attempt, at: datetime) -> None:
        self.attempts.append((delivery.id, attempt))
        self.sent_by_tenant.append((delivery.tenant_id, delivery.id))
        del self.deliveries[delivery.id]


@dataclass
class FakeTransport:
    sent: list[tuple[str, dict[str, str], str]] = field(default_factory=list)

    def post(self, url: str, headers: dict[str, str], body: str) -> Attempt:
        self.sent.append((url, headers, body))
        return Attempt(200, 3, "ok")


@dataclass
class FakeResolver:
    names: dict[str, list[str]]

    def addresses(self, host: str) -> list[str]:
        return self.names.get(host, [])


def subscription(url: str = "https://hooks.example.com/in") -> Subscription:
    return Subscription(
        uuid4(), TENANT, url, frozenset({OPENED}), None, None, "", SubscriptionStatus.ACTIVE, "admin",
        datetime(2026, 1, 1, tzinfo=UTC),
    )  # fmt: skip


def event(tenant_id: UUID = TENANT) -> CloudEvent:
    return CloudEvent(
        uuid4(), "/registries/ghana", OPENED, "a", datetime.now(UTC), tenant_id, {"account_id": str(uuid4())}
    )


def worker(store: FakeStore, transport: FakeTransport, resolver: FakeResolver) -> DeliveryWorker:
    return DeliveryWorker(store, transport, resolver, lambda: [TENANT], clock=FixedClock(datetime.now(UTC)))


def test_an_event_makes_one_delivery_per_subscription_however_often_it_comes() -> None:
    store = FakeStore([subscription(), subscription("https://other.example.com/in")])
    happened = event()

    assert fan_out(store, None, happened) == 2
    assert fan_out(store, None, happened) == 0
    assert fan_out(store, None, event(uuid4())) == 0  # another registry's event: none of these subscriptions


def test_a_batch_makes_the_same_deliveries_as_its_events_one_by_one_reading_the_subscriptions_once() -> None:
    subscriptions = [subscription(), subscription("https://other.example.com/in")]
    opened, other = event(), replace(event(), type="ledger.account.closed.v1")
    batch, single = CountingStore(subscriptions), FakeStore(subscriptions)

    assert fan_out_batch(batch, None, [opened, other, opened]) == 2
    assert batch.reads == 1
    assert fan_out(single, None, opened) + fan_out(single, None, other) == 2
    assert set(batch.deliveries) == set(single.deliveries)


@dataclass
class CountingStore(FakeStore):
    reads: int = 0

    def active_subscriptions(self, session: Any, tenant_id: UUID) -> list[Subscription]:
        self.reads += 1
        return super().active_subscriptions(session, tenant_id)


def test_the_worker_sends_signed_attempts_and_records_each() -> None:
    store, transport = FakeStore([subscription()]), FakeTransport()
    fan_out(store, None, event())

    assert worker(store, transport, FakeResolver({"hooks.example.com": ["93.184.216.34"]})).send_due() == 1

    [(url, headers, body)] = transport.sent
    assert url == "https://hooks.example.com/in"
    assert Webhook(store.secret).verify(body, headers)["type"] == OPENED
    assert headers["content-type"] == "application/json"
    [(_, attempt)] = store.attempts
    assert attempt.status_code == 200


def test_the_worker_sends_nothing_to_an_address_that_turned_private() -> None:
    store, transport = FakeStore([subscription()]), FakeTransport()
    fan_out(store, None, event())

    worker(store, transport, FakeResolver({"hooks.example.com": ["10.0.0.7"]})).send_due()

    assert transport.sent == []
    [(_, attempt)] = store.attempts
    assert (attempt.status_code, attempt.duration_ms) == (None, 0)
    assert "10.0.0.7" in (attempt.error or "")


def test_a_pass_makes_a_bounded_number_of_attempts_and_the_next_pass_goes_on() -> None:
    store, transport = FakeStore([subscription(f"https://h{n}.example.com/in") for n in range(50)]), FakeTransport()
    fan_out(store, None, event())
    names = {f"h{n}.example.com": ["93.184.216.34"] for n in range(50)}
    sender = worker(store, transport, FakeResolver(names))

    assert sender.send_due() == sender.per_pass < 50
    assert sender.send_due() == 50 - sender.per_pass


def test_registries_take_turns_to_go_first() -> None:
    other = uuid4()
    store = FakeStore([subscription(), replace(subscription(), tenant_id=other)])
    for tenant_id in (TENANT, other, TENANT, other):
        fan_out(store, None, event(tenant_id))
    sender = DeliveryWorker(
        store, FakeTransport(), FakeResolver({"hooks.example.com": ["93.184.216.34"]}), lambda: [TENANT, other],
        per_pass=1,
    )  # fmt: skip

    sender.send_due()
    sender.send_due()

    assert {store_tenant for store_tenant, _ in store.sent_by_tenant} == {TENANT, other}
