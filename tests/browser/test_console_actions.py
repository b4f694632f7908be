"""The registry console in a browser: an administrator issues and transfers units under four eyes, a second
person approves; an account holder retires units and opens the retirement's public page."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from playwright.sync_api import Page, expect
from uuid6 import uuid7

from gateway.auth.principal import Role
from services.ledger.domain import commands
from services.ledger.domain.accounts import AccountType
from services.ledger.domain.values import VintageQuantity
from tenants.service_layer.catalogue import change_settings
from tests.browser.conftest import LiveServer, screenshot, sign_in
from tests.factories.auth import ensure_user
from tests.integration.web.public.seed import ACTOR, Seeded, registry, seed

FOUR_EYES = {"approval_policy": {"four_eyes": ["transfer_domestic"]}, "mfa_required_for": []}


def _seeded(live_server: LiveServer) -> Seeded:
    platform = live_server.platform
    return seed(platform, registry(platform, mfa_required_for=[]))


def test_an_administrator_issues_and_transfers_with_a_second_person_approving(
    page: Page, live_server: LiveServer
) -> None:
    world = _seeded(live_server)
    platform, code = live_server.platform, world.tenant.code
    bus = platform.ledger.bus(platform.ledger_tenant(world.tenant))
    issuance = bus.handle(
        commands.RecordIssuance(
            actor_id=ACTOR,
            project_id=world.project_id,
            monitoring_start=date(2024, 1, 1),
            monitoring_end=date(2024, 12, 31),
            verifier="Verifier GmbH",
            verified_on=date(2025, 3, 1),
            issued_on=date(2025, 3, 15),
            quantities=(VintageQuantity(2024, 500),),
        )
    )
    change_settings(platform.catalogue, code, FOUR_EYES)
    admin = ensure_user(live_server.app, code, [Role.REGISTRY_ADMIN], username=f"admin-{code}")
    approver = ensure_user(live_server.app, code, [Role.APPROVER], username=f"approver-{code}")
    console = live_server.registry(code) + "/console"

    sign_in(page, console + "/actions/issuance", admin.username)
    expect(page.get_by_role("heading", level=1)).to_have_text("Issue units")
    page.locator("#f-issuance-id").fill(str(issuance.record_id))
    page.locator("#f-account-id").select_option(str(world.accounts["issuance"]))
    page.locator("#f-cooperative-approach-id").fill(world.approach_id)
    page.locator("#f-vintage").fill("2024")
    page.locator("#f-quantity").fill("500")
    screenshot(page, "console-issue-form")
    page.get_by_role("button", name="Issue units").click()
    expect(page.locator(".flash")).to_contain_text("completed")

    page.goto(console + "/actions/domestic-transfer")
    page.locator("#f-source-account-id").select_option(str(world.accounts["issuance"]))
    page.locator("#f-destination-account-id").select_option(str(world.accounts["party"]))
    page.locator("#f-quantity").fill("0")
    page.get_by_role("button", name="Transfer units").click()
    expect(page.locator(".field.invalid .error")).to_contain_text("LDG-011")
    screenshot(page, "console-transfer-check-failed")
    page.locator("#f-quantity").fill("500")
    page.get_by_role("button", name="Transfer units").click()
    expect(page.locator(".flash")).to_contain_text("awaiting approval")
    held_url = page.url

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, console + "/approvals", approver.username)
    expect(page.get_by_role("heading", level=1)).to_have_text("Approvals")
    screenshot(page, "console-approvals-inbox")
    page.locator("section.approval").get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Nothing is waiting for approval.")).to_be_visible()

    page.goto(held_url)
    expect(page.locator("dl.facts")).to_contain_text("Completed")
    page.goto(f"{console}/accounts/{world.accounts['party']}")
    expect(page.get_by_text("Total held: 1,490 units")).to_be_visible()
    screenshot(page, "console-holdings-after-approval")


def test_an_account_holder_retires_units_on_a_phone_and_opens_the_retirement_page(
    phone: Page, live_server: LiveServer
) -> None:
    world = _seeded(live_server)
    platform, code = live_server.platform, world.tenant.code
    bus = platform.ledger.bus(platform.ledger_tenant(world.tenant))
    organization = uuid7()
    holder = ensure_user(
        live_server.app, code, [Role.ACCOUNT_REPRESENTATIVE], organization_id=organization, username=f"holder-{code}"
    )
    opened = bus.handle(
        commands.OpenAccount(
            actor_id=ACTOR, account_type=AccountType.ENTITY_HOLDING, name="Acme holdings", holder_id=organization
        )
    )
    account = UUID(opened.record_id)
    bus.handle(
        commands.TransferUnits(
            actor_id=ACTOR, source_account_id=world.accounts["party"], destination_account_id=account, quantity=100
        )
    )
    console = live_server.registry(code) + "/console"

    sign_in(phone, console + "/accounts", holder.username)
    phone.locator("table tbody a").first.click()
    expect(phone).to_have_url(f"{console}/accounts/{account}")
    expect(phone.get_by_text("Total held: 100 units")).to_be_visible()
    phone.get_by_role("link", name="Retire units").click()
    phone.locator("#f-retirement-account-id").select_option(str(world.accounts["retirement"]))
    phone.locator("#f-quantity").fill("25")
    phone.locator("#f-beneficiary").fill("Acme Rail")
    phone.locator("#f-reason").fill("Offsetting 2025 freight")
    screenshot(phone, "console-retire-form")
    phone.get_by_role("button", name="Retire units").click()
    expect(phone.locator(".flash")).to_contain_text("completed")
    phone.get_by_role("link", name="Open the public page of this retirement").click()
    phone.wait_for_url(f"{live_server.registry(code)}/retirements/*")
    expect(phone.get_by_text("Acme Rail").first).to_be_visible()
