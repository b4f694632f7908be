"""The CAD Trust context as the platform uses it: the consumer factory, its retry timer, per-tenant services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from uuid import UUID

from gateway.bootstrap.bus import domain_topics
from gateway.bootstrap.cadt_aef import ReportingAefSubmissions
from gateway.bootstrap.platform import Platform
from services.cadt.bootstrap import Cadt
from services.cadt.bootstrap import bootstrap as bootstrap_cadt
from services.cadt.entrypoints.consumer import build_consumer
from services.cadt.entrypoints.timer import RetryTimer
from services.cadt.service_layer.connected import ConnectedRegistries
from services.cadt.service_layer.publisher import PublishPolicy
from services.events.service_layer.consumer import Consumer, Periodic

POLICY = PublishPolicy()  # tests shorten the waits through this


def cadt_for(platform: Platform) -> Cadt:
    def aef_for(tenant_id: UUID) -> ReportingAefSubmissions:
        return ReportingAefSubmissions(platform.reporting, tenant_id)

    return bootstrap_cadt(
        platform.database,
        platform.settings.secret_key,
        policy=POLICY,
        aef_for=aef_for,
        clock=platform.clock,
        publishes=publishing_registries(platform),
    )


def publishing_registries(platform: Platform) -> Callable[[UUID], bool]:
    """Whether a registry may publish to CAD Trust: never a training one. A registry's kind never changes,
    so each is read from the catalogue once."""
    kinds: dict[UUID, bool] = {}

    def publishes(tenant_id: UUID) -> bool:
        if tenant_id not in kinds:
            kinds.update({t.id: not t.is_training for t in platform.catalogue.list()})
        return kinds.get(tenant_id, True)  # not in the catalogue: not a training registry

    return publishes


def retry_timer(
    platform: Platform, cadt: Cadt | None = None, connected: Callable[[list[UUID]], set[UUID]] | None = None
) -> RetryTimer:
    def active_tenants() -> list[UUID]:
        return [tenant.id for tenant in platform.catalogue.list() if tenant.accepts_writes]

    return RetryTimer(cadt or cadt_for(platform), active_tenants, clock=platform.clock, connected=connected)


def cadt_consumer(platform: Platform) -> Consumer:
    """The event consumer, with the retry timer as its periodic duty (run between polls, no thread); both ask
    one cache which registries have a CAD Trust connection."""
    cadt = cadt_for(platform)
    connected = ConnectedRegistries(
        lambda tenant_id: cadt.store(tenant_id).has_connection(), with_connection=cadt.with_connection
    )
    consumer = build_consumer(cadt, domain_topics(platform.settings), connected=connected)
    timer = retry_timer(platform, cadt, connected.among)
    return replace(consumer, periodic=Periodic(cadt.policy.timer_interval_s, timer.tick))
