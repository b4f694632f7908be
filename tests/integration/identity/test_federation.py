"""A registry's own identity provider: its tokens count on that registry only."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from joserfc import jwt
from joserfc.jwk import RSAKey

from gateway.auth.principal import Role
from tenants.domain.model import Tenant
from tests.factories.auth import auth_header, bearer_token, realm_path
from tests.integration.identity.conftest import new_tenant
from tests.integration.identity.issuer import LocalIssuer, running_issuer

AUDIENCE = "urn:registry:test"


@pytest.fixture
def issuer() -> Iterator[LocalIssuer]:
    with running_issuer() as running:
        yield running


@pytest.fixture
def federated(app: Flask, http: FlaskClient, issuer: LocalIssuer) -> Tenant:
    tenant = new_tenant(app, mfa_required_for=[])
    admin = bearer_token(app, tenant.code, [Role.REGISTRY_ADMIN])
    pinned = http.post(
        f"{realm_path(tenant.code)}/identity-providers",
        json={
            "issuer": issuer.base,
            "audience": AUDIENCE,
            "jwks_url": issuer.jwks_url,
            "role_claim": "groups",
            "role_mapping": {"registry-auditors": "auditor"},
        },
        headers=auth_header(admin),
    )
    assert pinned.status_code == 201, pinned.get_json()
    return tenant


def users(http: FlaskClient, tenant: Tenant, token: str) -> tuple[int, dict[str, object]]:
    answer = http.get(f"{realm_path(tenant.code)}/users", headers=auth_header(token))
    return answer.status_code, answer.get_json()


def test_a_pinned_issuers_token_is_accepted_with_mapped_roles(
    http: FlaskClient, federated: Tenant, issuer: LocalIssuer
) -> None:
    token = issuer.token(AUDIENCE, groups=["registry-auditors", "staff"])
    assert users(http, federated, token)[0] == 200
    me = http.get(f"{realm_path(federated.code)}/me", headers=auth_header(token)).get_json()
    assert me["roles"] == ["auditor"]
    assert me["subject"] == f"{issuer.base}#ext-user-1"


def test_unmapped_groups_give_no_roles(http: FlaskClient, federated: Tenant, issuer: LocalIssuer) -> None:
    assert users(http, federated, issuer.token(AUDIENCE, groups=["staff"]))[0] == 403


def test_the_same_token_is_refused_by_another_registry(
    http: FlaskClient, federated: Tenant, other_tenant: Tenant, issuer: LocalIssuer
) -> None:
    status, body = users(http, other_tenant, issuer.token(AUDIENCE, groups=["registry-auditors"]))
    assert (status, body["code"]) == (401, "auth.wrong_issuer")


def test_wrong_audience_expired_and_foreign_keys_are_refused(
    http: FlaskClient, federated: Tenant, issuer: LocalIssuer
) -> None:
    impostor = RSAKey.generate_key(2048, parameters={"alg": "RS256"}, private=True, auto_kid=True)
    now = int(time.time())
    forged = jwt.encode(
        {"alg": "RS256", "kid": impostor.kid},
        {"iss": issuer.base, "aud": AUDIENCE, "sub": "x", "exp": now + 300, "groups": ["registry-auditors"]},
        impostor,
    )
    cases = {
        "auth.wrong_audience": issuer.token("urn:someone-else", groups=["registry-auditors"]),
        "auth.token_expired": issuer.token(AUDIENCE, exp=now - 600, groups=["registry-auditors"]),
        "auth.bad_signature": forged,
    }
    for code, token in cases.items():
        status, body = users(http, federated, token)
        assert (status, body["code"]) == (401, code)


def test_an_insecure_jwks_url_cannot_be_pinned(app: Flask, http: FlaskClient) -> None:
    tenant = new_tenant(app, mfa_required_for=[])
    admin = bearer_token(app, tenant.code, [Role.REGISTRY_ADMIN])
    answer = http.post(
        f"{realm_path(tenant.code)}/identity-providers",
        json={"issuer": "http://idp.example.com", "audience": "a", "jwks_url": "http://idp.example.com/jwks"},
        headers=auth_header(admin),
    )
    assert answer.status_code == 422
    assert "https" in answer.get_json()["detail"]
