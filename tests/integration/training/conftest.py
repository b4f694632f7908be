"""An app on each backend, with a training registry seeded through the operator API."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from gateway.app import create_app
from gateway.auth.principal import Role
from gateway.bootstrap import platform_of
from tests.cadt_standin.fixtures import cadt_node  # noqa: F401 - fixture
from tests.conftest import DatabaseUrls, settings_for, unique_code, unique_party
from tests.factories.auth import auth_header, bearer_token

TENANTS = "/api/v1/platform/tenants"


@pytest.fixture
def app(database_urls: DatabaseUrls) -> Iterator[Flask]:
    built = create_app(settings_for(database_urls))
    yield built
    platform_of(built).close()


@pytest.fixture
def http(app: Flask) -> FlaskClient:
    return app.test_client()


def operator(app: Flask) -> dict[str, str]:
    return auth_header(bearer_token(app, None, [Role.PLATFORM_OPERATOR]))


def registry_body(**overrides: object) -> dict[str, Any]:
    party = unique_party()
    body: dict[str, Any] = {
        "code": unique_code(party.lower()),
        "party": party,
        "registry_id": f"{party}01",
        "name": f"Training registry of {party}",
        "kind": "training",
    }
    return {**body, **overrides}


@pytest.fixture
def created(app: Flask, http: FlaskClient) -> dict[str, Any]:
    """A training registry created through the operator API: its answer, with the people made."""
    answer = http.post(TENANTS, json=registry_body(), headers=operator(app))
    assert answer.status_code == 201, answer.get_json()
    found: dict[str, Any] = answer.get_json()
    return found


@pytest.fixture
def console_operator(app: Flask) -> Any:
    """A signed-in operator of the operator console."""
    from tests.factories.auth import ensure_user
    from tests.integration.web.operator.conftest import Operator
    from tests.integration.web.test_browser_session import sign_in

    account = ensure_user(app, None, [])
    client = app.test_client()
    assert sign_in(client, "/operator/", account.username).startswith("/operator/")
    return Operator(app, client)
