"""The tenant catalogue: one tenant is one national registry hosted on the platform."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from tenants.domain.errors import InvalidTenant, TenantStateConflict

CODE_PATTERN = re.compile(r"^[a-z][a-z0-9-]{1,30}[a-z0-9]$")
PARTY_PATTERN = re.compile(r"^[A-Z]{3}$")
REGISTRY_ID_PATTERN = re.compile(r"^([A-Z]{3})(\d{2})$")


class TenantStatus(enum.StrEnum):
    PROVISIONING = "provisioning"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    ARCHIVED = "archived"


class TenantKind(enum.StrEnum):
    """A production registry holds a country's real accounts; a training registry is where its staff learn."""

    PRODUCTION = "production"
    TRAINING = "training"


# Which lifecycle moves are allowed, keyed by the command that asks for them.
TRANSITIONS: dict[str, dict[TenantStatus, TenantStatus]] = {
    "activate": {TenantStatus.PROVISIONING: TenantStatus.ACTIVE},
    "suspend": {TenantStatus.ACTIVE: TenantStatus.SUSPENDED},
    "resume": {TenantStatus.SUSPENDED: TenantStatus.ACTIVE},
    "archive": {
        TenantStatus.SUSPENDED: TenantStatus.ARCHIVED,
        TenantStatus.PROVISIONING: TenantStatus.ARCHIVED,
    },
}


@dataclass
class Tenant:
    id: UUID
    code: str
    party: str
    registry_id: str
    name: str
    created_at: datetime
    status: TenantStatus = TenantStatus.PROVISIONING
    database_url: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    is_demo: bool = False
    status_changed_at: datetime | None = None
    kind: TenantKind = TenantKind.PRODUCTION

    @property
    def is_training(self) -> bool:
        return self.kind is TenantKind.TRAINING

    @property
    def accepts_writes(self) -> bool:
        return self.status is TenantStatus.ACTIVE

    @property
    def is_served(self) -> bool:
        return self.status in (TenantStatus.ACTIVE, TenantStatus.SUSPENDED)

    def move(self, command: str, now: datetime) -> None:
        allowed = TRANSITIONS[command]
        if self.status not in allowed:
            sources = ", ".join(sorted(s.value for s in allowed))
            raise TenantStateConflict(
                f"tenant {self.code!r} is {self.status.value}; {command} needs it to be {sources}"
            )
        self.status = allowed[self.status]
        self.status_changed_at = now


def validate_identity(code: str, party: str, registry_id: str) -> None:
    if not CODE_PATTERN.fullmatch(code):
        raise InvalidTenant(
            f"code {code!r} is not a URL slug: use 3-32 lower-case letters, digits or '-', "
            "starting with a letter (for example 'ghana')"
        )
    if not PARTY_PATTERN.fullmatch(party):
        raise InvalidTenant(f"party {party!r} is not an ISO 3166-1 alpha-3 code: use three capital letters, e.g. GHA")
    match = REGISTRY_ID_PATTERN.fullmatch(registry_id)
    if match is None:
        raise InvalidTenant(
            f"registry id {registry_id!r} is not the Party's alpha-3 code plus two digits, e.g. {party}01"
        )
    if match.group(1) != party:
        raise InvalidTenant(
            f"registry id {registry_id!r} does not belong to party {party}: it must start with {party}, e.g. {party}01"
        )
