"""The shared layout: the start page lists hosted registries, unknown pages answer a 404 page."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer
from tests.conftest import new_tenant_command


def test_start_page_lists_the_hosted_registries(page: Page, live_server: LiveServer) -> None:
    tenant = live_server.platform.catalogue.create(new_tenant_command())
    page.goto(live_server.url + "/")
    expect(page).to_have_title("Hosted registries · Carbon Registry Platform")
    page.get_by_role("link", name=tenant.name).click()
    expect(page).to_have_url(live_server.registry(tenant.code) + "/")


def test_an_unknown_registry_is_a_404_page(page: Page, live_server: LiveServer) -> None:
    response = page.goto(live_server.url + "/registries/no-such-registry/")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
