"""Machine clients of one registry: they sign in with a secret or with their own key, and hold fixed roles.

An administrator may narrow a client further than its roles: to some unit actions (`allowed_actions`)
and to some accounts (`allowed_accounts`). None means no narrowing, as for every client before scopes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from services.identity.domain.roles import Role

SECRET_METHODS = ("client_secret_basic", "client_secret_post")
KEY_METHOD = "private_key_jwt"
# The unit actions a client can be limited to, named as their routes under .../transactions/.
CLIENT_ACTIONS = (
    "issuances",
    "authorizations",
    "domestic-transfers",
    "international-transfers",
    "acquisitions",
    "ndc-uses",
    "oimp-uses",
    "cancellations",
    "retirements",
)


@dataclass(kw_only=True)
class Client:
    client_id: str
    name: str
    secret_hash: str | None
    created_at: datetime
    roles: list[str] = field(default_factory=list)
    organization_id: UUID | None = None
    disabled: bool = False
    public_jwks: dict[str, Any] | None = None  # {"keys": [...]}: the client signs its assertions with these
    allowed_actions: list[str] | None = None
    allowed_accounts: list[str] | None = None

    @property
    def role_set(self) -> frozenset[Role]:
        return frozenset(Role(r) for r in self.roles)

    @property
    def auth_methods(self) -> list[str]:
        return [KEY_METHOD] if self.public_jwks is not None else list(SECRET_METHODS)


PRIVATE_MEMBERS = frozenset({"d", "p", "q", "dp", "dq", "qi", "oth", "k"})
ASYMMETRIC_TYPES = frozenset({"EC", "RSA", "OKP"})


def public_key_set(keys: list[dict[str, Any]]) -> dict[str, Any]:
    """The client's public keys as a JWKS, or ValueError saying what is wrong with them."""
    if not keys:
        raise ValueError("give the client's public key: a JWK, or a JWKS with one or more keys")
    for key in keys:
        if key.get("kty") not in ASYMMETRIC_TYPES:
            raise ValueError("each key must be an EC, RSA or OKP public key (kty)")
        if PRIVATE_MEMBERS & key.keys():
            raise ValueError("send the public half only: the key holds private members; keep those on the client")
    kids = [key.get("kid") for key in keys]
    if len(keys) > 1 and (None in kids or len(set(kids)) != len(kids)):
        raise ValueError("with more than one key, give each a distinct kid, and name it in the assertion's header")
    return {"keys": [dict(key) for key in keys]}
