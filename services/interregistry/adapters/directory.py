"""Hosted registries from the tenant catalogue, and the outbox as the mailbox between them."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy.orm import Session

from services.events.adapters.outbox import OutboxWriter
from services.interregistry.service_layer.ports import HostedRegistry
from services.ledger.api import LedgerTenant
from tenants.domain.model import Tenant
from tenants.service_layer.catalogue import TenantCatalogue


def hosted(tenant: Tenant) -> HostedRegistry:
    return HostedRegistry(tenant.id, tenant.code, tenant.party, tenant.registry_id, tenant.is_training)


class CatalogueDirectory:
    """Only registries that are served (active or suspended) take part; a suspended one refuses in its ledger."""

    def __init__(self, catalogue: TenantCatalogue) -> None:
        self.catalogue = catalogue

    def _served(self) -> list[Tenant]:
        return [t for t in self.catalogue.list() if t.is_served]

    def served(self) -> list[HostedRegistry]:
        return [hosted(t) for t in self._served()]

    def sending_out(self) -> list[HostedRegistry]:
        """The served registries that may send to registries outside the platform: never a training one."""
        return [hosted(t) for t in self._served() if not t.is_training]

    def by_registry_id(self, registry_id: str) -> HostedRegistry | None:
        return next((hosted(t) for t in self._served() if t.registry_id == registry_id), None)

    def by_tenant(self, tenant_id: UUID) -> HostedRegistry | None:
        return next((hosted(t) for t in self._served() if t.id == tenant_id), None)

    def ledger_tenant(self, tenant_id: UUID) -> LedgerTenant:
        tenant = next(t for t in self.catalogue.list() if t.id == tenant_id)
        return LedgerTenant(tenant.id, tenant.code, tenant.party, tenant.registry_id, tenant.settings)


class OutboxMailbox:
    """A message to another tenant is an outbox row addressed to it, written in the sender's transaction."""

    def __init__(self, writer: OutboxWriter) -> None:
        self.writer = writer

    def send(
        self, session: Session, *, sender: HostedRegistry, to_tenant: UUID, message_type: str, data: dict[str, Any]
    ) -> None:
        self.writer.add(
            session,
            tenant_id=to_tenant,
            registry=sender.code,
            event_type=message_type,
            data=data,
            subject=str(data["transfer_id"]),
        )
