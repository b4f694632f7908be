"""A registry's own OIDC identity provider, pinned by issuer, audience and JWKS URL."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from services.identity.domain.errors import InvalidIdentityProvider
from services.identity.domain.roles import TENANT_ROLES, Role

ALLOWED_ALGORITHMS = ("RS256", "PS256", "ES256", "EdDSA")


@dataclass(kw_only=True)
class IdentityProvider:
    id: UUID
    issuer: str
    audience: str
    jwks_url: str
    created_at: datetime
    role_claim: str = "roles"
    role_mapping: dict[str, str] = field(default_factory=dict)
    algorithms: list[str] = field(default_factory=lambda: ["RS256", "ES256"])

    def roles_from(self, claims: dict[str, Any]) -> frozenset[Role]:
        raw = claims.get(self.role_claim, [])
        values = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
        mapped = {self.role_mapping[v] for v in values if isinstance(v, str) and v in self.role_mapping}
        return frozenset(Role(v) for v in mapped)


def validate_provider(provider: IdentityProvider) -> None:
    for name in ("issuer", "jwks_url"):
        if not _is_trusted_url(getattr(provider, name)):
            raise InvalidIdentityProvider(f"{name} must be an https URL (http only for a loopback test issuer)")
    if not provider.audience.strip():
        raise InvalidIdentityProvider("audience must not be empty: give the value your provider puts in 'aud'")
    bad_roles = set(provider.role_mapping.values()) - {r.value for r in TENANT_ROLES}
    if bad_roles:
        raise InvalidIdentityProvider(
            f"role_mapping targets {sorted(bad_roles)} are not registry roles: use {sorted(TENANT_ROLES)}"
        )
    bad_algorithms = set(provider.algorithms) - set(ALLOWED_ALGORITHMS)
    if not provider.algorithms or bad_algorithms:
        raise InvalidIdentityProvider(f"algorithms must be a non-empty subset of {list(ALLOWED_ALGORITHMS)}")


def _is_trusted_url(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return True
    if parts.scheme != "http" or not parts.hostname:
        return False
    try:
        return ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:
        return parts.hostname == "localhost"
