"""Turns each event of a registry into one delivery per subscription that wants it, in the consumer's
transaction: a redelivered event finds its deliveries there already (their ids derive from the event)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from services.events.domain.envelope import CloudEvent
from services.webhooks.domain.deliveries import delivery_id
from services.webhooks.domain.subscriptions import Subscription
from services.webhooks.service_layer.ports import WebhookStore


def payload(event: CloudEvent) -> str:
    """The body every attempt sends: the Standard Webhooks shape (`type`, `timestamp`, `data`) with the event's id
    and registry, frozen when the delivery is made so that a replay sends the same bytes."""
    envelope = event.to_dict()
    body = {
        "type": event.type,
        "timestamp": envelope["time"],
        "event_id": envelope["id"],
        "registry": event.source.rsplit("/", 1)[-1],
        "data": event.data,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)


def fan_out(store: WebhookStore, session: Any, event: CloudEvent) -> int:
    """Record the event's deliveries; how many were new."""
    return _deliveries(store, session, store.active_subscriptions(session, event.tenant_id), event)


def fan_out_batch(store: WebhookStore, session: Any, events: Sequence[CloudEvent]) -> int:
    """One registry's events of a poll, in order, its subscriptions read once; how many deliveries were new."""
    if not events:
        return 0
    subscriptions = store.active_subscriptions(session, events[0].tenant_id)
    return sum(_deliveries(store, session, subscriptions, event) for event in events) if subscriptions else 0


def _deliveries(store: WebhookStore, session: Any, subscriptions: Iterable[Subscription], event: CloudEvent) -> int:
    made = 0
    body: str | None = None
    for subscription in subscriptions:
        if not subscription.wants(event.type, event.data, event.time):
            continue
        body = body or payload(event)
        identity = delivery_id(event.id, subscription.id)
        made += store.add_delivery(session, subscription, identity, event.id, event.type, body)
    return made
