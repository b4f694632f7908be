"""The public explorer in a real browser: search projects, open one, look up a serial, open a retirement."""

from __future__ import annotations

import time

from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer, screenshot
from tests.integration.web.public.seed import BENEFICIARY, Seeded, registry, seed

PROJECTION_WAIT_SECONDS = 20


def seeded(live_server: LiveServer) -> Seeded:
    platform = live_server.platform
    return seed(platform, registry(platform), other_projects=3)


def test_search_a_project_look_up_a_serial_and_open_the_retirement(page: Page, live_server: LiveServer) -> None:
    s = seeded(live_server)
    base = live_server.registry(s.tenant.code)
    page.goto(base + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text(s.tenant.name)
    expect(page.locator("#total-issued")).to_have_text("1,000")
    expect(page.locator("svg.chart title").first).to_have_text("Units issued")
    screenshot(page, "public-landing")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Projects").click()
    page.get_by_label("Name or id").fill("cookstoves")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(f"{base}/projects?q=cookstoves&sector=&type=&methodology=&status=&country=&vintage=")
    expect(page.get_by_role("link", name="Forest 00")).to_have_count(0)
    page.get_by_role("link", name="Clean cookstoves in Ashanti").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Clean cookstoves in Ashanti")
    expect(page.get_by_role("cell", name=BENEFICIARY)).to_be_visible()

    page.get_by_role("link", name="Units", exact=True).click()
    page.get_by_label("Serial number or ITMO identifier").fill(str(s.serial))
    page.get_by_role("button", name="Look up").click()
    expect(page.get_by_role("heading", level=2, name=s.retired_first_itmo_id)).to_be_visible()
    expect(page.get_by_role("cell", name="Issuance")).to_be_visible()
    page.get_by_role("row", name="Retirement").get_by_role("link").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Retirement")
    expect(page).to_have_url(f"{base}/retirements/{s.retirement_id}")
    expect(page.locator("dl.facts")).to_contain_text(BENEFICIARY)
    expect(page.get_by_role("cell", name=s.retired_first_itmo_id)).to_be_visible()


def test_authorizations_appear_once_the_projection_has_them(page: Page, live_server: LiveServer) -> None:
    s = seeded(live_server)
    page.goto(live_server.registry(s.tenant.code) + "/authorizations")
    reference = page.get_by_role("heading", level=2, name=f"{s.tenant.party}-A-1")
    deadline = time.monotonic() + PROJECTION_WAIT_SECONDS
    while not reference.is_visible() and time.monotonic() < deadline:  # the embedded consumer catches up
        page.wait_for_timeout(500)
        page.reload()
    expect(reference).to_be_visible()
    page.get_by_role("link", name="Cooperative approaches and authorized entities").click()
    expect(page.get_by_role("cell", name=s.approach_id)).to_be_visible()


def test_the_project_and_retirement_pages_fit_a_phone(phone: Page, live_server: LiveServer) -> None:
    s = seeded(live_server)
    base = live_server.registry(s.tenant.code)
    for path, heading in (
        (f"/projects/{s.project_id}", "Clean cookstoves in Ashanti"),
        (f"/retirements/{s.retirement_id}", "Retirement"),
    ):
        phone.goto(base + path)
        expect(phone.get_by_role("heading", level=1)).to_contain_text(heading)
        overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone"
        screenshot(phone, "public" + path.split("/")[1] + "-phone")
