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

from collections.abc import Callable
from uuid import uuid4

from flask import Flask

from gateway.auth.principal import Role
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
