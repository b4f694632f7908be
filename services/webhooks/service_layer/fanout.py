"""Turns each event of a registry into one delivery per subscription that wants it, in the consumer's
transaction: a redelivered event finds its deliveries there already (their ids derive from the event)."""

from __future__ import annotations

import json
from typing import Any

from services.events.domain.envelope import CloudEvent
from services.webhooks.domain.deliveries import delivery_id
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
    made = 0
    body: str | None = None
    for subscription in store.active_subscriptions(session, event.tenant_id):
        if not subscription.wants(event.type, event.data, event.time):
            continue
        body = body or payload(event)
        identity = delivery_id(event.id, subscription.id)
        made += store.add_delivery(session, subscription, identity, event.id, event.type, body)
    return made
