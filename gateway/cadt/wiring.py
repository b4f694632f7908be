"""The CAD Trust context as the platform uses it: the consumer factory and per-tenant services."""

from __future__ import annotations

from gateway.bus import domain_topics
from gateway.platform import Platform
from services.cadt.bootstrap import Cadt
from services.cadt.entrypoints.consumer import build_consumer
from services.cadt.service_layer.publisher import PublishPolicy
from services.events.service_layer.consumer import Consumer

POLICY = PublishPolicy()  # tests shorten the waits through this


def cadt_for(platform: Platform) -> Cadt:
    return Cadt(platform.database, policy=POLICY)


def cadt_consumer(platform: Platform) -> Consumer:
    return build_consumer(cadt_for(platform), domain_topics(platform.settings))
