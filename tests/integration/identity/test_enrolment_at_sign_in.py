"""An administrator without a second factor, in a registry whose policy requires second factors, is led
through enrolling one at sign-in: the login form shows a new key, the first code confirms it and the
sign-in ends with a verified second factor, so the actions that need one are open at once."""

from __future__ import annotations

import re
import time
from urllib.parse import parse_qs, urlsplit

import pyotp
from flask import Flask
from flask.testing import FlaskClient

from gateway.auth.clients import CONSOLE_CLIENT_ID
from gateway.auth.principal import Role
from gateway.bootstrap import Platform, platform_of
from tenants.domain.model import Tenant
from tests.conftest import new_tenant_command
from tests.factories.auth import PASSWORD, auth_header, ensure_user, realm_path
from tests.integration.identity.test_login import query

VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"  # RFC 7636's example, whose challenge is CHALLENGE
SECRET = re.compile(r'id="totp-secret">([A-Z2-7]+)<')


def log_in(http: FlaskClient, tenant: Tenant, username: str) -> tuple[int, str, str]:
    url = f"{realm_path(tenant.code)}/oauth/authorize"
    form = http.get(url, query_string=query(tenant)).get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
    answer = http.post(
        url, query_string=query(tenant), data={"csrf_token": csrf, "username": username, "password": PASSWORD}
    )
    return answer.status_code, answer.get_data(as_text=True), csrf


def step(http: FlaskClient, tenant: Tenant, csrf: str, **fields: str) -> tuple[int, str]:
    url = f"{realm_path(tenant.code)}/oauth/authorize"
    answer = http.post(url, query_string=query(tenant), data={"csrf_token": csrf, **fields})
    return answer.status_code, answer.headers.get("Location", "") or answer.get_data(as_text=True)


def token_for(http: FlaskClient, tenant: Tenant, location: str) -> dict[str, str]:
    code = parse_qs(urlsplit(location).query)["code"][0]
    exchange = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": query(tenant)["redirect_uri"],
        "client_id": CONSOLE_CLIENT_ID,
        "code_verifier": VERIFIER,
    }
    answer = http.post(f"{realm_path(tenant.code)}/oauth/token", data=exchange)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    tokens: dict[str, str] = answer.get_json()
    return tokens


def test_a_first_administrator_enrols_at_sign_in_and_may_then_register_a_client(
    app: Flask, http: FlaskClient, tenant: Tenant
) -> None:
    admin = ensure_user(app, tenant.code, [Role.REGISTRY_ADMIN])

    status, page, csrf = log_in(http, tenant, admin.username)
    assert status == 200
    secret = SECRET.search(page)
    assert secret is not None, page
    status, location = step(http, tenant, csrf, step="enrol", code=pyotp.TOTP(secret.group(1)).now())
    assert status == 302, location
    token = token_for(http, tenant, location)["access_token"]

    me = http.get(f"{realm_path(tenant.code)}/me", headers=auth_header(token)).get_json()
    assert me["mfa_verified"] is True
    client = http.post(
        f"{realm_path(tenant.code)}/clients",
        json={"name": "exchange", "roles": ["auditor"]},
        headers=auth_header(token),
    )
    assert client.status_code == 201, client.get_json()
    status, page, _csrf = log_in(http, tenant, admin.username)  # enrolled: the password alone is refused now
    assert status == 401


def test_a_wrong_first_code_enrols_nothing_and_shows_a_new_key(app: Flask, http: FlaskClient, tenant: Tenant) -> None:
    admin = ensure_user(app, tenant.code, [Role.REGISTRY_ADMIN])
    _status, page, csrf = log_in(http, tenant, admin.username)
    first = SECRET.search(page).group(1)  # type: ignore[union-attr]
    wrong = pyotp.TOTP(first).at(time.time() - 3600)

    status, answer = step(http, tenant, csrf, step="enrol", code=wrong)

    assert status == 400
    assert "not the one the app shows" in answer
    assert SECRET.search(answer).group(1) != first  # type: ignore[union-attr]
    assert log_in(http, tenant, admin.username)[0] == 200  # still not enrolled: asked again


def test_an_administrator_may_go_on_without_and_is_asked_again_next_time(
    app: Flask, http: FlaskClient, tenant: Tenant
) -> None:
    admin = ensure_user(app, tenant.code, [Role.REGISTRY_ADMIN])
    _status, _page, csrf = log_in(http, tenant, admin.username)

    status, location = step(http, tenant, csrf, step="later")

    assert status == 302
    assert token_for(http, tenant, location)["access_token"]
    assert log_in(http, tenant, admin.username)[0] == 200


def test_nobody_else_is_asked(app: Flask, http: FlaskClient, tenant: Tenant) -> None:
    platform: Platform = platform_of(app)
    relaxed = platform.catalogue.create(new_tenant_command(settings={"mfa_required_for": []}))
    auditor = ensure_user(app, tenant.code, [Role.AUDITOR])
    relaxed_admin = ensure_user(app, relaxed.code, [Role.REGISTRY_ADMIN])

    assert log_in(http, tenant, auditor.username)[0] == 302
    assert log_in(http, relaxed, relaxed_admin.username)[0] == 302


def test_the_enrolment_step_needs_a_password_step_first(http: FlaskClient, tenant: Tenant) -> None:
    url = f"{realm_path(tenant.code)}/oauth/authorize"
    form = http.get(url, query_string=query(tenant)).get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]

    status, answer = step(http, tenant, csrf, step="later")

    assert status == 400
    assert "reload" in answer
