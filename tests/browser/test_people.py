"""A registry administrator disables a person on the console's People page; the person's open session ends
at its next page and they cannot sign in again until re-enabled. An operator resets an administrator's
second factor on the registry's page."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from gateway.auth.principal import Role
from tests.browser.conftest import LiveServer, screenshot, sign_in
from tests.conftest import new_tenant_command
from tests.factories.auth import ensure_user


def test_an_administrator_disables_a_person_whose_session_ends(page: Page, live_server: LiveServer) -> None:
    tenant = live_server.platform.catalogue.create(new_tenant_command(settings={"mfa_required_for": []}))
    admin = ensure_user(live_server.app, tenant.code, [Role.REGISTRY_ADMIN])
    person = ensure_user(live_server.app, tenant.code, [Role.AUDITOR])
    console = live_server.registry(tenant.code) + "/console"

    other = page.context.browser.new_context(locale="en-GB")  # type: ignore[union-attr]
    their_page = other.new_page()
    sign_in(their_page, console + "/audit", person.username)
    expect(their_page.get_by_role("heading", level=1)).to_have_text("Audit log")

    sign_in(page, console + "/people", admin.username)
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    row = page.locator(f"#person-{person.username}")
    expect(row.locator(".status")).to_have_text("active")
    row.get_by_role("button", name=f"Disable {person.username}").click()
    expect(page.get_by_role("status")).to_contain_text(f"{person.username} is disabled.")
    expect(row.locator(".status")).to_have_text("disabled")
    expect(
        page.locator(f"#person-{admin.username}").get_by_role("button", name=f"Disable {admin.username}")
    ).to_have_count(0)
    screenshot(page, "console-people-disabled")

    their_page.reload()
    expect(their_page.get_by_label("Username")).to_be_visible()  # sent to sign in again
    their_page.get_by_label("Username").fill(person.username)
    their_page.get_by_label("Password", exact=True).fill("correct horse battery staple")
    their_page.get_by_role("button", name="Sign in").click()
    expect(their_page.get_by_role("alert")).to_contain_text("the username, password or one-time code is wrong")
    other.close()

    row.get_by_role("button", name=f"Enable {person.username}").click()
    expect(row.locator(".status")).to_have_text("active")


def test_an_operator_resets_an_administrators_second_factor(page: Page, live_server: LiveServer) -> None:
    tenant = live_server.platform.catalogue.create(new_tenant_command())
    admin = ensure_user(live_server.app, tenant.code, [Role.REGISTRY_ADMIN], mfa=True)
    operator = ensure_user(live_server.app, None, [])
    sign_in(page, f"{live_server.url}/operator/tenants/{tenant.code}", operator.username)
    row = page.locator(f"#person-{admin.username}")
    expect(row.locator(".mfa")).to_have_text("enrolled")
    row.get_by_role("button", name=f"Reset the second factor of {admin.username}").click()
    expect(page.get_by_role("status")).to_contain_text(f"The second factor of {admin.username} is reset")
    expect(row.locator(".mfa")).to_have_text("none")
    screenshot(page, "operator-administrator-mfa-reset")
