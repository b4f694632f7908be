"""How to create an object for a path parameter, so generated tests can use real ids.

The cross-tenant matrix (tests/integration/identity/test_cross_tenant_matrix.py) fills each path
parameter of every route with the id of an object made by the factory registered for that name,
in the caller's registry ("own") and in another one ("foreign"); without a factory it uses random
UUIDs. Register a factory for each new resource type next to its tests, or here:

    @resource("account_id")
    def make_account(app: Flask, tenant_code: str) -> str:
        token = bearer_token(app, tenant_code, [Role.REGISTRY_ADMIN], mfa=True)
        answer = app.test_client().post(f"/api/v1/registries/{tenant_code}/accounts", json={...},
                                         headers=auth_header(token))
        return answer.get_json()["id"]

Factories must create through the API (or the services) and return the id as a string.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from typing import Any
from uuid import uuid4

from flask import Flask

from gateway.auth.principal import Role
from gateway.bootstrap import platform_of
from tests.factories.auth import auth_header, bearer_token, realm_path

ResourceFactory = Callable[[Flask, str], str]
FACTORIES: dict[str, ResourceFactory] = {}


def resource(parameter: str) -> Callable[[ResourceFactory], ResourceFactory]:
    def register(factory: ResourceFactory) -> ResourceFactory:
        FACTORIES[parameter] = factory
        return factory

    return register


def _admin_post(app: Flask, tenant_code: str, path: str, body: dict[str, object]) -> str:
    token = bearer_token(app, tenant_code, [Role.REGISTRY_ADMIN], mfa=True)
    answer = app.test_client().post(f"{realm_path(tenant_code)}{path}", json=body, headers=auth_header(token))
    assert answer.status_code == 201, answer.get_json()
    created: str = answer.get_json()["id"]
    return created


@resource("user_id")
def make_user(app: Flask, tenant_code: str) -> str:
    body = {"username": f"u{uuid4().hex[:12]}", "password": "a long enough password", "roles": ["auditor"]}
    return _admin_post(app, tenant_code, "/users", body)


@resource("organization_id")
def make_organization(app: Flask, tenant_code: str) -> str:
    return _admin_post(
        app, tenant_code, "/organizations", {"name": f"Org {uuid4().hex[:12]}", "kind": "buyer", "country": "GHA"}
    )


@resource("provider_id")
def make_provider(app: Flask, tenant_code: str) -> str:
    body = {
        "issuer": f"https://idp{uuid4().hex[:12]}.example.org",
        "audience": "registry",
        "jwks_url": "https://idp.example.org/jwks",
    }
    return _admin_post(app, tenant_code, "/identity-providers", body)


# The ledger (issue 3): reference data, accounts, authorizations and transactions, made over HTTP.

_approach_ids: set[str] = set()
_tokens: dict[tuple[int, str, Role], str] = {}


def _token(app: Flask, tenant_code: str, role: Role) -> str:
    key = (id(app), tenant_code, role)
    if key not in _tokens:
        _tokens[key] = bearer_token(app, tenant_code, [role], mfa=True)
    return _tokens[key]


def _post(app: Flask, tenant_code: str, path: str, body: Mapping[str, object], role: Role = Role.REGISTRY_ADMIN) -> Any:
    headers = auth_header(_token(app, tenant_code, role))
    answer = app.test_client().post(f"{realm_path(tenant_code)}{path}", json=body, headers=headers)
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def _parties(app: Flask, tenant_code: str) -> list[str]:
    party: str = platform_of(app).catalogue.get(tenant_code).party
    return [party, "GHA" if party == "CHE" else "CHE"]


def new_approach_id() -> str:
    """A cooperative approach id no other test registry of this run uses, so ids never look shared."""
    while True:
        candidate = f"CA{random.randint(1000, 9999)}"
        if candidate not in _approach_ids:
            _approach_ids.add(candidate)
            return candidate


@resource("approach_id")
def make_approach(app: Flask, tenant_code: str) -> str:
    body = {
        "cooperative_approach_id": new_approach_id(),
        "name": "Bilateral cooperation",
        "participating_parties": _parties(app, tenant_code),
    }
    created: str = _post(app, tenant_code, "/cooperative-approaches", body)["id"]
    return created


@resource("project_id")
def make_project(app: Flask, tenant_code: str) -> str:
    body = {
        "name": "Clean cookstoves",
        "developer": "Cookstove Ltd",
        "sector": "Energy",
        "project_type": "Cookstoves",
        "methodology": "GS TPDDTEC",
        "status": "registered",
        "country": _parties(app, tenant_code)[0],
    }
    created: str = _post(app, tenant_code, "/projects", body)["id"]
    return created


@resource("issuance_id")
def make_issuance(app: Flask, tenant_code: str) -> str:
    body = {
        "project_id": make_project(app, tenant_code),
        "monitoring_start": "2023-01-01",
        "monitoring_end": "2023-12-31",
        "verifier": "Verifier GmbH",
        "verified_on": "2024-03-01",
        "issued_on": "2024-03-15",
        "quantities": [{"vintage": 2023, "quantity": 1_000}],
    }
    created: str = _post(app, tenant_code, "/issuances", body)["id"]
    return created


@resource("entity_id")
def make_entity(app: Flask, tenant_code: str) -> str:
    body = {
        "cooperative_approach_id": make_approach(app, tenant_code),
        "name": "Cookstove Ltd",
        "country_of_incorporation": _parties(app, tenant_code)[0],
        "identification_number": f"REG-{uuid4().hex[:8]}",
        "authorized_on": "2024-01-15",
    }
    created: str = _post(app, tenant_code, "/authorized-entities", body)["id"]
    return created


@resource("account_id")
def make_account(app: Flask, tenant_code: str) -> str:
    created: str = _post(app, tenant_code, "/accounts", {"account_type": "issuance", "name": "Issuance"})["id"]
    return created


@resource("authorization_id")
def make_authorization(app: Flask, tenant_code: str) -> str:
    body = {
        "reference": f"A-{uuid4().hex[:8]}",
        "authorized_on": "2024-01-15",
        "cooperative_approach_id": make_approach(app, tenant_code),
        "authorizing_party": _parties(app, tenant_code)[0],
        "purposes": ["NDC"],
        "timeframe": {"vintage_from": 2021, "vintage_to": 2030},
    }
    created: str = _post(app, tenant_code, "/authorizations", body, Role.AUTHORIZING_OFFICER)["id"]
    return created


@resource("transaction_id")
def make_transaction(app: Flask, tenant_code: str) -> str:
    body = {
        "issuance_id": make_issuance(app, tenant_code),
        "account_id": make_account(app, tenant_code),
        "cooperative_approach_id": make_approach(app, tenant_code),
        "vintage": 2023,
        "quantity": 100,
    }
    created: str = _post(app, tenant_code, "/transactions/issuances", body)["transaction_id"]
    return created


# Webhooks (issue 19): a subscription to a public address (an IP literal: nothing to resolve).


@resource("subscription_id")
def make_subscription(app: Flask, tenant_code: str) -> str:
    body = {"url": "https://93.184.216.34/hooks", "event_types": ["ledger.account.opened.v1"]}
    created: str = _post(app, tenant_code, "/webhooks/subscriptions", body)["id"]
    return created
