"""Administrators disable, re-enable and reset the second factor of their registry's people; operators do
the same for registries' administrators and for each other. Every action is audited."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from gateway.auth.clients import CONSOLE_CLIENT_ID
from gateway.auth.principal import Role
from tenants.domain.model import Tenant
from tests.factories.auth import auth_header, bearer_token, ensure_user, realm_path, sign_in
from tests.integration.identity.test_login import post_login

PLATFORM = "/api/v1/platform"


def admin_token(app: Flask, tenant: Tenant) -> str:
    return bearer_token(app, tenant.code, [Role.REGISTRY_ADMIN])


def act(http: FlaskClient, token: str, path: str) -> Any:
    return http.post(path, headers=auth_header(token))


def refresh(http: FlaskClient, realm: str, refresh_token: str) -> Any:
    form = {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": CONSOLE_CLIENT_ID}
    return http.post(f"{realm}/oauth/token", data=form)


def test_a_disabled_person_is_shut_out_at_once_and_back_when_enabled(
    app: Flask, http: FlaskClient, tenant: Tenant
) -> None:
    admin = admin_token(app, tenant)
    person = ensure_user(app, tenant.code, [Role.AUDITOR])
    tokens = sign_in(app, tenant.code, person.username)
    users = f"{realm_path(tenant.code)}/users"
    assert http.get(users, headers=auth_header(tokens["access_token"])).status_code == 200

    disabled = act(http, admin, f"{users}/{person.id}/disable")
    assert disabled.status_code == 200
    assert disabled.get_json()["disabled"] is True
    refused = http.get(users, headers=auth_header(tokens["access_token"]))
    assert refused.status_code == 401
    assert refused.get_json()["code"] == "auth.token_revoked"
    assert refresh(http, realm_path(tenant.code), tokens["refresh_token"]).status_code == 400
    assert post_login(http, tenant, person.username, "correct horse battery staple")[0] == 401

    enabled = act(http, admin, f"{users}/{person.id}/enable")
    assert enabled.status_code == 200
    assert enabled.get_json()["disabled"] is False
    again = sign_in(app, tenant.code, person.username)
    assert http.get(users, headers=auth_header(again["access_token"])).status_code == 200
    assert refresh(http, realm_path(tenant.code), tokens["refresh_token"]).status_code == 400  # revoked for good


def test_resetting_a_second_factor_lets_the_person_sign_in_with_the_password(
    app: Flask, http: FlaskClient, tenant: Tenant
) -> None:
    person = ensure_user(app, tenant.code, [Role.AUDITOR], mfa=True)
    assert post_login(http, tenant, person.username, "correct horse battery staple")[0] == 401  # the code is asked
    answer = act(http, admin_token(app, tenant), f"{realm_path(tenant.code)}/users/{person.id}/mfa/reset")
    assert answer.status_code == 200
    assert answer.get_json()["mfa_enabled"] is False
    token = sign_in(app, tenant.code, person.username)["access_token"]
    me = http.get(f"{realm_path(tenant.code)}/me", headers=auth_header(token)).get_json()
    assert me["mfa_verified"] is False
    assert http.post(f"{realm_path(tenant.code)}/me/mfa", headers=auth_header(token)).status_code == 201


def test_another_registrys_person_answers_like_a_missing_one(
    app: Flask, http: FlaskClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    stranger = ensure_user(app, other_tenant.code, [Role.AUDITOR])
    admin = admin_token(app, tenant)
    for action in ("disable", "enable", "mfa/reset"):
        foreign = act(http, admin, f"{realm_path(tenant.code)}/users/{stranger.id}/{action}")
        missing = act(http, admin, f"{realm_path(tenant.code)}/users/{uuid.uuid4()}/{action}")
        assert foreign.status_code == missing.status_code == 404
        assert foreign.get_json()["code"] == missing.get_json()["code"] == "resource.not_found"
    assert post_login(http, other_tenant, stranger.username, "correct horse battery staple")[0] == 302


def test_only_administrators_act_and_not_on_themselves(app: Flask, http: FlaskClient, tenant: Tenant) -> None:
    person = ensure_user(app, tenant.code, [Role.AUDITOR])
    auditor = bearer_token(app, tenant.code, [Role.AUDITOR])
    assert act(http, auditor, f"{realm_path(tenant.code)}/users/{person.id}/disable").status_code == 403
    admin = ensure_user(app, tenant.code, [Role.REGISTRY_ADMIN])
    token = bearer_token(app, tenant.code, [], username=admin.username)
    own = act(http, token, f"{realm_path(tenant.code)}/users/{admin.id}/disable")
    assert own.status_code == 422
    assert own.mimetype == "application/problem+json"
    assert http.get(f"{realm_path(tenant.code)}/users", headers=auth_header(token)).status_code == 200


def test_the_actions_are_audited(app: Flask, http: FlaskClient, tenant: Tenant) -> None:
    person = ensure_user(app, tenant.code, [Role.AUDITOR])
    admin = admin_token(app, tenant)
    act(http, admin, f"{realm_path(tenant.code)}/users/{person.id}/disable")
    entries = http.get(f"{realm_path(tenant.code)}/audit-events", headers=auth_header(admin)).get_json()
    entry = next(e for e in entries if e["target"].endswith(f"/users/{person.id}/disable"))
    assert entry["action"] == "POST /api/v1/registries/{registry}/users/{user_id}/disable"
    assert entry["outcome"] == "success"


def test_operators_act_on_administrators_but_not_on_other_people(app: Flask, http: FlaskClient, tenant: Tenant) -> None:
    operator = bearer_token(app, None, [Role.PLATFORM_OPERATOR])
    admin = ensure_user(app, tenant.code, [Role.REGISTRY_ADMIN], mfa=True)
    holder = ensure_user(app, tenant.code, [Role.AUDITOR])
    administrators = f"{PLATFORM}/tenants/{tenant.code}/administrators"
    listed = http.get(administrators, headers=auth_header(operator)).get_json()
    assert [a["username"] for a in listed] == [admin.username]
    assert act(http, operator, f"{administrators}/{admin.id}/mfa/reset").get_json()["mfa_enabled"] is False
    assert act(http, operator, f"{administrators}/{admin.id}/disable").get_json()["disabled"] is True
    assert post_login(http, tenant, admin.username, "correct horse battery staple")[0] == 401
    not_an_admin = act(http, operator, f"{administrators}/{holder.id}/disable")
    assert not_an_admin.status_code == 404
    assert act(http, admin_token(app, tenant), f"{administrators}/{admin.id}/enable").status_code == 403
    audit = http.get(f"{PLATFORM}/audit-events", headers=auth_header(operator)).get_json()
    entry = next(e for e in audit if e["target"].endswith(f"/administrators/{admin.id}/disable"))
    assert (entry["tenant_code"], entry["outcome"]) == (tenant.code, "success")


def test_operators_disable_each_other_at_once(app: Flask, http: FlaskClient) -> None:
    first = bearer_token(app, None, [Role.PLATFORM_OPERATOR])
    second = ensure_user(app, None, [])
    tokens = sign_in(app, None, second.username)
    operators = http.get(f"{PLATFORM}/operators", headers=auth_header(first)).get_json()
    assert second.username in [o["username"] for o in operators]
    assert act(http, first, f"{PLATFORM}/operators/{second.id}/disable").get_json()["disabled"] is True
    refused = http.get(f"{PLATFORM}/tenants", headers=auth_header(tokens["access_token"]))
    assert refused.status_code == 401
    assert refresh(http, PLATFORM, tokens["refresh_token"]).status_code == 400
    assert act(http, first, f"{PLATFORM}/operators/{second.id}/enable").get_json()["disabled"] is False
    assert sign_in(app, None, second.username)["access_token"]


def test_the_routes_are_documented_with_their_roles(http: FlaskClient) -> None:
    paths = http.get("/api/v1/openapi.json").get_json()["paths"]
    for action in ("disable", "enable", "mfa/reset"):
        registry = paths[f"/api/v1/registries/{{registry}}/users/{{user_id}}/{action}"]["post"]
        assert registry["x-roles"] == ["registry_admin"]
        for path in (f"/tenants/{{code}}/administrators/{{user_id}}/{action}", f"/operators/{{operator_id}}/{action}"):
            assert paths[PLATFORM + path]["post"]["x-roles"] == ["platform_operator"]
