"""The shared layout: the start page lists hosted registries, unknown pages answer a 404 page."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from gateway.auth.principal import Role
from tests.browser.conftest import LiveServer, sign_in
from tests.conftest import new_tenant_command
from tests.factories.auth import ensure_user


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


def test_a_console_page_signs_in_and_comes_back(page: Page, live_server: LiveServer) -> None:
    tenant = live_server.platform.catalogue.create(new_tenant_command())
    user = ensure_user(live_server.app, tenant.code, [Role.REGISTRY_ADMIN])
    login = live_server.registry(tenant.code) + "/console/login?next=/registries/" + tenant.code + "/glossary-missing"
    sign_in(page, login, user.username)
    expect(page).to_have_url(live_server.registry(tenant.code) + "/glossary-missing")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
