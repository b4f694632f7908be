"""Machine clients of one registry: they sign in with client credentials and hold fixed roles."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from services.identity.domain.roles import Role


@dataclass(kw_only=True)
class Client:
    client_id: str
    name: str
    secret_hash: str
    created_at: datetime
    roles: list[str] = field(default_factory=list)
    organization_id: UUID | None = None
    disabled: bool = False

    @property
    def role_set(self) -> frozenset[Role]:
        return frozenset(Role(r) for r in self.roles)
