"""The self-hosted API docs sign a person in: Authorize opens the registry's login form (code flow with
PKCE, the docs' public client), the code comes back to the docs, and an operation tried from the page
answers 200 with the person's token."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from gateway.auth.principal import Role
from tests.browser.conftest import LiveServer
from tests.conftest import new_tenant_command
from tests.factories.auth import PASSWORD, ensure_user

# Swagger UI renders the whole document (every operation of every context) and re-renders it on each click;
# on a loaded machine one step can keep the page busy past the suite's usual bounds
BUSY_PAGE_MS = 60_000


def test_a_person_signs_in_through_the_docs_and_tries_an_operation(page: Page, live_server: LiveServer) -> None:
    tenant = live_server.platform.catalogue.create(new_tenant_command())
    person = ensure_user(live_server.app, tenant.code, [Role.AUDITOR])
    page.set_default_timeout(BUSY_PAGE_MS)
    page.goto(f"{live_server.url}/api/v1/docs?registry={tenant.code}")  # as the registry's pages link to it

    authorize = page.locator(".auth-wrapper button.authorize")
    expect(authorize).to_be_visible(timeout=BUSY_PAGE_MS)
    authorize.click()
    heading = page.get_by_role("heading", name=f"registry-{tenant.code} (OAuth2, authorizationCode with PKCE)")
    flow = page.locator(".auth-container", has=heading)
    expect(flow.get_by_role("textbox").first).to_have_value("api-docs", timeout=BUSY_PAGE_MS)
    with page.expect_popup() as opened:
        flow.get_by_role("button", name="Apply given OAuth2 credentials").click()
    login = opened.value
    login.get_by_label("Username").fill(person.username)
    login.get_by_label("Password", exact=True).fill(PASSWORD)
    login.get_by_role("button", name="Sign in").click()
    expect(flow.locator("button", has_text="Logout")).to_be_visible(timeout=BUSY_PAGE_MS)
    page.locator(".auth-btn-wrapper button", has_text="Close").first.click()

    page.locator("#operations-tag-identity").click()  # the sections start folded
    operation = page.locator("#operations-identity-get_me")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.locator("input[placeholder='registry']").fill(tenant.code)
    operation.get_by_role("button", name="Execute").click()

    status = operation.locator(".live-responses-table tbody .response-col_status").first
    expect(status).to_have_text("200", timeout=BUSY_PAGE_MS)
    body = operation.locator(".live-responses-table .microlight").first
    expect(body).to_contain_text(f'"subject": "{person.id}"', timeout=BUSY_PAGE_MS)
    expect(body).to_contain_text('"client_id": "api-docs"', timeout=BUSY_PAGE_MS)
