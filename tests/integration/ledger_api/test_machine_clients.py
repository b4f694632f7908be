"""Machine clients on the ledger: a key (private_key_jwt with DPoP) is their strong authentication for
transfers abroad, which then wait in the approvals inbox for a person; approvals need a person; an
administrator's per-client scopes (actions, accounts) are enforced; a secret alone is not strong."""

from __future__ import annotations

import json
import textwrap
import urllib.request
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from joserfc.jwk import ECKey

from gateway.auth.principal import Role
from tests.factories.auth import auth_header, bearer_token, machine_token
from tests.factories.machines import KeyMachine, key_machine
from tests.factories.wsgi import serving_app
from tests.integration.ledger_api.world import (
    Registry,
    authorization,
    authorize,
    furnish,
    issue,
    new_registry,
    transfer,
)

NO_FOUR_EYES = {"four_eyes": [], "delay_minutes": {}}
STRICT = ["approvals", "external_transfers", "key_and_policy_changes"]


@pytest.fixture
def host(app: Flask) -> Registry:
    """A registry whose policy holds nothing for approval, and which asks strong authentication abroad."""
    registry = new_registry(app, approval_policy=NO_FOUR_EYES, mfa_required_for=STRICT)
    furnish(registry, new_registry(app))
    issue(registry, 100)
    transfer(registry, 100, "issuance", "party")
    authorize(registry, 100, authorization(registry, ["NDC"]))
    return registry


def abroad(host: Registry, quantity: int = 40) -> dict[str, Any]:
    return {
        "source_account_id": host.accounts["party"],
        "external_account_id": host.accounts["partner"],
        "quantity": quantity,
    }


def machine_post(host: Registry, machine: KeyMachine, path: str, body: Any) -> Any:
    url = host.url(path)
    token = machine.token(host.app)
    return host.http.post(url, json=body, headers=machine.headers("POST", url, token))


def exchange(host: Registry, **scopes: Any) -> KeyMachine:
    return key_machine(host.app, host.tenant.code, [Role.REGISTRY_ADMIN], **scopes)


def test_a_key_machine_transfers_abroad_a_person_approves_it_in_the_inbox_and_it_executes(host: Registry) -> None:
    machine = exchange(
        host, allowed_actions=["international-transfers"], allowed_accounts=[UUID(host.accounts["party"])]
    )

    requested = machine_post(host, machine, "/transactions/international-transfers", abroad(host))

    assert requested.status_code == 201, requested.get_json()
    held = requested.get_json()
    assert (held["type"], held["status"]) == ("first_transfer", "awaiting_approval")  # the policy holds nothing
    inbox = host.read("/transactions", role=Role.APPROVER, status="awaiting_approval")
    assert [t["id"] for t in inbox["items"]] == [held["transaction_id"]]

    approved = host.ok(f"/transactions/{held['transaction_id']}/approval", role=Role.APPROVER, status=200)

    assert approved["status"] == "awaiting_acceptance"
    assert len(host.outbox_data("ledger.transfer.international_requested.v1")) == 1  # sent to the acquiring registry


def test_a_machine_cannot_approve_even_with_its_key(host: Registry) -> None:
    held = host.ok("/transactions/international-transfers", abroad(host), role=Role.REGISTRY_ADMIN)
    approver = key_machine(host.app, host.tenant.code, [Role.APPROVER])

    answer = machine_post(host, approver, f"/transactions/{held['transaction_id']}/approval", None)

    assert answer.status_code == 403
    assert answer.get_json()["code"] == "auth.person_required"
    assert "approvals inbox" in answer.get_json()["detail"]


def test_a_machine_with_a_secret_is_told_to_use_a_key_not_to_enrol_a_second_factor(host: Registry) -> None:
    token = machine_token(host.app, host.tenant.code, [Role.REGISTRY_ADMIN])
    before = host.counts()

    answer = host.post_as(token, "/transactions/international-transfers", abroad(host))

    assert answer.status_code == 403
    assert answer.get_json()["code"] == "auth.mfa_required"
    assert "private_key_jwt" in answer.get_json()["detail"]
    assert "/me/mfa" not in answer.get_json()["detail"]
    assert host.counts() == before


def test_a_key_machine_without_dpop_is_not_strongly_authenticated(host: Registry) -> None:
    machine = exchange(host)
    token = machine.token(host.app, dpop=False)

    answer = host.post_as(token, "/transactions/international-transfers", abroad(host))

    assert (answer.status_code, answer.get_json()["code"]) == (403, "auth.mfa_required")


def test_an_action_outside_the_clients_scopes_is_refused_and_changes_nothing(host: Registry) -> None:
    machine = exchange(host, allowed_actions=["ndc-uses"])
    before = host.counts()

    answer = machine_post(host, machine, "/transactions/international-transfers", abroad(host))

    assert answer.status_code == 403
    assert answer.get_json()["code"] == "client.out_of_scope"
    assert "international-transfers" in answer.get_json()["detail"]
    assert host.counts() == before


def test_an_account_outside_the_clients_scopes_is_refused_and_changes_nothing(host: Registry) -> None:
    machine = exchange(host, allowed_accounts=[UUID(host.accounts["issuance"])])
    before = host.counts()

    answer = machine_post(host, machine, "/transactions/international-transfers", abroad(host))

    assert answer.status_code == 403
    assert answer.get_json()["code"] == "client.out_of_scope"
    assert host.accounts["party"] in answer.get_json()["detail"]
    assert host.counts() == before


def test_an_administrator_sets_a_clients_scopes_over_http(host: Registry) -> None:
    machine_key = key_machine(host.app, host.tenant.code, [Role.AUDITOR]).key
    body = {
        "name": "Broker",
        "roles": ["registry_admin"],
        "jwk": machine_key.as_dict(private=False),
        "allowed_actions": ["retirements"],
        "allowed_accounts": [host.accounts["party"]],
    }

    created = host.ok("/clients", body)

    assert (created["allowed_actions"], created["allowed_accounts"]) == (["retirements"], [host.accounts["party"]])
    unknown = host.post("/clients", body | {"allowed_actions": ["teleport"]})
    assert (unknown.status_code, unknown.get_json()["code"]) == (422, "request.invalid")


def test_people_are_still_told_where_to_enrol_a_second_factor(host: Registry) -> None:
    token = bearer_token(host.app, host.tenant.code, [Role.REGISTRY_ADMIN])

    answer = host.http.post(
        host.url("/transactions/international-transfers"), json=abroad(host), headers=auth_header(token)
    )

    assert answer.get_json()["code"] == "auth.mfa_required"
    assert f"POST http://localhost{host.url('/me/mfa')}" in answer.get_json()["detail"]


def documented_client() -> dict[str, Any]:
    """The functions of the worked example in docs/identity.md, run as written."""
    text = (Path(__file__).parents[3] / "docs" / "identity.md").read_text()
    block = text.split("<!-- machine-client-example -->", 1)[1].split("```python", 1)[1].split("```", 1)[0]
    namespace: dict[str, Any] = {}
    exec(textwrap.dedent(block), namespace)  # noqa: S102 - the documentation's own example
    return namespace


def http_post(url: str, body: Any, token: str) -> Any:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    request = urllib.request.Request(url, data=json.dumps(body or {}).encode(), headers=headers)  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - the test's own loopback server
        return json.load(answer)


def test_over_http_the_documented_key_client_transfers_abroad_a_person_approves_and_it_executes(
    host: Registry,
) -> None:
    client, key = documented_client(), ECKey.generate_key("P-256", auto_kid=True)
    with serving_app(host.app) as base:
        registry = f"{base}{host.url('')}"
        admin = bearer_token(host.app, host.tenant.code, [Role.REGISTRY_ADMIN], mfa=True, base_url=base)
        registration = {
            "name": "Exchange",
            "roles": ["registry_admin"],
            "jwk": key.as_dict(private=False),
            "allowed_actions": ["international-transfers"],
            "allowed_accounts": [host.accounts["party"]],
        }
        client_id = http_post(f"{registry}/clients", registration, admin)["client_id"]

        token = client["get_token"](registry, client_id, key)
        held = client["post"](f"{registry}/transactions/international-transfers", abroad(host), token, key)

        assert (held["type"], held["status"]) == ("first_transfer", "awaiting_approval")
        approver = bearer_token(host.app, host.tenant.code, [Role.APPROVER], mfa=True, base_url=base)
        approved = http_post(f"{registry}/transactions/{held['transaction_id']}/approval", None, approver)

    assert approved["status"] == "awaiting_acceptance"
    assert len(host.outbox_data("ledger.transfer.international_requested.v1")) == 1


def test_a_machine_cannot_approve_a_trusted_account(host: Registry) -> None:
    party = host.read(f"/accounts/{host.accounts['party']}")["number"]
    partner = host.read(f"/accounts/{host.accounts['partner']}")
    proposed = host.ok(
        f"/accounts/{party}/trusted-accounts",
        {"account_number": partner["number"], "registry_id": partner["external_registry_id"]},
    )
    approver = key_machine(host.app, host.tenant.code, [Role.APPROVER])

    [entry] = proposed["items"]
    answer = machine_post(host, approver, f"/accounts/{party}/trusted-accounts/{entry['id']}/approval", None)

    assert (answer.status_code, answer.get_json()["code"]) == (403, "auth.person_required")
    assert [e["status"] for e in host.read(f"/accounts/{party}/trusted-accounts")["items"]] == ["proposed"]
