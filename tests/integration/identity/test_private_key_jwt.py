"""Machine clients with their own key (private_key_jwt, RFC 7523): registered with a public JWK, they sign an
assertion for each token; a wrong key, an expired, overlong or replayed assertion or a wrong audience is refused."""

from __future__ import annotations

import time

import pytest
from flask import Flask
from flask.testing import FlaskClient
from joserfc.jwk import ECKey

from gateway.auth.assertions import WRONG_KEY
from gateway.auth.principal import Role
from tenants.domain.model import Tenant
from tests.factories.auth import auth_header, bearer_token, client_credentials_token, machine_client, realm_path
from tests.factories.machines import ASSERTION_TYPE, key_machine, new_key
from tests.integration.identity.test_flows import claims_of


def refusal(answer: object) -> tuple[int, str, str]:
    body = answer.get_json()  # type: ignore[attr-defined]
    return answer.status_code, body["error"], body.get("error_description", "")  # type: ignore[attr-defined]


def test_an_administrator_registers_a_client_with_a_public_key_and_it_gets_no_secret(
    app: Flask, http: FlaskClient, tenant: Tenant
) -> None:
    admin = bearer_token(app, tenant.code, [Role.REGISTRY_ADMIN], mfa=True)
    key = new_key()
    body = {"name": "Exchange gateway", "roles": ["auditor"], "jwk": key.as_dict(private=False)}

    answer = http.post(f"{realm_path(tenant.code)}/clients", json=body, headers=auth_header(admin))

    assert answer.status_code == 201, answer.get_json()
    created = answer.get_json()
    assert "client_secret" not in created
    assert created["token_endpoint_auth_methods"] == ["private_key_jwt"]
    assert created["public_jwks"] == {"keys": [key.as_dict(private=False)]}


def test_a_private_key_is_refused_at_registration_and_nothing_is_stored(
    app: Flask, http: FlaskClient, tenant: Tenant
) -> None:
    admin = auth_header(bearer_token(app, tenant.code, [Role.REGISTRY_ADMIN], mfa=True))
    body = {"name": "Leaky", "roles": ["auditor"], "jwk": new_key().as_dict(private=True)}

    answer = http.post(f"{realm_path(tenant.code)}/clients", json=body, headers=admin)

    assert answer.status_code == 422
    assert answer.get_json()["code"] == "client.invalid"
    assert "public half" in answer.get_json()["detail"]
    assert http.get(f"{realm_path(tenant.code)}/clients", headers=admin).get_json() == []


@pytest.mark.parametrize(
    "keys",
    [{"jwks": {}}, {"jwks": {"keys": "not a list"}}, {"jwks": {"keys": []}}, {"jwk": {"kty": "oct", "k": "c2VjcmV0"}}],
)
def test_a_client_without_a_usable_public_key_is_refused_not_given_a_secret(
    app: Flask, http: FlaskClient, tenant: Tenant, keys: dict[str, object]
) -> None:
    admin = auth_header(bearer_token(app, tenant.code, [Role.REGISTRY_ADMIN], mfa=True))

    answer = http.post(
        f"{realm_path(tenant.code)}/clients", json={"name": "X", "roles": ["auditor"], **keys}, headers=admin
    )

    assert (answer.status_code, answer.get_json()["code"]) == (422, "client.invalid")
    assert http.get(f"{realm_path(tenant.code)}/clients", headers=admin).get_json() == []


def test_a_signed_assertion_gets_a_token_for_the_client(app: Flask, http: FlaskClient, tenant: Tenant) -> None:
    machine = key_machine(app, tenant.code, [Role.AUDITOR])

    token = machine.token(app, dpop=False)

    claims = claims_of(http, tenant, token)
    assert (claims["sub"], claims["client_id"]) == (machine.client_id, machine.client_id)
    assert claims["client_auth"] == "private_key_jwt"
    assert http.get(f"{realm_path(tenant.code)}/me", headers=auth_header(token)).status_code == 200


@pytest.mark.parametrize("same_kid", [True, False])
def test_an_assertion_signed_with_another_key_is_refused(app: Flask, tenant: Tenant, same_kid: bool) -> None:
    machine = key_machine(app, tenant.code, [Role.AUDITOR])
    other = ECKey.generate_key("P-256", parameters={"kid": machine.key.kid} if same_kid else None, auto_kid=True)

    answer = machine.token_answer(app, dpop=False, assertion=machine.assertion(key=other))

    assert refusal(answer) == (400, "invalid_client", WRONG_KEY)


def test_an_expired_assertion_is_refused(app: Flask, tenant: Tenant) -> None:
    machine = key_machine(app, tenant.code, [Role.AUDITOR])
    past = int(time.time()) - 600

    answer = machine.token_answer(app, dpop=False, assertion=machine.assertion(iat=past - 60, exp=past))

    assert refusal(answer)[1:] == (
        "invalid_client",
        "the client assertion has expired: sign a new one for each token request",
    )


def test_an_assertion_that_lives_too_long_is_refused(app: Flask, tenant: Tenant) -> None:
    machine = key_machine(app, tenant.code, [Role.AUDITOR])

    answer = machine.token_answer(app, dpop=False, assertion=machine.assertion(exp=int(time.time()) + 3600))

    assert refusal(answer)[1] == "invalid_client"
    assert "lives too long" in refusal(answer)[2]


def test_a_replayed_assertion_is_refused(app: Flask, tenant: Tenant) -> None:
    machine = key_machine(app, tenant.code, [Role.AUDITOR])
    assertion = machine.assertion()
    assert machine.token_answer(app, dpop=False, assertion=assertion).status_code == 200

    again = machine.token_answer(app, dpop=False, assertion=assertion)

    assert refusal(again)[1] == "invalid_client"
    assert "used before" in refusal(again)[2]


@pytest.mark.parametrize(
    "audience",
    ["http://localhost/api/v1/registries/elsewhere/oauth/token", "https://example.org/token"],
)
def test_an_assertion_for_another_audience_is_refused(app: Flask, tenant: Tenant, audience: str) -> None:
    machine = key_machine(app, tenant.code, [Role.AUDITOR])

    answer = machine.token_answer(app, dpop=False, assertion=machine.assertion(aud=audience))

    assert refusal(answer)[1] == "invalid_client"
    assert (
        refusal(answer)[2] == f"the client assertion's aud must be this registry's token endpoint, {machine.token_url}"
    )


def test_an_assertion_for_another_registrys_client_is_refused(app: Flask, tenant: Tenant, other_tenant: Tenant) -> None:
    machine = key_machine(app, other_tenant.code, [Role.AUDITOR])
    here = key_machine(app, tenant.code, [Role.AUDITOR])
    assertion = machine.assertion(aud=here.token_url)

    answer = app.test_client().post(here.token_url, data=here.token_form(assertion))

    assert refusal(answer)[1] == "invalid_client"


def test_a_key_client_cannot_use_a_secret_and_secret_clients_are_unchanged(app: Flask, tenant: Tenant) -> None:
    client_id, secret = machine_client(app, tenant.code, [Role.AUDITOR])
    assert client_credentials_token(app, tenant.code, client_id, secret)
    machine = key_machine(app, tenant.code, [Role.AUDITOR])

    answer = app.test_client().post(
        machine.token_url,
        data={"grant_type": "client_credentials", "client_id": machine.client_id, "client_secret": "guess"},
    )

    assert refusal(answer)[1] == "invalid_client"
    assert ASSERTION_TYPE  # the assertion type a key client must use


def test_a_refused_assertion_is_audited_under_the_client_it_names(
    app: Flask, http: FlaskClient, tenant: Tenant
) -> None:
    machine = key_machine(app, tenant.code, [Role.AUDITOR])
    machine.token_answer(app, dpop=False, assertion=machine.assertion(key=new_key()))
    auditor = bearer_token(app, tenant.code, [Role.AUDITOR])

    entries = http.get(
        f"{realm_path(tenant.code)}/audit-events",
        query_string={"action": "POST /api/v1/registries/{registry}/oauth/token"},
        headers=auth_header(auditor),
    ).get_json()

    assert [e["client_id"] for e in entries if e["status"] == 400] == [machine.client_id]
