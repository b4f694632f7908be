"""A process remembers the own tokens it verified: the next request skips the signature, never the checks
that can change (the times, the revocation list, the key set the signature was checked with)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from joserfc import jwt
from joserfc.jwk import KeySet

from gateway.auth import tokens
from gateway.auth.clients import CONSOLE_CLIENT_ID
from gateway.auth.principal import Principal, Role
from gateway.auth.tokens import PublishedKeys, VerifiedToken, VerifiedTokens
from gateway.bootstrap import platform_of
from services.shared.clock import FixedClock
from tenants.domain.model import Tenant
from tests.factories.auth import auth_header, bearer_token, realm_path


def me(http: FlaskClient, tenant: Tenant, token: str) -> tuple[int, str | None]:
    answer = http.get(f"{realm_path(tenant.code)}/me", headers=auth_header(token))
    return answer.status_code, (answer.get_json() or {}).get("code")


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    decode = jwt.decode

    def counted(token: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(str(token))
        return decode(token, *args, **kwargs)

    monkeypatch.setattr(tokens.jwt, "decode", counted)
    return seen


def test_a_token_is_verified_once_and_then_remembered(
    app: Flask, http: FlaskClient, tenant: Tenant, decodes: list[str]
) -> None:
    token = bearer_token(app, tenant.code, [Role.AUDITOR])
    assert [me(http, tenant, token)[0] for _ in range(3)] == [200, 200, 200]
    assert decodes == [token]


def test_a_remembered_token_still_expires_with_the_clock(app: Flask, http: FlaskClient, tenant: Tenant) -> None:
    token = bearer_token(app, tenant.code, [Role.AUDITOR])
    assert me(http, tenant, token) == (200, None)
    identity = platform_of(app).identity
    object.__setattr__(identity.credentials, "clock", FixedClock(identity.clock.now() + timedelta(minutes=6)))
    assert me(http, tenant, token) == (401, "auth.token_expired")


def test_a_remembered_token_is_refused_once_revoked(app: Flask, http: FlaskClient, tenant: Tenant) -> None:
    token = bearer_token(app, tenant.code, [Role.AUDITOR])
    assert me(http, tenant, token) == (200, None)
    form = {"token": token, "client_id": CONSOLE_CLIENT_ID}
    revoked = http.post(f"{realm_path(tenant.code)}/oauth/revoke", data=form)
    assert revoked.status_code == 200
    assert me(http, tenant, token) == (401, "auth.token_revoked")


def test_what_was_remembered_lapses_with_the_key_set_it_was_checked_with(
    app: Flask, http: FlaskClient, tenant: Tenant, monkeypatch: pytest.MonkeyPatch, decodes: list[str]
) -> None:
    token = bearer_token(app, tenant.code, [Role.AUDITOR])
    assert me(http, tenant, token) == (200, None)
    keys: PublishedKeys = app.extensions["auth.keys"]
    ring = type(platform_of(app).identity.keys)
    monkeypatch.setattr(ring, "published", lambda _ring, _uow: [])  # the key left the ring
    keys.invalidate()
    assert me(http, tenant, token) == (401, "auth.bad_signature")
    assert decodes == [token, token]


def test_a_forged_token_is_never_taken_for_a_remembered_one(app: Flask, http: FlaskClient, tenant: Tenant) -> None:
    token = bearer_token(app, tenant.code, [Role.AUDITOR])
    assert me(http, tenant, token) == (200, None)
    header, payload, signature = token.split(".")
    assert me(http, tenant, f"{header}.{payload}.{signature[:-4]}AAAA") == (401, "auth.bad_signature")


def test_the_memory_keeps_the_most_recently_used_within_its_capacity() -> None:
    remembered, key_set = VerifiedTokens(capacity=2), KeySet([])
    entry = VerifiedToken(key_set, "issuer", {}, Principal(subject="s", tenant_id=None, roles=frozenset()))
    for token in ("a", "b"):
        remembered.put(token, entry)
    assert remembered.get("a", key_set) is entry  # "a" is now the most recent
    remembered.put("c", entry)
    assert [remembered.get(t, key_set) is entry for t in ("a", "b", "c")] == [True, False, True]
    assert remembered.get("a", KeySet([])) is None  # another key set: forgotten
    assert remembered.get("a", key_set) is None
