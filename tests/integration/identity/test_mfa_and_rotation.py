"""Second factor where the registry requires it; key rotation without logging anyone out."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from joserfc import jws

from gateway.auth.principal import Role
from gateway.bootstrap import platform_of
from services.shared.clock import FixedClock
from tenants.domain.model import Tenant
from tests.factories.auth import auth_header, bearer_token, realm_path
from tests.integration.identity.conftest import new_tenant

CLIENT = {"name": "ETL", "roles": ["auditor"]}


def test_a_registry_that_requires_mfa_refuses_without_it(app: Flask, http: FlaskClient) -> None:
    strict = new_tenant(app, mfa_required_for=["key_and_policy_changes"])
    url = f"{realm_path(strict.code)}/clients"
    without = http.post(url, json=CLIENT, headers=auth_header(bearer_token(app, strict.code, [Role.REGISTRY_ADMIN])))
    assert without.status_code == 403
    assert without.get_json()["code"] == "auth.mfa_required"
    with_mfa = bearer_token(app, strict.code, [Role.REGISTRY_ADMIN], mfa=True)
    assert http.post(url, json=CLIENT, headers=auth_header(with_mfa)).status_code == 201


def test_a_registry_that_does_not_require_mfa_lets_it_be(app: Flask, http: FlaskClient) -> None:
    relaxed = new_tenant(app, mfa_required_for=[])
    token = bearer_token(app, relaxed.code, [Role.REGISTRY_ADMIN])
    assert http.post(f"{realm_path(relaxed.code)}/clients", json=CLIENT, headers=auth_header(token)).status_code == 201


def test_enrolling_a_second_factor_over_http(app: Flask, http: FlaskClient, tenant: Tenant) -> None:
    token = bearer_token(app, tenant.code, [Role.AUDITOR])
    started = http.post(f"{realm_path(tenant.code)}/me/mfa", headers=auth_header(token))
    assert started.status_code == 201
    import pyotp

    code = pyotp.TOTP(started.get_json()["secret"]).now()
    bad = http.post(f"{realm_path(tenant.code)}/me/mfa/confirm", json={"code": "000000"}, headers=auth_header(token))
    assert bad.status_code == 422
    confirmed = http.post(f"{realm_path(tenant.code)}/me/mfa/confirm", json={"code": code}, headers=auth_header(token))
    assert confirmed.status_code == 204


def kid_of(token: str) -> str:
    return str(jws.extract_compact(token.encode()).headers()["kid"])


def test_rotation_keeps_old_tokens_valid_until_they_expire(app: Flask, http: FlaskClient, tenant: Tenant) -> None:
    identity = platform_of(app).identity
    old = bearer_token(app, tenant.code, [Role.AUDITOR])
    identity.keys.rotate(identity.uow(None))
    new = bearer_token(app, tenant.code, [Role.AUDITOR])
    assert kid_of(old) != kid_of(new)
    published = {k["kid"] for k in http.get(f"{realm_path(tenant.code)}/oauth/jwks.json").get_json()["keys"]}
    assert {kid_of(old), kid_of(new)} <= published
    for token in (old, new):
        assert http.get(f"{realm_path(tenant.code)}/users", headers=auth_header(token)).status_code == 200
    later = FixedClock(identity.clock.now() + timedelta(minutes=7))
    object.__setattr__(identity.credentials, "clock", later)
    object.__setattr__(identity.keys, "clock", later)
    published = {k["kid"] for k in http.get(f"{realm_path(tenant.code)}/oauth/jwks.json").get_json()["keys"]}
    assert kid_of(old) not in published
    assert kid_of(new) in published
