"""Registry-to-registry delivery: the `interregistry` consumer and the HTTP interface for external registries."""

from __future__ import annotations

from flask_smorest import Api

from gateway import bus
from gateway.platform import Platform
from services.events.service_layer.consumer import Consumer
from services.interregistry.entrypoints.consumer import interregistry_consumer


def consumer_for(platform: Platform) -> Consumer:
    return interregistry_consumer(
        platform.database,
        platform.catalogue,
        platform.settings.kafka.topic_prefix,
        platform.ledger.clock,
        bus.event_catalogue().supports,
    )


def init_interregistry(api: Api) -> None:
    from gateway.interregistry import api as interregistry_api

    api.register_blueprint(interregistry_api.blp)
