"""Two registries on each backend: a transferring Party and an acquiring one, furnished over HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from gateway.app import create_app
from gateway.bootstrap import platform_of
from tests.conftest import DatabaseUrls, settings_for
from tests.integration.ledger_api.world import Registry, furnish, new_registry


@pytest.fixture
def app(database_urls: DatabaseUrls) -> Iterator[Flask]:
    built = create_app(settings_for(database_urls))
    built.config.update(RATE_LIMIT_PER_CLIENT_PER_MINUTE=100_000, RATE_LIMIT_PER_TENANT_PER_MINUTE=100_000)
    yield built
    platform_of(built).close()


@pytest.fixture
def pair(app: Flask) -> tuple[Registry, Registry]:
    """Ghana-like and Switzerland-like registries sharing one cooperative approach."""
    transferring, acquiring = new_registry(app), new_registry(app)
    furnish(transferring, acquiring)
    furnish(acquiring, transferring, approach_id=transferring.approach_id)
    return transferring, acquiring


@pytest.fixture
def ghana(pair: tuple[Registry, Registry]) -> Registry:
    return pair[0]


@pytest.fixture
def switzerland(pair: tuple[Registry, Registry]) -> Registry:
    return pair[1]
