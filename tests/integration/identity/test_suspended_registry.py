"""A suspended registry is read-only: its people still sign in and read, and every write is refused."""

from __future__ import annotations

import re
import uuid

from flask import Flask
from flask.testing import FlaskClient

from gateway.auth.principal import Role
from gateway.bootstrap import platform_of
from tenants.domain.model import Tenant
from tests.factories.auth import (
    auth_header,
    bearer_token,
    client_credentials_token,
    ensure_user,
    machine_client,
    realm_path,
    sign_in,
)
from tests.integration.web.test_browser_session import sign_in as console_sign_in

# The authorization server's endpoints and the console's sign-out only touch sign-in state, not registry data.
SIGN_IN_ENDPOINTS = frozenset({"oauth.authorize", "oauth.token", "oauth.revoke", "web_console.logout"})
_CONVERTER = re.compile(r"<(?:([^:<>]+):)?([^<>]+)>")


def suspend(app: Flask, tenant: Tenant) -> None:
    platform_of(app).catalogue.change_status(tenant.code, "suspend")


def test_people_sign_in_refresh_and_read_a_suspended_registry(app: Flask, http: FlaskClient, tenant: Tenant) -> None:
    admin = ensure_user(app, tenant.code, [Role.REGISTRY_ADMIN])
    suspend(app, tenant)
    tokens = sign_in(app, tenant.code, admin.username)
    users = http.get(f"{realm_path(tenant.code)}/users", headers=auth_header(tokens["access_token"]))
    assert users.status_code == 200
    refreshed = http.post(
        f"{realm_path(tenant.code)}/oauth/token",
        data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"], "client_id": "registry-console"},
    )
    assert refreshed.status_code == 200, refreshed.get_data(as_text=True)
    entries = http.get(
        f"{realm_path(tenant.code)}/audit-events", headers=auth_header(refreshed.get_json()["access_token"])
    ).get_json()
    events = [e["detail"].get("event") for e in entries if e["actor"] in (admin.username, str(admin.id))]
    assert "login" in events
    assert events.count("token") >= 2  # the code exchange and the refresh, both recorded


def test_machine_clients_get_tokens_on_a_suspended_registry(app: Flask, http: FlaskClient, tenant: Tenant) -> None:
    client_id, secret = machine_client(app, tenant.code, [Role.AUDITOR])
    suspend(app, tenant)
    token = client_credentials_token(app, tenant.code, client_id, secret)
    assert http.get(f"{realm_path(tenant.code)}/users", headers=auth_header(token)).status_code == 200


def test_the_console_signs_in_and_reads_on_a_suspended_registry(app: Flask, tenant: Tenant) -> None:
    admin = ensure_user(app, tenant.code, [Role.REGISTRY_ADMIN])
    suspend(app, tenant)
    client = app.test_client()
    landing = console_sign_in(client, f"/registries/{tenant.code}/console/login", admin.username)
    assert client.get(landing).status_code == 200


def test_every_write_to_a_suspended_registry_is_refused(app: Flask, http: FlaskClient, tenant: Tenant) -> None:
    token = bearer_token(app, tenant.code, [Role.REGISTRY_ADMIN], mfa=True)
    suspend(app, tenant)
    checked = 0
    for path, method, endpoint in _registry_writes(app):
        if endpoint in SIGN_IN_ENDPOINTS:
            continue
        answer = http.open(_fill(path, tenant.code), method=method, json={}, headers=auth_header(token))
        assert answer.status_code == 409, f"{method} {path} answered {answer.status_code}"
        if path.startswith("/api/"):
            assert answer.mimetype == "application/problem+json"
            assert answer.get_json()["code"] == "tenant.suspended"
        else:  # the console's own error page
            assert "is suspended and read-only" in answer.get_data(as_text=True)
        checked += 1
    assert checked > 20  # the identity, ledger and console writes are all in the list


def _registry_writes(app: Flask) -> list[tuple[str, str, str]]:
    found = []
    for rule in app.url_map.iter_rules():
        if "<string:registry>" not in rule.rule and "<registry>" not in rule.rule:
            continue
        for method in sorted((rule.methods or set()) & {"POST", "PUT", "PATCH", "DELETE"}):
            found.append((rule.rule, method, rule.endpoint))
    return found


def _fill(rule: str, registry: str) -> str:
    def value(match: re.Match[str]) -> str:
        converter, name = match.group(1), match.group(2)
        if name == "registry":
            return registry
        if converter and converter.startswith("any("):
            return converter[4:].split(",")[0].strip(" '\")")  # the first of the allowed values
        return str(uuid.uuid4()) if converter == "uuid" else "x1"

    return _CONVERTER.sub(value, rule)


def test_operators_still_shut_out_an_administrator_of_a_suspended_registry(
    app: Flask, http: FlaskClient, tenant: Tenant
) -> None:
    admin = ensure_user(app, tenant.code, [Role.REGISTRY_ADMIN])
    operator = bearer_token(app, None, [Role.PLATFORM_OPERATOR])
    suspend(app, tenant)
    path = f"/api/v1/platform/tenants/{tenant.code}/administrators/{admin.id}/disable"
    assert http.post(path, headers=auth_header(operator)).get_json()["disabled"] is True
