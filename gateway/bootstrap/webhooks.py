"""The webhooks context as the platform builds it: the context and the `webhooks` consumer, with the
delivery worker as the consumer's periodic duty."""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

from gateway.bootstrap import bus
from gateway.bootstrap.platform import Platform
from services.events.service_layer.consumer import Consumer, Periodic
from services.webhooks.bootstrap import Webhooks
from services.webhooks.entrypoints.consumer import build_consumer

SEND_INTERVAL_S = 1.0


def webhooks_for(platform: Platform) -> Webhooks:
    return Webhooks(
        platform.database,
        platform.settings.secret_key,
        allow_loopback=platform.settings.webhooks_allow_loopback,
        clock=platform.clock,
    )


def consumer_for(platform: Platform, webhooks: Webhooks | None = None) -> Consumer:
    """The consumer, with the delivery worker as its periodic duty."""
    context = webhooks or webhooks_for(platform)
    consumer = build_consumer(context, bus.domain_topics(platform.settings), bus.event_catalogue().supports)

    def served() -> list[UUID]:
        return [tenant.id for tenant in platform.catalogue.list() if tenant.accepts_writes]

    worker = context.worker(served)
    return replace(consumer, periodic=Periodic(SEND_INTERVAL_S, worker.send_due))
