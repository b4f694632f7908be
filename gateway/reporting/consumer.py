"""Builds the `reporting` consumer for a platform."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from gateway import bus
from gateway.platform import Platform
from services.events.service_layer.consumer import Consumer
from services.reporting.entrypoints.consumer import build_consumer


def consumer_for(platform: Platform) -> Consumer:
    def tenants() -> Iterable[tuple[UUID, str]]:
        return [(tenant.id, tenant.party) for tenant in platform.catalogue.list()]

    return build_consumer(platform.database, bus.domain_topics(platform.settings), tenants)
