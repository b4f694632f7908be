"""The webhooks context as the platform uses it: its API, the `webhooks` consumer and its delivery worker."""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

from flask import Flask, current_app
from flask_smorest import Api

from gateway import bus
from gateway.platform import Platform
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


def known_event_types() -> frozenset[str]:
    return frozenset(event_type.type for event_type in bus.event_catalogue())


def consumer_for(platform: Platform, webhooks: Webhooks | None = None) -> Consumer:
    """The consumer, with the delivery worker as its periodic duty."""
    context = webhooks or webhooks_for(platform)
    consumer = build_consumer(context, bus.domain_topics(platform.settings), bus.event_catalogue().supports)

    def served() -> list[UUID]:
        return [tenant.id for tenant in platform.catalogue.list() if tenant.accepts_writes]

    worker = context.worker(served)
    return replace(consumer, periodic=Periodic(SEND_INTERVAL_S, worker.send_due))


def current_webhooks() -> Webhooks:
    found: Webhooks = current_app.extensions["webhooks"]
    return found


def init_webhooks(app: Flask, api: Api) -> None:
    from gateway.webhooks import api as webhooks_api

    app.extensions["webhooks"] = webhooks_for(app.extensions["registry"])
    api.register_blueprint(webhooks_api.blp)
