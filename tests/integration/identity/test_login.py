"""The login form: labelled, CSRF-protected, says only that bad credentials are wrong, locks out."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from gateway.auth.clients import CONSOLE_CLIENT_ID
from gateway.auth.principal import Role
from tenants.domain.model import Tenant
from tests.factories.auth import PASSWORD, ensure_user, realm_path, sign_in

CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def query(tenant: Tenant) -> dict[str, str]:
    return {
        "response_type": "code",
        "client_id": CONSOLE_CLIENT_ID,
        "redirect_uri": f"http://localhost{realm_path(tenant.code)}/oauth/callback",
        "code_challenge": CHALLENGE,
        "code_challenge_method": "S256",
    }


def post_login(
    http: FlaskClient, tenant: Tenant, username: str, password: str, csrf: str | None = None
) -> tuple[int, str]:
    url = f"{realm_path(tenant.code)}/oauth/authorize"
    page = http.get(url, query_string=query(tenant)).get_data(as_text=True)
    token = csrf if csrf is not None else re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    answer = http.post(
        url, query_string=query(tenant), data={"csrf_token": token, "username": username, "password": password}
    )
    return answer.status_code, answer.get_data(as_text=True)


def test_the_form_has_labelled_fields_and_a_csrf_token(http: FlaskClient, tenant: Tenant) -> None:
    page = http.get(f"{realm_path(tenant.code)}/oauth/authorize", query_string=query(tenant))
    html = page.get_data(as_text=True)
    for field in ("username", "password", "otp"):
        assert f'<label for="{field}">' in html
        assert f'id="{field}"' in html
    assert 'name="csrf_token"' in html
    assert page.headers["X-Frame-Options"] == "DENY"


def test_a_post_without_the_csrf_token_is_refused(app: Flask, http: FlaskClient, tenant: Tenant) -> None:
    user = ensure_user(app, tenant.code, [Role.AUDITOR])
    status, body = post_login(http, tenant, user.username, PASSWORD, csrf="forged")
    assert status == 400
    assert "reload" in body


def test_bad_credentials_say_only_that_they_are_wrong(app: Flask, http: FlaskClient, tenant: Tenant) -> None:
    user = ensure_user(app, tenant.code, [Role.AUDITOR])
    wrong_password = post_login(http, tenant, user.username, "not the password")
    unknown_user = post_login(http, tenant, "nobody-here", "not the password")
    assert wrong_password[0] == unknown_user[0] == 401
    for _status, body in (wrong_password, unknown_user):
        assert "the username, password or one-time code is wrong" in body


def test_repeated_failures_lock_the_account(app: Flask, http: FlaskClient, tenant: Tenant) -> None:
    user = ensure_user(app, tenant.code, [Role.AUDITOR])
    for _ in range(5):
        assert post_login(http, tenant, user.username, "not the password")[0] == 401
    status, body = post_login(http, tenant, user.username, PASSWORD)
    assert status == 401
    assert "the username, password or one-time code is wrong" in body


def test_logins_and_token_issues_are_audited(app: Flask, http: FlaskClient, tenant: Tenant) -> None:
    user = ensure_user(app, tenant.code, [Role.AUDITOR])
    post_login(http, tenant, user.username, "not the password")
    tokens = sign_in(app, tenant.code, user.username)
    entries = http.get(
        f"{realm_path(tenant.code)}/audit-events", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    ).get_json()
    seen = {(e["detail"].get("event"), e["outcome"]) for e in entries}
    assert {("login", "denied"), ("login", "success"), ("token", "success")} <= seen
    failed = next(e for e in entries if e["detail"].get("event") == "login" and e["outcome"] == "denied")
    assert failed["actor"] == user.username
    assert failed["source_ip"] == "127.0.0.1"
