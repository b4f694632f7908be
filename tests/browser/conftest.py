"""Browser tests: a live gateway on a scratch PostgreSQL database with the embedded bus, driven by
Playwright in Debian's Chromium. Every test leaves a full-page screenshot in test-artifacts/browser/."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright
from werkzeug.serving import make_server

from gateway.app import create_app
from gateway.bootstrap import Platform
from gateway.embedded import start_embedded_workers
from tests.conftest import DatabaseUrls, fresh_postgres_database, settings_for
from tests.factories.auth import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
# How long a step waits for the page. The suite runs in several worker processes beside a browser each, and
# on a loaded CI machine a page can take seconds to settle; the bounds only limit waiting, never what passes.
STEP_TIMEOUT_MS = 30_000
expect.set_options(timeout=15_000)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.postgres)


@dataclass
class LiveServer:
    url: str
    app: Flask
    platform: Platform

    def registry(self, code: str) -> str:
        return f"{self.url}/registries/{code}"


@pytest.fixture(scope="package")
def browser_database(postgres_server: DatabaseUrls) -> Iterator[DatabaseUrls]:
    yield from fresh_postgres_database(postgres_server)


@pytest.fixture(scope="package")
def live_server(browser_database: DatabaseUrls) -> Iterator[LiveServer]:
    settings = settings_for(browser_database)
    platform = Platform.from_settings(settings)
    app = create_app(settings, platform)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    serving = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    serving.start()
    stop = threading.Event()
    workers = start_embedded_workers(platform, stop.is_set)
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", app, platform)
    finally:
        stop.set()
        server.shutdown()
        serving.join(timeout=10)
        for worker in workers:
            worker.join(timeout=30)
        stragglers = [w.name for w in threading.enumerate() if w in workers and w.is_alive()]
        platform.close()
        assert not stragglers, f"embedded workers still running after stop: {stragglers}"


@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield launched
    launched.close()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(STEP_TIMEOUT_MS)
    opened = context.new_page()
    yield opened
    screenshot(opened, request.node.name)
    context.close()


@pytest.fixture
def phone(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A narrow phone screen (iPhone SE size)."""
    context = browser.new_context(viewport={"width": 375, "height": 667}, locale="en-GB", is_mobile=True)
    context.set_default_timeout(STEP_TIMEOUT_MS)
    opened = context.new_page()
    yield opened
    screenshot(opened, f"{request.node.name}-phone")
    context.close()


def sign_in(page: Page, start_url: str, username: str, password: str = PASSWORD) -> None:
    """Open a page that needs a session, sign in on the realm's login form, and land back on that page."""
    page.goto(start_url)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    later = page.get_by_role("button", name="Not now: sign in without it")
    if "/oauth/" in page.url and later.count():  # an administrator without a second factor may enrol one
        later.click()
    page.wait_for_url(lambda url: "/oauth/" not in url)


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
