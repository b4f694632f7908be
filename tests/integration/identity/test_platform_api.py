"""Operators manage registries over HTTP with the CLI's rules; nobody else can."""

from __future__ import annotations

import json

from flask import Flask
from flask.testing import FlaskClient

from gateway.auth.principal import Role
from tenants.domain.model import Tenant
from tests.conftest import unique_party
from tests.factories.auth import auth_header, bearer_token, realm_path, sign_in

TENANTS = "/api/v1/platform/tenants"


def operator(app: Flask) -> dict[str, str]:
    return auth_header(bearer_token(app, None, [Role.PLATFORM_OPERATOR]))


def test_the_whole_lifecycle(app: Flask, http: FlaskClient) -> None:
    ops = operator(app)
    party = unique_party()
    body = {"code": f"{party.lower()}-reg", "party": party, "registry_id": f"{party}01", "name": "Test registry"}
    created = http.post(TENANTS, json=body, headers=ops)
    assert created.status_code == 201, created.get_json()
    code = created.get_json()["code"]
    assert code in [t["code"] for t in http.get(TENANTS, headers=ops).get_json()]
    assert http.post(f"{TENANTS}/{code}/archive", headers=ops).get_json()["code"] == "tenant.state_conflict"
    assert http.post(f"{TENANTS}/{code}/suspend", headers=ops).get_json()["status"] == "suspended"
    assert http.post(f"{TENANTS}/{code}/resume", headers=ops).get_json()["status"] == "active"
    exported = http.get(f"{TENANTS}/{code}/export", headers=ops)
    assert exported.status_code == 200
    assert json.loads(exported.get_data(as_text=True).splitlines()[0])["tenant"]["code"] == code
    http.post(f"{TENANTS}/{code}/suspend", headers=ops)
    assert http.post(f"{TENANTS}/{code}/archive", headers=ops).get_json()["status"] == "archived"


def test_bad_input_is_refused_as_the_cli_does(app: Flask, http: FlaskClient, tenant: Tenant) -> None:
    ops = operator(app)
    bad = http.post(TENANTS, json={"code": "X", "party": "GHA", "registry_id": "GHA01", "name": "n"}, headers=ops)
    assert (bad.status_code, bad.get_json()["code"]) == (422, "tenant.invalid")
    clash = {"code": tenant.code, "party": tenant.party, "registry_id": tenant.registry_id, "name": "n"}
    assert http.post(TENANTS, json=clash, headers=ops).status_code == 409
    assert http.post(TENANTS, json={**clash, "tenant_id": "x"}, headers=ops).status_code == 422


def test_bootstrapping_the_first_administrator(app: Flask, http: FlaskClient, tenant: Tenant) -> None:
    ops = operator(app)
    url = f"{TENANTS}/{tenant.code}/administrators"
    body = {"username": "first-admin", "password": "a long enough password"}
    created = http.post(url, json=body, headers=ops)
    assert created.status_code == 201
    assert created.get_json()["roles"] == ["registry_admin"]
    assert "password" not in created.get_json()
    again = http.post(url, json={**body, "username": "second-admin"}, headers=ops)
    assert (again.status_code, again.get_json()["code"]) == (409, "user.administrator_exists")
    tokens = sign_in(app, tenant.code, "first-admin", password="a long enough password")
    assert http.get(f"{realm_path(tenant.code)}/users", headers=auth_header(tokens["access_token"])).status_code == 200


def test_only_operators_may(app: Flask, http: FlaskClient, tenant: Tenant) -> None:
    admin = auth_header(bearer_token(app, tenant.code, [Role.REGISTRY_ADMIN]))
    assert http.get(TENANTS).status_code == 401
    refused = http.get(TENANTS, headers=admin)
    assert (refused.status_code, refused.get_json()["code"]) == (403, "auth.forbidden")
    assert http.post(f"{TENANTS}/{tenant.code}/suspend", headers=admin).status_code == 403


def test_an_operator_sees_no_registry_private_data(app: Flask, http: FlaskClient, tenant: Tenant) -> None:
    answer = http.get(f"{realm_path(tenant.code)}/users", headers=operator(app))
    assert answer.status_code == 404


def test_operator_actions_go_to_the_platform_audit_log(app: Flask, http: FlaskClient, tenant: Tenant) -> None:
    ops = operator(app)
    http.post(f"{TENANTS}/{tenant.code}/suspend", headers=ops)
    entries = http.get("/api/v1/platform/audit-events", headers=ops).get_json()
    suspend = next(e for e in entries if e["target"].endswith("/suspend"))
    assert suspend["outcome"] == "success"
    assert suspend["tenant_code"] == tenant.code
