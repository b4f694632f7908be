"""DPoP (RFC 9449): a machine client that sends a proof gets a token bound to its key; each request with that
token must carry a fresh proof from the same key, for that method and URL, with the token's hash."""

from __future__ import annotations

import time

import pytest
from flask import Flask
from flask.testing import FlaskClient
from joserfc import jwt

from gateway.auth.principal import Role
from tenants.domain.model import Tenant
from tests.factories.auth import auth_header, realm_path
from tests.factories.machines import BASE, KeyMachine, key_machine, new_key
from tests.integration.identity.test_flows import claims_of


@pytest.fixture
def machine(app: Flask, tenant: Tenant) -> KeyMachine:
    return key_machine(app, tenant.code, [Role.AUDITOR])


def me(tenant: Tenant) -> str:
    return f"{realm_path(tenant.code)}/me"


def test_a_proof_at_the_token_endpoint_binds_the_token_to_its_key(
    app: Flask, http: FlaskClient, tenant: Tenant, machine: KeyMachine
) -> None:
    answer = machine.token_answer(app)

    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["token_type"] == "DPoP"
    claims = claims_of(http, tenant, answer.get_json()["access_token"])
    assert claims["cnf"] == {"jkt": machine.dpop_key.thumbprint()}


def test_a_bound_token_with_a_valid_proof_is_accepted_and_counts_as_strong(
    app: Flask, http: FlaskClient, tenant: Tenant, machine: KeyMachine
) -> None:
    token = machine.token(app)

    answer = http.get(me(tenant), headers=machine.headers("GET", me(tenant), token))

    assert answer.status_code == 200, answer.get_json()
    assert (answer.get_json()["subject"], answer.get_json()["mfa_verified"]) == (machine.client_id, True)


def refused(answer: object) -> tuple[int, str]:
    return answer.status_code, answer.get_json()["code"]  # type: ignore[attr-defined]


def test_a_bound_token_sent_as_a_bearer_token_is_refused(
    app: Flask, http: FlaskClient, tenant: Tenant, machine: KeyMachine
) -> None:
    answer = http.get(me(tenant), headers=auth_header(machine.token(app)))

    assert refused(answer) == (401, "auth.dpop_required")
    assert answer.headers["WWW-Authenticate"].startswith("DPoP ")


def test_a_bound_token_without_a_proof_is_refused(
    app: Flask, http: FlaskClient, tenant: Tenant, machine: KeyMachine
) -> None:
    answer = http.get(me(tenant), headers={"Authorization": f"DPoP {machine.token(app)}"})

    assert refused(answer) == (401, "auth.dpop_proof_invalid")
    assert 'error="invalid_dpop_proof"' in answer.headers["WWW-Authenticate"]


def test_a_proof_from_another_key_is_refused(
    app: Flask, http: FlaskClient, tenant: Tenant, machine: KeyMachine
) -> None:
    token = machine.token(app)
    proof = machine.proof("GET", f"{BASE}{me(tenant)}", token, key=new_key())

    answer = http.get(me(tenant), headers={"Authorization": f"DPoP {token}", "DPoP": proof})

    assert refused(answer) == (401, "auth.dpop_key_mismatch")


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"htm": "POST"}, "htm"),
        ({"htu": f"{BASE}/api/v1/registries/elsewhere/me"}, "htu"),
        ({"iat": -600}, "iat"),  # seconds from now, when the test runs: a proof made ten minutes ago
        ({"iat": 600}, "iat"),  # and one dated ten minutes ahead
        ({"ath": "not-the-hash-of-the-token"}, "ath"),
    ],
)
def test_a_proof_for_another_request_or_time_or_token_is_refused(
    app: Flask, http: FlaskClient, tenant: Tenant, machine: KeyMachine, change: dict[str, object], complaint: str
) -> None:
    token = machine.token(app)
    if "iat" in change:  # the time is taken now, not when the tests were collected minutes earlier
        change = {"iat": int(time.time()) + int(change["iat"])}  # type: ignore[call-overload]
    proof = machine.proof("GET", f"{BASE}{me(tenant)}", token, **change)

    answer = http.get(me(tenant), headers={"Authorization": f"DPoP {token}", "DPoP": proof})

    assert refused(answer) == (401, "auth.dpop_proof_invalid")
    assert complaint in answer.get_json()["detail"]


def test_a_replayed_proof_is_refused(app: Flask, http: FlaskClient, tenant: Tenant, machine: KeyMachine) -> None:
    token = machine.token(app)
    headers = machine.headers("GET", me(tenant), token)
    assert http.get(me(tenant), headers=headers).status_code == 200

    again = http.get(me(tenant), headers=headers)

    assert refused(again) == (401, "auth.dpop_proof_invalid")
    assert "used before" in again.get_json()["detail"]


def test_a_proof_signed_by_another_key_than_its_header_names_is_refused(
    app: Flask, http: FlaskClient, tenant: Tenant, machine: KeyMachine
) -> None:
    token = machine.token(app)
    forged = jwt.encode(
        {"typ": "dpop+jwt", "alg": "ES256", "jwk": machine.dpop_key.as_dict(private=False)},
        {"jti": "x1", "htm": "GET", "htu": f"{BASE}{me(tenant)}", "iat": int(time.time())},
        new_key(),
    )

    answer = http.get(me(tenant), headers={"Authorization": f"DPoP {token}", "DPoP": forged})

    assert refused(answer) == (401, "auth.dpop_proof_invalid")


def test_an_unbound_token_sent_with_the_dpop_scheme_is_refused(
    app: Flask, http: FlaskClient, tenant: Tenant, machine: KeyMachine
) -> None:
    answer = http.get(me(tenant), headers={"Authorization": f"DPoP {machine.token(app, dpop=False)}"})

    assert refused(answer) == (401, "auth.token_not_bound")


def test_a_bad_proof_at_the_token_endpoint_gets_no_token(app: Flask, machine: KeyMachine) -> None:
    proof = machine.proof("POST", "http://localhost/somewhere/else")

    answer = app.test_client().post(machine.token_url, data=machine.token_form(), headers={"DPoP": proof})

    assert answer.status_code == 400
    assert answer.get_json()["error"] == "invalid_dpop_proof"
    assert "htu" in answer.get_json()["error_description"]


@pytest.mark.parametrize("private", [True, False])
def test_a_proof_with_a_private_or_secret_key_in_its_header_is_refused(
    app: Flask, machine: KeyMachine, private: bool
) -> None:
    header_key = machine.dpop_key.as_dict(private=True) if private else {"kty": "oct", "k": "c2VjcmV0"}
    leaky = jwt.encode(
        {"typ": "dpop+jwt", "alg": "ES256", "jwk": header_key},
        {"jti": "x2", "htm": "POST", "htu": machine.token_url, "iat": int(time.time())},
        machine.dpop_key,
    )

    answer = app.test_client().post(machine.token_url, data=machine.token_form(), headers={"DPoP": leaky})

    assert (answer.status_code, answer.get_json()["error"]) == (400, "invalid_dpop_proof")
