"""The audit logs: one per registry, one for the platform. Entries are only ever added."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from services.identity.domain.audit import AuditEntry, PlatformAuditEntry
from services.identity.service_layer.ports import AuditLog, IdentityUnitOfWork
from services.shared.clock import Clock
from services.shared.ids import new_id


@dataclass(frozen=True)
class Event:
    actor: str
    action: str
    target: str
    outcome: str
    status: int
    source_ip: str = ""
    client_id: str = ""
    request_id: str = ""
    detail: dict[str, Any] = field(default_factory=dict)


def record(event: Event, log: AuditLog, clock: Clock, tenant_code: str | None = None) -> None:
    """Into the tenant's log when `log` is bound to a tenant, else into the platform's."""
    fields: dict[str, Any] = {
        "id": new_id(),
        "occurred_at": clock.now(),
        "actor": event.actor[:200],
        "action": event.action[:200],
        "target": event.target[:500],
        "outcome": event.outcome,
        "status": event.status,
        "source_ip": event.source_ip[:64],
        "client_id": event.client_id[:100],
        "request_id": event.request_id[:64],
        "detail": event.detail,
    }
    if log.tenant_id is None:
        log.append_platform(PlatformAuditEntry(**fields, tenant_code=tenant_code))
    else:
        log.append(AuditEntry(**fields))


def entries(
    uow: IdentityUnitOfWork, *, actor: str | None = None, action: str | None = None, limit: int = 100
) -> list[AuditEntry]:
    with uow:
        return uow.audit.list(actor=actor, action=action, limit=limit)


def platform_entries(uow: IdentityUnitOfWork, *, limit: int = 100) -> list[PlatformAuditEntry]:
    with uow:
        return uow.audit.list_platform(limit=limit)
