"""Checking a bearer token: ours (RFC 9068, signed by the platform's key ring) or a federated one."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from cachetools import LRUCache
from joserfc import jws, jwt
from joserfc.errors import BadSignatureError, ClaimError, ExpiredTokenError, JoseError
from joserfc.jwk import KeySet

from gateway.auth import federation
from gateway.auth.errors import unauthenticated
from gateway.auth.principal import Principal
from gateway.auth.realm import PLATFORM, REGISTRIES, identity, public_base
from services.identity.domain.roles import parse_roles

ALGORITHMS = ["ES256"]
LEEWAY_SECONDS = 30


class PublishedKeys:
    """The key ring's public keys, cached per process and reloaded when an unknown kid shows up."""

    def __init__(self, ttl_seconds: float = 60) -> None:
        self.ttl = ttl_seconds
        self.verified = VerifiedTokens()
        self._lock = threading.Lock()
        self._keys: KeySet | None = None
        self._loaded_at = 0.0

    def for_kid(self, kid: str | None) -> KeySet:
        keys = self._current(force=False)
        if kid is None or not _has_kid(keys, kid):
            keys = self._current(force=True)
        return keys

    def current(self) -> KeySet:
        """The key set as loaded now (reloaded when stale): what a remembered verification was made with."""
        return self._current(force=False)

    def invalidate(self) -> None:
        with self._lock:
            self._keys = None

    def _current(self, *, force: bool) -> KeySet:
        with self._lock:
            stale = time.monotonic() - self._loaded_at > self.ttl
            if self._keys is None or stale or force:
                ring = identity()
                published = ring.keys.published(ring.uow(None))
                self._keys = KeySet.import_key_set({"keys": published}) if published else KeySet([])
                self._loaded_at = time.monotonic()
            return self._keys


def _has_kid(keys: KeySet, kid: str) -> bool:
    return any(k.kid == kid for k in keys.keys)


def peek(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Header and claims before any check, only to choose how to check them."""
    try:
        extracted = jws.extract_compact(token.encode())
        claims = json.loads(extracted.payload)
    except (JoseError, ValueError, UnicodeError):
        raise unauthenticated("auth.token_malformed", "the bearer token is not a JWT: sign in again") from None
    if not isinstance(claims, dict):
        raise unauthenticated("auth.token_malformed", "the bearer token carries no claims: sign in again")
    return dict(extracted.headers()), claims


@dataclass(frozen=True)
class VerifiedToken:
    """A token that passed every check but the times and the refusal list, and what it was checked with."""

    keys: KeySet
    issuer: str
    claims: dict[str, Any]
    principal: Principal


class VerifiedTokens:
    """Own tokens whose signature, issuer, audience and registry were checked, remembered per process so that
    a client's next request skips the signature and the parsing. A remembered check holds only while the
    key set it was made with is the one loaded (so no longer than a key's removal takes to be seen without
    it); the times are checked again on every use, and the revocation list is always asked."""

    def __init__(self, capacity: int = 2048) -> None:
        self._lock = threading.Lock()
        self._entries: LRUCache[str, VerifiedToken] = LRUCache(maxsize=capacity)

    def get(self, token: str, keys: KeySet) -> VerifiedToken | None:
        with self._lock:
            found = self._entries.get(token)
            if found is not None and found.keys is not keys:
                del self._entries[token]
                return None
            return found

    def put(self, token: str, verified: VerifiedToken) -> None:
        with self._lock:
            self._entries[token] = verified


def verify(token: str, keys: PublishedKeys) -> Principal:
    own = public_base() + "/api/v1/"
    known = keys.verified.get(token, keys.current())
    if known is not None and known.issuer.startswith(own):
        _check_times_and_shape(known.claims)
        return _not_revoked(known.claims, known.principal)
    header, claims = peek(token)
    issuer = claims.get("iss")
    if isinstance(issuer, str) and issuer.startswith(own):
        return _verify_own(token, header, issuer, keys)
    return federation.verify(token, header, claims)


def _verify_own(token: str, header: dict[str, Any], issuer: str, keys: PublishedKeys) -> Principal:
    if header.get("typ") != "at+jwt":
        raise unauthenticated("auth.token_malformed", "the token is not an access token (typ at+jwt): use one")
    key_set = keys.for_kid(header.get("kid"))
    try:
        decoded = jwt.decode(token, key_set, algorithms=ALGORITHMS)
    except (BadSignatureError, JoseError, ValueError):
        raise unauthenticated(
            "auth.bad_signature", "the token's signature does not verify: it was altered or not issued here"
        ) from None
    claims = decoded.claims
    _check_times_and_shape(claims)
    _check_audience(claims, issuer)
    tenant_code = _tenant_of_issuer(issuer)
    if tenant_code != claims.get("tenant"):
        raise unauthenticated("auth.wrong_issuer", "the token's issuer does not match its registry: sign in again")
    principal = _not_revoked(claims, _principal(claims))
    keys.verified.put(token, VerifiedToken(key_set, issuer, claims, principal))
    return principal


def _not_revoked(claims: dict[str, Any], principal: Principal) -> Principal:
    person = UUID(principal.subject) if principal.is_user else None
    ring = identity()
    if ring.refusals.is_refused(str(claims["jti"]), person, ring.uow(principal.tenant_id)):
        raise unauthenticated("auth.token_revoked", "the token was revoked: sign in again")
    return principal


def _check_times_and_shape(claims: dict[str, Any]) -> None:
    registry = jwt.JWTClaimsRegistry(
        now=lambda: int(identity().clock.now().timestamp()),
        leeway=LEEWAY_SECONDS,
        exp={"essential": True},
        iat={"essential": True},
        sub={"essential": True},
        jti={"essential": True},
        client_id={"essential": True},
    )
    try:
        registry.validate(claims)
    except ExpiredTokenError:
        raise unauthenticated("auth.token_expired", "the token has expired: refresh it or sign in again") from None
    except ClaimError as error:
        raise unauthenticated("auth.token_malformed", f"the token is not valid here ({error}): sign in again") from None


def _check_audience(claims: dict[str, Any], issuer: str) -> None:
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if issuer not in audiences:
        raise unauthenticated("auth.wrong_audience", "the token was issued for another audience: get one for this API")


def _tenant_of_issuer(issuer: str) -> str | None:
    path = issuer.removeprefix(public_base())
    if path == PLATFORM:
        return None
    code = path.removeprefix(REGISTRIES)
    if not path.startswith(REGISTRIES) or not code or "/" in code:
        raise unauthenticated("auth.wrong_issuer", "the token's issuer is not one of this platform's: sign in here")
    return code


def _principal(claims: dict[str, Any]) -> Principal:
    tenant_id = claims.get("tenant_id")
    organization = claims.get("organization_id")
    amr = claims.get("amr") or []
    scope = claims.get("scope") or ""
    confirmation = claims.get("cnf")
    actions, accounts = claims.get("client_actions"), claims.get("client_accounts")
    return Principal(
        subject=str(claims["sub"]),
        tenant_id=UUID(tenant_id) if tenant_id else None,
        roles=parse_roles(claims.get("roles")),
        organization_id=UUID(organization) if organization else None,
        client_id=str(claims["client_id"]),
        scopes=frozenset(str(scope).split()),
        mfa_verified="otp" in amr,
        is_user=bool(amr),
        dpop_jkt=str(confirmation["jkt"]) if isinstance(confirmation, dict) and "jkt" in confirmation else None,
        client_auth=claims.get("client_auth"),
        allowed_actions=frozenset(actions) if isinstance(actions, list) else None,
        allowed_accounts=frozenset(UUID(a) for a in accounts) if isinstance(accounts, list) else None,
    )
