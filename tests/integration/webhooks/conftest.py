"""An app whose webhooks may go to this machine over plain HTTP (the setting tests and development use)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from gateway.app import create_app
from gateway.bootstrap import platform_of
from tests.conftest import DatabaseUrls, settings_for
from tests.integration.webhooks.receiver import Receiver, receiver
from tests.integration.webhooks.world import FakeResolver, webhooks_of


@pytest.fixture
def app(database_urls: DatabaseUrls) -> Iterator[Flask]:
    built = create_app(settings_for(database_urls, webhooks_allow_loopback=True))
    built.config.update(RATE_LIMIT_PER_CLIENT_PER_MINUTE=100_000, RATE_LIMIT_PER_TENANT_PER_MINUTE=100_000)
    webhooks_of(built).resolver = FakeResolver()
    yield built
    platform_of(built).close()


@pytest.fixture
def endpoint() -> Iterator[Receiver]:
    with receiver() as found:
        yield found
