"""Registry console pages for reports, CAD Trust, the audit log and settings: a real app, real sign-in."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from gateway.app import create_app
from gateway.auth.principal import Role
from gateway.bootstrap import platform_of
from tenants.domain.model import Tenant
from tests.conftest import DatabaseUrls, new_tenant_command, settings_for
from tests.factories.auth import ensure_user
from tests.integration.web.test_browser_session import sign_in

NO_MFA: dict[str, object] = {"mfa_required_for": []}
SignedIn = Callable[..., FlaskClient]


@pytest.fixture
def app(database_urls: DatabaseUrls) -> Flask:
    return create_app(settings_for(database_urls))


@pytest.fixture
def tenant(app: Flask) -> Tenant:
    created: Tenant = platform_of(app).catalogue.create(new_tenant_command(settings=NO_MFA))
    return created


@pytest.fixture
def signed_in(app: Flask, tenant: Tenant) -> SignedIn:
    """A test client signed in to the console of `tenant` (or `on`) as a new user with these roles."""

    def make(roles: Iterable[Role], on: Tenant | None = None) -> FlaskClient:
        where = on or tenant
        user = ensure_user(app, where.code, roles)
        client = app.test_client()
        sign_in(client, f"/registries/{where.code}/console/login", user.username)
        return client

    return make


def csrf(client: FlaskClient) -> str:
    with client.session_transaction() as session:
        return str(session["csrf"])


def console(tenant: Tenant, path: str) -> str:
    return f"/registries/{tenant.code}/console{path}"
