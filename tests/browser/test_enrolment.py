"""A first administrator without a second factor signs in to the console of a registry whose policy asks
for one: the login form shows the key, the first code from the app enrols it, and the console opens."""

from __future__ import annotations

import pyotp
from playwright.sync_api import Page, expect

from gateway.auth.principal import Role
from tests.browser.conftest import LiveServer
from tests.conftest import new_tenant_command
from tests.factories.auth import PASSWORD, ensure_user


def test_a_first_administrator_enrols_a_second_factor_at_sign_in(page: Page, live_server: LiveServer) -> None:
    tenant = live_server.platform.catalogue.create(new_tenant_command())
    admin = ensure_user(live_server.app, tenant.code, [Role.REGISTRY_ADMIN])
    page.goto(live_server.registry(tenant.code) + "/console/people")
    page.get_by_label("Username").fill(admin.username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your second factor")
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("One-time code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Confirm and sign in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    expect(page.locator(f"#person-{admin.username} .mfa")).to_have_text("enrolled")
