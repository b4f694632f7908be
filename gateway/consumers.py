"""The consumers this build offers, by name. `registry consume NAME` runs one; the demo runs them all."""

from __future__ import annotations

from collections.abc import Callable

from gateway.platform import Platform
from services.events.service_layer.consumer import Consumer

ConsumerFactory = Callable[[Platform], Consumer]

CONSUMERS: dict[str, ConsumerFactory] = {}


def register(name: str, factory: ConsumerFactory) -> None:
    CONSUMERS[name] = factory


def _register_builtin() -> None:
    from gateway.interregistry import consumer_for as interregistry

    register("interregistry", interregistry)
    from gateway.reporting.consumer import consumer_for as reporting

    register("reporting", reporting)
    from gateway.cadt.wiring import cadt_consumer

    register("cadt", cadt_consumer)
    from gateway.webhooks import consumer_for as webhooks

    register("webhooks", webhooks)


_register_builtin()
