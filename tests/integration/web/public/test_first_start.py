"""The explorer on the demo's first start: issued and acquired units apart, charts dated by the right date,
and every field of an authorization."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask

from gateway.app import create_app
from gateway.bootstrap import platform_of
from gateway.cli.events import build_relay, build_runtime
from gateway.demo import seed_demo
from tests.conftest import DatabaseUrls, settings_for
from tests.integration.web.public.test_pages import text_of


@pytest.fixture
def demo_app(database_urls: DatabaseUrls) -> Iterator[Flask]:
    app = create_app(settings_for(database_urls))
    platform = platform_of(app)
    seed_demo(platform, "demo-password-for-tests")
    while build_relay(platform).publish_pending():
        pass
    build_runtime(platform, "reporting").drain()
    yield app
    platform.close()


def figure(html: str, key: str) -> str:
    match = re.search(rf'id="total-{key}">([^<]*)<', html)
    assert match is not None, key
    return match.group(1)


def test_the_buyer_shows_acquired_units_and_issued_none(demo_app: Flask) -> None:
    html = demo_app.test_client().get("/registries/demo-buyer/?lang=en").get_data(as_text=True)
    assert figure(html, "issued") == "0"
    assert figure(html, "acquired") == "7,000"


def test_the_host_shows_what_it_issued_and_acquired_nothing(demo_app: Flask) -> None:
    html = demo_app.test_client().get("/registries/demo-host/").get_data(as_text=True)
    assert figure(html, "issued") == "1,000,000"
    assert figure(html, "acquired") == "0"


def test_the_issuance_chart_uses_the_date_of_issuance_and_says_so(demo_app: Flask) -> None:
    body = text_of(demo_app.test_client().get("/registries/demo-host/"))
    assert "Mar 2025 1,000,000" in body  # the issuance's date of issue, not when the units were recorded
    assert "by date of issuance" in body
    assert "by date of retirement" in body


def test_the_authorizations_page_shows_every_field_of_each_version(demo_app: Flask) -> None:
    body = text_of(demo_app.test_client().get("/registries/demo-host/authorizations"))
    for fragment in (
        "GHA-A-2025-001",
        "Authorized Parties CHE",
        "OIMP first-transfer definition",
        "GWP values AR5",
        "Sectors Energy generation",
        "Activity types Cookstoves",
        "Clean cookstove emission reductions",
        "Vintages 2023\u20132024",
        "Authorized quantity 20,000",
    ):
        assert fragment in body, fragment
