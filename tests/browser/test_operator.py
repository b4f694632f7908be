"""An operator onboards a registry with its first administrator, who signs in to its console; then the
operator suspends the registry."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer, screenshot, sign_in
from tests.conftest import unique_code, unique_party
from tests.factories.auth import ensure_user

ADMIN_PASSWORD = "first administrator's password"


def test_an_operator_onboards_a_registry_whose_administrator_signs_in(page: Page, live_server: LiveServer) -> None:
    operator = ensure_user(live_server.app, None, [])
    sign_in(page, live_server.url + "/operator/", operator.username)
    expect(page).to_have_url(live_server.url + "/operator/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hosted registries")

    party = unique_party()
    code = unique_code(party.lower())
    page.get_by_role("link", name="Onboard a registry").first.click()
    page.get_by_label("Code").fill(code)
    page.get_by_label("Party").fill(party)
    page.get_by_label("Registry id").fill(f"{party}01")
    page.get_by_label("Name", exact=True).fill(f"Carbon Registry of {party}")
    page.get_by_label("Time zone").fill("Africa/Accra")
    page.get_by_label("Username").fill("Bad Name")
    page.get_by_label("Initial password", exact=True).fill(ADMIN_PASSWORD)
    page.get_by_label("Initial password again").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Create the registry and its administrator").click()
    expect(page.locator("#f-username-error")).to_contain_text("is not valid")
    expect(page.get_by_label("Code")).to_have_value(code)
    screenshot(page, "operator-onboarding-error")

    page.get_by_label("Username").fill("first.admin")
    page.get_by_label("Initial password", exact=True).fill(ADMIN_PASSWORD)
    page.get_by_label("Initial password again").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Create the registry and its administrator").click()
    expect(page).to_have_url(f"{live_server.url}/operator/tenants/{code}")
    expect(page.get_by_role("status")).to_contain_text(f"/registries/{code}/console/login")
    expect(page.locator("#status")).to_contain_text("active")
    screenshot(page, "operator-onboarded")

    page.get_by_role("link", name="Registries", exact=True).click()
    expect(page.locator(f"#tenant-{code}")).to_contain_text(f"{party}01")

    administrator = page.context.browser.new_context(viewport={"width": 375, "height": 667})  # type: ignore[union-attr]
    console = administrator.new_page()
    sign_in(console, live_server.registry(code) + "/console/login", "first.admin", ADMIN_PASSWORD)
    expect(console).to_have_url(live_server.registry(code) + "/console/")
    expect(console.get_by_role("button", name="Sign out (first.admin)")).to_be_visible()
    screenshot(console, "operator-new-administrator-console")
    administrator.close()

    page.goto(f"{live_server.url}/operator/tenants/{code}")
    page.get_by_role("button", name="Suspend").click()
    expect(page.locator("#status")).to_contain_text("suspended")
    expect(page.get_by_role("button", name="Resume")).to_be_visible()
    assert live_server.platform.catalogue.get(code).status.value == "suspended"

    page.get_by_role("link", name="Platform health").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Platform health")
    expect(page.locator("#check-database")).to_contain_text("ok")
    expect(page.locator(f"#health-{code}")).to_be_visible()
    expect(page.get_by_role("img", name="Consumer lag")).to_be_visible()
    screenshot(page, "operator-platform-health")
