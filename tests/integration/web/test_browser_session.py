"""Signing in to the web pages: code flow with PKCE through the real authorization server, session
cookie bound to one realm, CSRF on forms, no open redirect, and back to the page after sign-in."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from gateway.app import create_app
from gateway.auth.principal import Role
from gateway.bootstrap import platform_of
from tests.conftest import DatabaseUrls, new_tenant_command, settings_for
from tests.factories.auth import PASSWORD, ensure_user

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def app(database_urls: DatabaseUrls) -> Iterator[Flask]:
    built = create_app(settings_for(database_urls))
    yield built
    platform_of(built).close()


def sign_in(client: FlaskClient, start: str, username: str, password: str = PASSWORD) -> str:
    """Follow the sign-in from a protected page; answer the Location the callback sends the browser to."""
    to_login = client.get(start)
    assert to_login.status_code == 302
    form_url = to_login.headers["Location"]
    form = client.get(form_url)
    token = CSRF.search(form.get_data(as_text=True))
    assert token is not None
    fields = {"csrf_token": token.group(1), "username": username, "password": password}
    answer = client.post(form_url, data=fields)
    if answer.status_code == 200 and b'name="step" value="later"' in answer.data:  # offered to enrol: not now
        answer = client.post(form_url, data={**fields, "step": "later"})
    assert answer.status_code == 302, answer.data
    callback = client.get(answer.headers["Location"])
    assert callback.status_code == 302, callback.data
    return str(callback.headers["Location"])


def test_a_protected_page_sends_to_sign_in_and_back(app: Flask) -> None:
    tenant = platform_of(app).catalogue.create(new_tenant_command())
    user = ensure_user(app, tenant.code, [Role.REGISTRY_ADMIN])
    client = app.test_client()
    logout = f"/registries/{tenant.code}/console/logout"
    start = f"/registries/{tenant.code}/console/login?next=/registries/{tenant.code}/projects%3Fpage%3D2"
    assert sign_in(client, start, user.username) == f"/registries/{tenant.code}/projects?page=2"
    with client.session_transaction() as session:
        stored = session["web_auth"]
        assert stored["realm"] == f"registry:{tenant.code}"
        assert stored["username"] == user.username
        csrf = session["csrf"]
    assert client.post(logout, data={"csrf_token": "forged"}).status_code == 403
    assert client.post(logout, data={"csrf_token": csrf}).status_code == 302
    with client.session_transaction() as session:
        assert "web_auth" not in session


def test_login_starts_a_pkce_code_flow_for_the_console_client(app: Flask) -> None:
    tenant = platform_of(app).catalogue.create(new_tenant_command())
    answer = app.test_client().get(f"/registries/{tenant.code}/console/login")
    assert answer.status_code == 302
    location = urlsplit(answer.headers["Location"])
    assert location.path == f"/api/v1/registries/{tenant.code}/oauth/authorize"
    query = parse_qs(location.query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["redirect_uri"] == [f"http://localhost/registries/{tenant.code}/console/callback"]


def test_a_session_of_one_registry_is_not_a_session_of_another(app: Flask) -> None:
    catalogue = platform_of(app).catalogue
    first, second = catalogue.create(new_tenant_command()), catalogue.create(new_tenant_command())
    user = ensure_user(app, first.code, [Role.REGISTRY_ADMIN])
    client = app.test_client()
    sign_in(client, f"/registries/{first.code}/console/login", user.username)
    with client.session_transaction() as session:
        csrf = session["csrf"]
    # Signing out of the other registry's console changes nothing here: that realm has no session.
    client.post(f"/registries/{second.code}/console/logout", data={"csrf_token": csrf})
    with client.session_transaction() as session:
        assert session["web_auth"]["realm"] == f"registry:{first.code}"


@pytest.mark.parametrize("target", ["https://elsewhere.example/", "//elsewhere.example/x", "javascript:alert(1)"])
def test_the_page_to_come_back_to_must_be_on_this_site(app: Flask, target: str) -> None:
    tenant = platform_of(app).catalogue.create(new_tenant_command())
    user = ensure_user(app, tenant.code, [Role.REGISTRY_ADMIN])
    client = app.test_client()
    landed = sign_in(client, f"/registries/{tenant.code}/console/login?next={target}", user.username)
    assert landed == f"/registries/{tenant.code}/console/"


def test_a_stale_callback_is_refused_with_a_page(app: Flask) -> None:
    tenant = platform_of(app).catalogue.create(new_tenant_command())
    answer = app.test_client().get(f"/registries/{tenant.code}/console/callback?code=x&state=y")
    assert answer.status_code == 400
    assert answer.mimetype == "text/html"
    assert "sign in again" in answer.get_data(as_text=True)


def test_operators_sign_in_to_the_operator_pages(app: Flask) -> None:
    operator = ensure_user(app, None, [])
    client = app.test_client()
    assert sign_in(client, "/operator/login", operator.username) == "/operator/"
    with client.session_transaction() as session:
        assert session["web_auth"]["realm"] == "platform"
