"""Audit entries: who did what, when, from where, and how it ended. Written once, never changed."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID


class Outcome(enum.StrEnum):
    SUCCESS = "success"
    DENIED = "denied"
    FAILED = "failed"


@dataclass(kw_only=True)
class _AuditFields:
    id: UUID
    occurred_at: datetime
    actor: str
    action: str
    target: str
    outcome: str
    status: int
    source_ip: str = ""
    client_id: str = ""
    request_id: str = ""
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(kw_only=True)
class AuditEntry(_AuditFields):
    """One line of a registry's audit log."""


@dataclass(kw_only=True)
class PlatformAuditEntry(_AuditFields):
    """One line of the platform's audit log: operator actions, with the tenant they concerned."""

    tenant_code: str | None = None
