"""Inter-registry delivery as the platform runs it: the `interregistry` consumer and its outbound sender."""

from __future__ import annotations

from dataclasses import replace

from gateway.bootstrap import bus
from gateway.bootstrap.platform import Platform
from services.events.service_layer.consumer import Consumer, Periodic
from services.interregistry.entrypoints.consumer import interregistry_consumer
from services.interregistry.entrypoints.sender import outbound_sender
from services.interregistry.service_layer.outbound import OutboundSender

SEND_INTERVAL_S = 2.0


def consumer_for(platform: Platform) -> Consumer:
    """The consumer, with the outbound sender as its periodic duty (pushes to registries not hosted here)."""
    consumer = interregistry_consumer(
        platform.database,
        platform.catalogue,
        platform.settings.kafka.topic_prefix,
        platform.ledger.clock,
        bus.event_catalogue().supports,
        platform.settings.secret_key,
    )
    return replace(consumer, periodic=Periodic(SEND_INTERVAL_S, sender_for(platform).send_due))


def sender_for(platform: Platform) -> OutboundSender:
    """Pushes messages to registries not hosted here; the `interregistry` consumer runs it between polls."""
    return outbound_sender(platform.database, platform.catalogue, platform.settings.secret_key, platform.ledger.clock)
