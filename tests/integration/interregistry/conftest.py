from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from gateway.app import create_app
from gateway.bootstrap import platform_of
from tests.conftest import DatabaseUrls, settings_for


@pytest.fixture
def app(database_urls: DatabaseUrls) -> Iterator[Flask]:
    built = create_app(settings_for(database_urls))
    yield built
    platform_of(built).close()
