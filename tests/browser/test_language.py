"""Switching language: English, then French, then Spanish; headings, numbers and dates follow."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer, screenshot
from tests.integration.web.public.seed import registry, seed


def test_switch_from_english_to_french_to_spanish(page: Page, live_server: LiveServer) -> None:
    s = seed(live_server.platform, registry(live_server.platform))
    page.goto(f"{live_server.registry(s.tenant.code)}/projects/{s.project_id}")
    issuances = page.get_by_role("heading", level=2).first
    expect(issuances).to_have_text("Issuances")
    expect(page.get_by_role("cell", name="Mar 15, 2024")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("1,000")

    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change").click()
    expect(issuances).to_have_text("Émissions")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("cell", name="15 mars 2024")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("1\u202f000")
    screenshot(page, "language-fr")

    page.get_by_label("Langue").select_option("es")
    page.get_by_role("button", name="Changer").click()
    expect(issuances).to_have_text("Emisiones")
    expect(page.get_by_role("cell", name="15 mar 2024")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("1.000")

    page.get_by_role("navigation", name="Principal").get_by_role("link", name="Glosario").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Glosario de términos del artículo 6")
