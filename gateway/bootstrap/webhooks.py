"""The webhooks context as the platform builds it: the context and the `webhooks` consumer, with the
delivery worker as the consumer's periodic duty."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from uuid import UUID

from gateway.bootstrap import bus
from gateway.bootstrap.platform import Platform
from services.events.service_layer.consumer import Consumer, Periodic
from services.webhooks.bootstrap import Webhooks
from services.webhooks.entrypoints.consumer import build_consumer
from tenants.domain.model import TenantKind
from tenants.service_layer.catalogue import TenantCatalogue

SEND_INTERVAL_S = 1.0
KIND_HEADER = "Registry-Kind"  # as on every answer of a training registry's API (gateway/tenancy.py)


class RegistryKinds:
    """The headers that mark a training registry's deliveries. A registry's kind never changes, so the
    catalogue is read again only for a registry not seen before."""

    def __init__(self, catalogue: TenantCatalogue) -> None:
        self.catalogue = catalogue
        self._training: dict[UUID, bool] = {}

    def headers(self, tenant_id: UUID) -> Mapping[str, str]:
        if tenant_id not in self._training:
            self._training = {tenant.id: tenant.is_training for tenant in self.catalogue.list()}
        return {KIND_HEADER: TenantKind.TRAINING.value} if self._training.get(tenant_id) else {}


def webhooks_for(platform: Platform) -> Webhooks:
    return Webhooks(
        platform.database,
        platform.settings.secret_key,
        allow_loopback=platform.settings.webhooks_allow_loopback,
        clock=platform.clock,
        registry_headers=RegistryKinds(platform.catalogue).headers,
    )


def consumer_for(platform: Platform, webhooks: Webhooks | None = None) -> Consumer:
    """The consumer, with the delivery worker as its periodic duty."""
    context = webhooks or webhooks_for(platform)
    consumer = build_consumer(context, bus.domain_topics(platform.settings), bus.event_catalogue().supports)

    def served() -> list[UUID]:
        return [tenant.id for tenant in platform.catalogue.list() if tenant.accepts_writes]

    worker = context.worker(served)
    return replace(consumer, periodic=Periodic(SEND_INTERVAL_S, worker.send_due))
