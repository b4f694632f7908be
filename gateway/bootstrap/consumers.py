"""The consumers this build offers, by name. `registry consume NAME` runs one; the demo runs them all."""

from __future__ import annotations

from collections.abc import Callable

from gateway.bootstrap.platform import Platform
from services.events.service_layer.consumer import Consumer

ConsumerFactory = Callable[[Platform], Consumer]

CONSUMERS: dict[str, ConsumerFactory] = {}


def register(name: str, factory: ConsumerFactory) -> None:
    CONSUMERS[name] = factory


def _register_builtin() -> None:
    from gateway.bootstrap.interregistry import consumer_for as interregistry

    register("interregistry", interregistry)
    from gateway.bootstrap.reporting import consumer_for as reporting

    register("reporting", reporting)
    from gateway.bootstrap.cadt import cadt_consumer

    register("cadt", cadt_consumer)
    from gateway.bootstrap.notifications import consumer_for as notifications

    register("notifications", notifications)
    from gateway.bootstrap.webhooks import consumer_for as webhooks

    register("webhooks", webhooks)


_register_builtin()
