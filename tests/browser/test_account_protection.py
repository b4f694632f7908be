"""Account protection in a browser. The theft from the holder's side: a stolen session puts the attacker's
account abroad on the trusted list and tries to send every unit abroad; the holder signs in, sees the
pending transfer and the pending trusted entry, cancels the one and removes the other, and nothing left.
And an administrator freezes an account that a second administrator unfreezes."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from gateway.auth.principal import Role
from tests.browser.conftest import LiveServer, screenshot, sign_in
from tests.factories.auth import ensure_user
from tests.integration.ledger_api.test_account_theft import protect, victim_with_units
from tests.integration.ledger_api.world import Registry, furnish, new_registry

NO_HOLDS = {"approval_policy": {"four_eyes": [], "delay_minutes": {}}, "mfa_required_for": []}


def _registries(live_server: LiveServer) -> tuple[Registry, Registry]:
    switzerland = new_registry(live_server.app, **NO_HOLDS)
    ghana = furnish(new_registry(live_server.app, **NO_HOLDS), switzerland)
    return ghana, switzerland


def test_a_stolen_session_is_stopped_and_the_holder_undoes_it(
    page: Page, browser: Browser, live_server: LiveServer
) -> None:
    ghana, switzerland = _registries(live_server)
    protect(ghana)
    organization, _number = victim_with_units(ghana)
    victim = ghana.accounts["victim"]
    holder = ensure_user(
        live_server.app, ghana.tenant.code, [Role.ACCOUNT_REPRESENTATIVE], organization_id=organization
    )
    partner = ghana.read(f"/accounts/{ghana.accounts['partner']}")["number"]
    console = live_server.registry(ghana.tenant.code) + "/console"

    stolen_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    stolen = stolen_context.new_page()
    sign_in(stolen, f"{console}/accounts/{victim}/protection", holder.username)
    stolen.get_by_label("Account number").fill(partner)
    stolen.get_by_label("Registry id, for an account abroad").fill(switzerland.tenant.registry_id)
    stolen.get_by_role("button", name="Propose a trusted account").click()
    expect(stolen.get_by_role("status")).to_contain_text("a second person approves it")
    expect(stolen.locator("tr.trusted-entry")).to_contain_text("Awaiting approval")
    stolen.goto(f"{console}/actions/international-transfer")
    stolen.locator("#f-source-account-id").select_option(victim)
    stolen.locator("#f-external-account-id").select_option(ghana.accounts["partner"])
    stolen.locator("#f-quantity").fill("100")
    stolen.get_by_role("button", name="Transfer units abroad").click()
    expect(stolen.locator(".flash")).to_contain_text("delayed")
    screenshot(stolen, "theft-stolen-session-transfer-delayed")
    stolen_context.close()

    sign_in(page, f"{console}/pending", holder.username)
    expect(page.get_by_role("heading", level=1)).to_have_text("Pending movements")
    movement = page.locator("section.pending")
    expect(movement).to_have_count(1)
    expect(movement).to_contain_text("Delayed")
    expect(movement).to_contain_text("100")
    expect(movement.locator(".waits-because")).to_contain_text("LDG-086")
    expect(movement).to_contain_text(partner)  # the attacker's account, by the number the holder knows it by
    screenshot(page, "theft-holder-sees-pending-transfer")
    movement.get_by_label("Reason for cancelling").fill("Not me: my session was stolen")
    movement.get_by_role("button", name="Cancel").click()
    expect(page.locator(".flash")).to_contain_text("cancelled")
    expect(page.get_by_text("Nothing is pending.")).to_be_visible()

    page.goto(f"{console}/accounts/{victim}/protection")
    entry = page.locator("tr.trusted-entry")
    expect(entry).to_contain_text(partner)
    expect(entry).to_contain_text("Awaiting approval")
    entry.get_by_role("button", name=f"Remove {partner}").click()
    expect(page.get_by_role("status")).to_contain_text("The trusted account is removed.")
    expect(page.get_by_text("No trusted accounts")).to_be_visible()

    page.goto(f"{console}/accounts/{victim}")
    expect(page.get_by_text("Total held: 100 units")).to_be_visible()
    screenshot(page, "theft-holder-account-intact")
    assert ghana.holdings("victim") == 100
    assert ghana.outbox_data("ledger.transfer.international_requested.v1") == []


def test_an_administrator_freezes_an_account_and_a_second_one_unfreezes_it(page: Page, live_server: LiveServer) -> None:
    ghana, _switzerland = _registries(live_server)
    _organization, _number = victim_with_units(ghana)
    victim = ghana.accounts["victim"]
    first = ensure_user(live_server.app, ghana.tenant.code, [Role.REGISTRY_ADMIN])
    second = ensure_user(live_server.app, ghana.tenant.code, [Role.REGISTRY_ADMIN])
    protection = f"{live_server.registry(ghana.tenant.code)}/console/accounts/{victim}/protection"

    sign_in(page, protection, first.username)
    page.get_by_role("button", name="Freeze the account").click()
    expect(page.locator("#refusal-freeze")).to_contain_text("request.invalid")
    page.get_by_label("Reason for freezing the account").fill("Phishing reported by the holder")
    page.get_by_role("button", name="Freeze the account").click()
    expect(page.get_by_role("status")).to_contain_text("nothing moves out of it")
    expect(page.get_by_text("Phishing reported by the holder")).to_be_visible()
    page.get_by_role("button", name="Ask to unfreeze").click()
    expect(page.get_by_role("status")).to_contain_text("a second administrator lifts the freeze")
    page.get_by_role("button", name="Confirm the unfreeze").click()
    expect(page.locator("#refusal-unfreeze")).to_contain_text("LDG-092")
    screenshot(page, "freeze-unfreeze-refused-to-the-same-administrator")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, protection, second.username)
    expect(page.get_by_text("Phishing reported by the holder")).to_be_visible()
    page.get_by_role("button", name="Confirm the unfreeze").click()
    expect(page.get_by_role("status")).to_contain_text("The freeze is lifted.")
    expect(page.get_by_text("Not frozen.").first).to_be_visible()
    screenshot(page, "freeze-lifted-by-a-second-administrator")
