"""What the authorization server remembers between requests: codes, refresh tokens, revocations, keys."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

# Expired rows are kept this long before the purge removes them: longer than the leeway with which an
# access token's expiry is checked, so a revoked token is never forgotten while it could still be accepted.
PURGE_GRACE = timedelta(minutes=5)


@dataclass(frozen=True)
class PurgedGrants:
    authorization_codes: int
    refresh_tokens: int
    revoked_tokens: int
    spent_proofs: int = 0

    @property
    def total(self) -> int:
        return self.authorization_codes + self.refresh_tokens + self.revoked_tokens + self.spent_proofs


@dataclass(kw_only=True)
class AuthorizationCode:
    code_hash: str
    tenant_id: UUID | None
    client_id: str
    user_id: UUID
    redirect_uri: str
    scope: str
    code_challenge: str
    code_challenge_method: str
    mfa_verified: bool
    expires_at: datetime


@dataclass(kw_only=True)
class RefreshToken:
    token_hash: str
    tenant_id: UUID | None
    client_id: str
    user_id: UUID
    scope: str
    mfa_verified: bool
    issued_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at


@dataclass(kw_only=True)
class RevokedToken:
    jti: str
    tenant_id: UUID | None
    expires_at: datetime


@dataclass(kw_only=True)
class SigningKey:
    """One key of the platform's signing key ring. The private half is stored encrypted."""

    kid: str
    algorithm: str
    public_jwk: dict[str, Any]
    private_jwk_encrypted: bytes
    created_at: datetime
    retired_at: datetime | None = None

    def is_published(self, now: datetime, token_lifetime_seconds: int) -> bool:
        # A retired key stays in the JWKS until every token it signed has expired.
        if self.retired_at is None:
            return True
        return (now - self.retired_at).total_seconds() <= token_lifetime_seconds + 60
