"""An app, a signed-in operator's test client, and the CSRF token of that session."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient

from gateway.app import create_app
from gateway.bootstrap import Platform, platform_of
from tests.conftest import DatabaseUrls, settings_for
from tests.factories.auth import ensure_user
from tests.integration.web.test_browser_session import sign_in


@dataclass
class Operator:
    app: Flask
    http: FlaskClient

    @property
    def platform(self) -> Platform:
        found: Platform = platform_of(self.app)
        return found

    @property
    def csrf(self) -> str:
        with self.http.session_transaction() as session:
            return str(session["csrf"])

    def post(self, path: str, data: dict[str, object] | None = None, *, csrf: bool = True) -> object:
        form = {**(data or {}), **({"csrf_token": self.csrf} if csrf else {})}
        return self.http.post(path, data=form)


@pytest.fixture
def app(database_urls: DatabaseUrls) -> Iterator[Flask]:
    built = create_app(settings_for(database_urls))
    yield built
    platform_of(built).close()


@pytest.fixture
def operator(app: Flask) -> Operator:
    account = ensure_user(app, None, [])
    client = app.test_client()
    assert sign_in(client, "/operator/", account.username).startswith("/operator/")
    return Operator(app, client)
