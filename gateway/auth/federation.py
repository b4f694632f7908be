"""Tokens from a registry's own identity provider: accepted on that registry's paths only.

The issuer, audience, algorithms and JWKS URL come from the registry's pinned configuration, never
from the token. JWKS documents are cached per URL and fetched again when an unknown kid appears.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from typing import Any

from joserfc import jwt
from joserfc.errors import BadSignatureError, ClaimError, ExpiredTokenError, JoseError
from joserfc.jwk import KeySet

from gateway.auth.errors import unauthenticated
from gateway.auth.principal import Principal
from gateway.auth.realm import path_tenant, realm_uow
from services.identity.domain.federation import IdentityProvider
from services.identity.service_layer.federation import provider_for

CACHE_SECONDS = 300
REFETCH_AT_MOST_EVERY = 10


class JwksCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[float, KeySet]] = {}

    def keys(self, url: str, kid: str | None) -> KeySet:
        with self._lock:
            fetched_at, keys = self._entries.get(url, (0.0, KeySet([])))
        age = time.monotonic() - fetched_at
        unknown_kid = kid is not None and all(k.kid != kid for k in keys.keys)
        if age > CACHE_SECONDS or (unknown_kid and age > REFETCH_AT_MOST_EVERY):
            keys = _fetch(url)
            with self._lock:
                self._entries[url] = (time.monotonic(), keys)
        return keys


def _fetch(url: str) -> KeySet:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - URL is pinned and checked https/loopback
            document = json.loads(response.read(1_000_000))
        return KeySet.import_key_set(document)
    except (OSError, ValueError, JoseError):
        raise unauthenticated(
            "auth.issuer_unreachable", "the registry's identity provider keys cannot be fetched now: try again later"
        ) from None


CACHE = JwksCache()


def verify(token: str, header: dict[str, Any], claims: dict[str, Any]) -> Principal:
    tenant = path_tenant()
    issuer = claims.get("iss")
    provider = provider_for(issuer, realm_uow()) if tenant and isinstance(issuer, str) else None
    if tenant is None or provider is None:
        raise unauthenticated("auth.wrong_issuer", "this registry does not trust the token's issuer: sign in here")
    try:
        decoded = jwt.decode(token, CACHE.keys(provider.jwks_url, header.get("kid")), algorithms=provider.algorithms)
    except (BadSignatureError, JoseError, ValueError):
        raise unauthenticated(
            "auth.bad_signature", "the token's signature does not verify with the provider's keys"
        ) from None
    _validate(decoded.claims, provider)
    return Principal(
        subject=f"{provider.issuer}#{decoded.claims['sub']}",
        tenant_id=tenant.id,
        roles=provider.roles_from(decoded.claims),
        client_id=str(decoded.claims.get("azp") or decoded.claims.get("client_id") or provider.audience),
        scopes=frozenset(str(decoded.claims.get("scope") or "").split()),
        mfa_verified=_mfa(decoded.claims),
        is_user=True,
    )


def _validate(claims: dict[str, Any], provider: IdentityProvider) -> None:
    audience = claims.get("aud")
    if provider.audience not in (audience if isinstance(audience, list) else [audience]):
        raise unauthenticated("auth.wrong_audience", "the token was issued for another audience than this registry")
    registry = jwt.JWTClaimsRegistry(
        leeway=30, iss={"essential": True, "value": provider.issuer}, exp={"essential": True}, sub={"essential": True}
    )
    try:
        registry.validate(claims)
    except ExpiredTokenError:
        raise unauthenticated("auth.token_expired", "the token has expired: sign in again at your provider") from None
    except ClaimError as error:
        raise unauthenticated("auth.token_malformed", f"the token is not valid here ({error})") from None


def _mfa(claims: dict[str, Any]) -> bool:
    amr = claims.get("amr") or []
    return isinstance(amr, list) and any(v in ("mfa", "otp", "hwk", "swk") for v in amr)
