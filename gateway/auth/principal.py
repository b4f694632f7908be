"""Who is calling: the principal that a verified access token stands for."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from services.identity.domain.roles import Role

__all__ = ["Principal", "Role"]


@dataclass(frozen=True)
class Principal:
    subject: str  # user id, or client id for a machine client; stable, so "not your own" checks can use it
    tenant_id: UUID | None  # None only for platform operators
    roles: frozenset[Role]
    organization_id: UUID | None = None  # account representatives act on this organization's accounts only
    client_id: str = ""
    scopes: frozenset[str] = field(default_factory=frozenset)
    mfa_verified: bool = False
    is_user: bool = True
    dpop_jkt: str | None = None  # the thumbprint of the key a DPoP-bound token is bound to
    client_auth: str | None = None  # how a machine client signed in: "private_key_jwt", or None for a secret
    allowed_actions: frozenset[str] | None = None  # a machine client's scopes; None: as its roles allow
    allowed_accounts: frozenset[UUID] | None = None

    def has_any(self, *roles: Role) -> bool:
        return not self.roles.isdisjoint(roles)
