"""The `webhooks` consumer: each event of a registry becomes a delivery for every subscription that wants it,
in the consumer's transaction (so exactly once per event and subscription); the delivery worker, its periodic
duty, sends them. The events of registries with no active subscription at the poll are acknowledged without a
transaction: a subscription takes the events that come after it (`Subscription.wants`), and one made before
the poll is seen by it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from uuid import UUID

from services.events.domain.envelope import CloudEvent
from services.events.service_layer.consumer import Consumer
from services.webhooks.bootstrap import Webhooks
from services.webhooks.service_layer.fanout import fan_out, fan_out_batch

NAME = "webhooks"


def build_consumer(webhooks: Webhooks, topics: list[str], supports: Callable[[str], bool]) -> Consumer:
    def handle(event: CloudEvent, session: Any) -> None:
        fan_out(webhooks.store, session, event)

    def handle_batch(events: Sequence[CloudEvent], session: Any) -> None:
        fan_out_batch(webhooks.store, session, events)

    def skips_among(events: Sequence[CloudEvent]) -> set[UUID]:
        """The events of registries with no active subscription: nothing to fan out, so no transaction."""
        subscribed = webhooks.store.tenants_with_subscriptions({event.tenant_id for event in events})
        return {event.id for event in events if event.tenant_id not in subscribed}

    return Consumer(
        NAME, topics, handle, supports, skips_among=skips_among, batch_handler=handle_batch, tenants_independent=True
    )
