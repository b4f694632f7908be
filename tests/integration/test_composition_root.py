"""One composition root: the application keeps the Platform it was built with under a name that says what it
is, and every view reads it through one accessor."""

from __future__ import annotations

from gateway.app import create_app
from gateway.bootstrap import Platform, current_platform, platform_of
from tests.conftest import DatabaseUrls, settings_for


def test_the_application_keeps_its_platform_as_the_platform(database_urls: DatabaseUrls) -> None:
    app = create_app(settings_for(database_urls))
    try:
        platform = app.extensions["platform"]
        assert isinstance(platform, Platform)
        assert "registry" not in app.extensions
        assert platform_of(app) is platform
        with app.test_request_context("/"):
            assert current_platform() is platform
    finally:
        platform_of(app).close()
