"""Authorization codes, refresh tokens and revoked access tokens; secrets are kept only as hashes."""

from __future__ import annotations

import hashlib
from datetime import datetime
from uuid import UUID

from services.identity.domain.tokens import PURGE_GRACE, AuthorizationCode, PurgedGrants, RefreshToken
from services.identity.domain.users import Account
from services.identity.service_layer.ports import IdentityUnitOfWork
from services.shared.clock import Clock


def digest(secret: str) -> str:
    # Codes and refresh tokens are long random strings, so a plain SHA-256 is enough to hide them.
    return hashlib.sha256(secret.encode()).hexdigest()


def save_code(code: AuthorizationCode, uow: IdentityUnitOfWork) -> None:
    with uow:
        uow.grants.add_code(code)
        uow.commit()


def take_code(code: str, client_id: str, now: datetime, uow: IdentityUnitOfWork) -> AuthorizationCode | None:
    """The code, used up: a second exchange of the same code finds nothing."""
    with uow:
        found = uow.grants.take_code(digest(code))
        uow.commit()
    if found is None or found.client_id != client_id or found.tenant_id != uow.tenant_id or now >= found.expires_at:
        return None
    return found


def save_refresh(token: RefreshToken, uow: IdentityUnitOfWork) -> None:
    with uow:
        uow.grants.add_refresh(token)
        uow.commit()


def usable_refresh(token: str, now: datetime, uow: IdentityUnitOfWork) -> RefreshToken | None:
    with uow:
        found = uow.grants.refresh(digest(token))
    if found is None or found.tenant_id != uow.tenant_id or not found.is_usable(now):
        return None
    return found


def revoke_refresh(token_hash: str, now: datetime, uow: IdentityUnitOfWork) -> None:
    with uow:
        found = uow.grants.refresh(token_hash)
        if found is not None and found.revoked_at is None:
            found.revoked_at = now
        uow.commit()


def revoke_access(jti: str, expires_at: datetime, uow: IdentityUnitOfWork, tenant_id: UUID | None) -> None:
    with uow:
        if not uow.grants.is_revoked(jti):
            uow.grants.revoke_jti(jti, tenant_id, expires_at)
        uow.commit()


def is_revoked(jti: str, uow: IdentityUnitOfWork) -> bool:
    with uow:
        return uow.grants.is_revoked(jti)


def is_refused(jti: str, person_id: UUID | None, uow: IdentityUnitOfWork) -> bool:
    """Whether an access token was revoked, or belongs to a person since disabled (or removed)."""
    with uow:
        if uow.grants.is_revoked(jti):
            return True
        if person_id is None:
            return False
        account: Account | None = uow.users.get(person_id) if uow.tenant_id else uow.operators.get(person_id)
        return account is None or account.disabled


def spend_proof(kind: str, issuer: str, jti: str, expires_at: datetime, uow: IdentityUnitOfWork) -> bool:
    """Use up a one-time proof (a client assertion, a DPoP proof): True the first time, False on a replay."""
    with uow:
        fresh = uow.grants.spend_proof(digest(f"{kind}\n{issuer}\n{jti}"), uow.tenant_id, expires_at)
        uow.commit()
    return fresh


def purge_expired(uow: IdentityUnitOfWork, clock: Clock) -> PurgedGrants:
    """Forget codes, refresh tokens, revocations and spent proofs expired over PURGE_GRACE ago (every realm)."""
    with uow:
        purged = uow.grants.purge_expired(clock.now() - PURGE_GRACE)
        uow.commit()
    return purged
