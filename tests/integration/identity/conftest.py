"""An app on each backend, with registries to sign in to."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from gateway.app import create_app
from gateway.bootstrap import Platform, platform_of
from tenants.domain.model import Tenant
from tests.conftest import DatabaseUrls, new_tenant_command, settings_for


@pytest.fixture
def app(database_urls: DatabaseUrls) -> Iterator[Flask]:
    built = create_app(settings_for(database_urls))
    yield built
    platform_of(built).close()


@pytest.fixture
def http(app: Flask) -> FlaskClient:
    return app.test_client()


def new_tenant(app: Flask, **settings: object) -> Tenant:
    platform: Platform = platform_of(app)
    return platform.catalogue.create(new_tenant_command(settings=settings))


@pytest.fixture
def tenant(app: Flask) -> Tenant:
    return new_tenant(app)


@pytest.fixture
def other_tenant(app: Flask) -> Tenant:
    return new_tenant(app)
