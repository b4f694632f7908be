"""Builds the webhooks context: its store, the endpoint policy and the delivery worker."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from uuid import UUID

from services.shared.clock import SYSTEM_CLOCK, Clock
from services.shared.db.database import Database
from services.webhooks.adapters.http_transport import RequestsTransport
from services.webhooks.adapters.resolver import SystemResolver
from services.webhooks.adapters.sql_store import SqlWebhookStore
from services.webhooks.service_layer.ports import Resolver, Transport
from services.webhooks.service_layer.subscriptions import EndpointPolicy
from services.webhooks.service_layer.worker import DeliveryWorker, no_registry_headers


@dataclass
class Webhooks:
    database: Database
    secret_key: str
    allow_loopback: bool = False
    clock: Clock = SYSTEM_CLOCK
    resolver: Resolver = field(default_factory=SystemResolver)
    transport: Transport = field(default_factory=RequestsTransport)
    registry_headers: Callable[[UUID], Mapping[str, str]] = no_registry_headers  # sent with a registry's deliveries

    @property
    def store(self) -> SqlWebhookStore:
        return SqlWebhookStore(self.database, self.secret_key, self.clock)

    @property
    def policy(self) -> EndpointPolicy:
        return EndpointPolicy(self.resolver, self.allow_loopback)

    def worker(self, tenants: Callable[[], Iterable[UUID]]) -> DeliveryWorker:
        return DeliveryWorker(
            self.store,
            self.transport,
            self.resolver,
            tenants,
            allow_loopback=self.allow_loopback,
            clock=self.clock,
            registry_headers=self.registry_headers,
        )
