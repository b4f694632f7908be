"""A registry seeded through the ledger bus, its projection brought up to date, and a test client."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient

from gateway.app import create_app
from gateway.bootstrap import platform_of
from tests.conftest import DatabaseUrls, settings_for
from tests.integration.web.public.seed import Seeded, project_events, registry, seed


@dataclass
class Explorer:
    app: Flask
    seeded: Seeded

    @property
    def http(self) -> FlaskClient:
        return self.app.test_client()

    def url(self, path: str) -> str:
        return f"/registries/{self.seeded.tenant.code}{path}"


@pytest.fixture
def app(database_urls: DatabaseUrls) -> Iterator[Flask]:
    built = create_app(settings_for(database_urls))
    yield built
    platform_of(built).close()


@pytest.fixture
def explorer(app: Flask) -> Explorer:
    platform = platform_of(app)
    seeded = seed(platform, registry(platform), other_projects=21)
    project_events(platform)
    return Explorer(app, seeded)
