"""Missing, malformed, expired, tampered, wrongly signed and wrong-audience tokens: 401 saying which."""

from __future__ import annotations

import base64
import json
import time
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from joserfc import jwt
from joserfc.jwk import ECKey, import_key

from gateway.auth.principal import Role
from gateway.bootstrap import platform_of
from services.shared.clock import FixedClock
from tenants.domain.model import Tenant
from tests.factories.auth import auth_header, bearer_token, realm_path


def signed(app: Flask, claims: dict[str, object], key: ECKey | None = None, typ: str = "at+jwt") -> str:
    identity = platform_of(app).identity
    private = key or import_key(identity.keys.active_private_jwk(identity.uow(None)))
    return jwt.encode({"alg": "ES256", "typ": typ, "kid": private.kid}, claims, private)


def good_claims(tenant: Tenant) -> dict[str, object]:
    issuer = f"http://localhost{realm_path(tenant.code)}"
    now = int(time.time())
    return {
        "iss": issuer,
        "aud": issuer,
        "sub": "someone",
        "client_id": "registry-console",
        "iat": now,
        "exp": now + 300,
        "jti": "j-1",
        "tenant": tenant.code,
        "tenant_id": str(tenant.id),
        "roles": ["auditor"],
        "scope": "registry",
    }


def me(http: FlaskClient, tenant: Tenant, headers: dict[str, str]) -> tuple[int, str]:
    answer = http.get(f"{realm_path(tenant.code)}/users", headers=headers)
    assert answer.mimetype == "application/problem+json"
    return answer.status_code, answer.get_json()["code"]


def test_our_own_signature_with_good_claims_is_accepted(app: Flask, http: FlaskClient, tenant: Tenant) -> None:
    assert (
        http.get(f"{realm_path(tenant.code)}/users", headers=auth_header(signed(app, good_claims(tenant)))).status_code
        == 200
    )


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "auth.token_missing"),
        ({"Authorization": "Basic abc"}, "auth.token_missing"),
        ({"Authorization": "Bearer not-a-jwt"}, "auth.token_malformed"),
    ],
)
def test_missing_and_malformed(http: FlaskClient, tenant: Tenant, headers: dict[str, str], code: str) -> None:
    assert me(http, tenant, headers) == (401, code)


def test_each_bad_token_says_what_is_wrong(app: Flask, http: FlaskClient, tenant: Tenant) -> None:
    claims = good_claims(tenant)
    stranger = ECKey.generate_key("P-256", parameters={"alg": "ES256"}, private=True, auto_kid=True)
    cases = {
        "auth.bad_signature": signed(app, claims, key=stranger),
        "auth.wrong_audience": signed(app, {**claims, "aud": "https://elsewhere.example"}),
        "auth.wrong_issuer": signed(app, {**claims, "iss": "https://idp.example", "aud": "x"}),
        "auth.token_malformed": signed(app, claims, typ="JWT"),
        "auth.token_expired": signed(app, {**claims, "iat": 1, "exp": 100}),
    }
    for code, token in cases.items():
        assert me(http, tenant, auth_header(token)) == (401, code), code


def test_a_tampered_token_has_a_bad_signature(app: Flask, http: FlaskClient, tenant: Tenant) -> None:
    token = bearer_token(app, tenant.code, [Role.AUDITOR])
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["roles"] = ["registry_admin"]
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    status, code = me(http, tenant, auth_header(f"{header}.{forged}.{signature}"))
    assert (status, code) == (401, "auth.bad_signature")


def test_a_token_expires_with_the_clock(app: Flask, http: FlaskClient, tenant: Tenant) -> None:
    token = bearer_token(app, tenant.code, [Role.AUDITOR])
    identity = platform_of(app).identity
    clock = FixedClock(identity.clock.now() + timedelta(minutes=6))
    object.__setattr__(identity.credentials, "clock", clock)
    status, code = me(http, tenant, auth_header(token))
    assert (status, code) == (401, "auth.token_expired")
    assert http.get(f"{realm_path(tenant.code)}/users", headers=auth_header(token)).headers["WWW-Authenticate"]


def test_a_token_of_another_registry_answers_like_a_missing_resource(
    app: Flask, http: FlaskClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    token = bearer_token(app, other_tenant.code, [Role.REGISTRY_ADMIN])
    foreign = http.get(f"{realm_path(tenant.code)}/users", headers=auth_header(token))
    missing = http.get(f"{realm_path('no-such-registry')}/users", headers=auth_header(token))
    assert foreign.status_code == missing.status_code == 404
    assert foreign.get_json().keys() == missing.get_json().keys()


def test_the_wrong_role_is_forbidden(app: Flask, http: FlaskClient, tenant: Tenant) -> None:
    token = bearer_token(app, tenant.code, [Role.APPROVER])
    assert me(http, tenant, auth_header(token)) == (403, "auth.forbidden")
