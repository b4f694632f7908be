"""The `webhooks` consumer: each event of a registry becomes a delivery for every subscription that wants it,
in the consumer's transaction (so exactly once per event and subscription); the delivery worker, its periodic
duty, sends them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

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

    return Consumer(NAME, topics, handle, supports, batch_handler=handle_batch, tenants_independent=True)
