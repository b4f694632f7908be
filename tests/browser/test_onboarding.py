"""The onboarding journey in a browser: a participant completes a script step in a training registry and
sees it ticked; an operator answers the needs assessment and asks for a promotion, a second operator
approves it, and the production registry starts empty, its first administrator signing in."""

from __future__ import annotations

import re
import time
from typing import Any

from playwright.sync_api import Page, expect

from gateway.auth.principal import Role
from tests.browser.conftest import LiveServer, screenshot, sign_in
from tests.conftest import unique_code, unique_party
from tests.factories.auth import auth_header, bearer_token, ensure_user
from tests.factories.auth import sign_in as api_sign_in
from tests.integration.onboarding.test_journey_api import assert_nothing_of_training_data_in

TENANTS = "/api/v1/platform/tenants"


def training_registry(live_server: LiveServer) -> dict[str, Any]:
    party = unique_party()
    body = {
        "code": unique_code(party.lower()),
        "party": party,
        "registry_id": f"{party}01",
        "name": f"Training registry of {party}",
        "kind": "training",
    }
    operator = auth_header(bearer_token(live_server.app, None, [Role.PLATFORM_OPERATOR]))
    answer = live_server.app.test_client().post(TENANTS, json=body, headers=operator)
    assert answer.status_code == 201, answer.get_json()
    created: dict[str, Any] = answer.get_json()
    return created


def password_of(created: dict[str, Any], username: str) -> str:
    return next(p["password"] for p in created["training"]["people"] if p["username"] == username)


def accounts_to_transfer_between(live_server: LiveServer, code: str, password: str) -> tuple[str, str]:
    token = api_sign_in(live_server.app, code, "trainee-admin", password=password)["access_token"]
    http, headers, base = live_server.app.test_client(), auth_header(token), f"/api/v1/registries/{code}"
    accounts = http.get(f"{base}/accounts?page_size=100", headers=headers).get_json()["items"]
    holding = [a["id"] for a in accounts if a["type"].endswith("holding")]
    source = next(a for a in holding if http.get(f"{base}/accounts/{a}/holdings", headers=headers).get_json()["total"])
    return source, next(a for a in holding if a != source)


def test_a_participant_completes_a_script_step_and_sees_it_ticked(page: Page, live_server: LiveServer) -> None:
    created = training_registry(live_server)
    code, password = created["code"], password_of(created, "trainee-admin")
    source, target = accounts_to_transfer_between(live_server, code, password)
    console = live_server.registry(code) + "/console"

    sign_in(page, console + "/", "trainee-admin", password)
    checklist = page.get_by_role("complementary", name="Training script")
    expect(checklist).to_contain_text("0 of 6 steps done")
    step = checklist.locator('[data-step="transfer-units"]')
    expect(step).not_to_have_class(re.compile(r"\bdone\b"))
    screenshot(page, "onboarding-checklist-empty")

    step.get_by_role("link", name="Transfer units between two accounts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Transfer units")
    form, aside = page.locator("main form").first.bounding_box(), checklist.bounding_box()
    assert form is not None
    assert aside is not None
    assert aside["x"] >= form["x"] + form["width"]  # beside the real form, not below it
    page.locator("#f-source-account-id").select_option(source)
    page.locator("#f-destination-account-id").select_option(target)
    page.locator("#f-quantity").fill("1")
    page.get_by_role("button", name="Transfer units").click()
    expect(page.locator(".flash")).to_contain_text("completed")

    deadline = time.monotonic() + 30  # the event reaches the registry's log through the relay and reporting
    while "done" not in (step.get_attribute("class") or "") and time.monotonic() < deadline:
        time.sleep(0.5)
        page.reload()
    expect(step).to_have_class(re.compile(r"\bdone\b"))
    expect(checklist).to_contain_text("1 of 6 steps done")
    screenshot(page, "onboarding-step-ticked")

    checklist.get_by_label("Feedback on this page").fill("The account list could show balances.")
    checklist.get_by_role("button", name="Send feedback").click()
    expect(page.locator(".flash")).to_contain_text("your feedback was sent")


ASSESSMENT = {
    "#q-legal_mandate": "in_force",
    "#q-article6_participation": "multi_year",
    "#q-cooperative_approaches": "negotiating",
    "#q-default_language": "fr",
    "#q-data_residency": "shared",
    "#q-identity_federation": "oidc",
    "#q-cadt_participation": "yes",
    "#q-aef_reporting": "yes",
}


def answer_the_assessment(page: Page) -> None:
    for select, value in ASSESSMENT.items():
        page.locator(select).select_option(value)
    for name, value in (("q-metrics", "t_co2e"), ("q-languages", "fr"), ("q-integrations", "other_registries")):
        page.locator(f'input[name="{name}"][value="{value}"]').check()
    page.locator("#q-ndc_first_year").fill("2026")
    page.locator("#q-ndc_last_year").fill("2035")
    page.locator("#q-time_zone").fill("Africa/Dakar")
    page.get_by_role("button", name="Save answers").click()
    expect(page.locator(".flash")).to_contain_text("Answers saved")


def test_an_operator_promotes_assessed_settings_with_four_eyes(page: Page, live_server: LiveServer) -> None:
    created = training_registry(live_server)
    code, party = created["code"], created["party"]
    first = ensure_user(live_server.app, None, [])
    second = ensure_user(live_server.app, None, [])
    journey = f"{live_server.url}/operator/journeys/{code}"

    sign_in(page, live_server.url + "/operator/journeys", first.username)
    row = page.locator(f"#journey-{code}")
    expect(row.locator(".phase")).to_have_text("training")
    row.get_by_role("link").click()
    answer_the_assessment(page)
    expect(page.locator('.gap-report tr[data-question="identity_federation"]')).to_contain_text("to choose")
    screenshot(page, "onboarding-gap-report")

    production = f"{code}-prod"
    page.get_by_label("Code of the production registry").fill(production)
    page.get_by_label("Registry id").fill(f"{party}02")
    page.get_by_label("Name", exact=True).fill(f"National registry of {party}")
    page.get_by_label("First administrator's username").fill("aminata.diallo")
    page.get_by_label("First administrator's name").fill("Aminata Diallo")
    page.get_by_role("button", name="Ask for the promotion").click()
    expect(page.locator(".settings-diff")).to_contain_text("default_language")
    expect(page.get_by_text("another operator approves it")).to_be_visible()
    expect(page.get_by_role("button", name="Approve and create the production registry")).to_have_count(0)
    screenshot(page, "onboarding-promotion-asked")

    reviewer = page.context.browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")  # type: ignore[union-attr]
    other = reviewer.new_page()
    sign_in(other, journey, second.username)
    expect(other.locator(".settings-diff tr[data-setting='languages']")).to_contain_text('["fr"]')
    other.get_by_role("button", name="Approve and create the production registry").click()
    expect(other.get_by_role("heading", name=f"Registry {production} is in production")).to_be_visible()
    one_time = other.locator("code.one-time-password").inner_text()
    screenshot(other, "onboarding-promoted")
    reviewer.close()

    promoted = live_server.platform.catalogue.get(production)
    assert promoted.kind.value == "production"
    assert promoted.settings["languages"] == ["fr"]
    assert_nothing_of_training_data_in(live_server.platform, promoted.id, {"aminata.diallo"})
    assert live_server.platform.catalogue.get(code).is_served  # the training registry stays for new staff

    page.goto(live_server.registry(production) + "/console/accounts")
    expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter")  # the assessed default language
    page.locator("#username").fill("aminata.diallo")
    page.locator("#password").fill(one_time)
    with page.expect_navigation():
        page.get_by_role("button", name="Se connecter").click()
    later = page.get_by_role("button", name="Not now: sign in without it")
    if "/oauth/" in page.url and later.count():
        later.click()
    page.wait_for_url(lambda url: url.endswith("/console/accounts"))
    expect(page.locator("aside.checklist")).to_have_count(0)
    expect(page.locator(".training-banner")).to_have_count(0)
    screenshot(page, "onboarding-production-console")
