"""An administrator generates a year's AEF in the console, watches its progress bar reach 100 %
and downloads the workbook, which opens with the AEF's sheets."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from gateway.auth.principal import Role
from services.reporting.adapters.exports import STATUS_SHEET
from services.reporting.domain import aef
from tests.browser.conftest import LiveServer, screenshot, sign_in
from tests.conftest import new_tenant_command
from tests.factories.auth import ensure_user


def test_an_administrator_generates_an_aef_and_downloads_the_workbook(
    live_server: LiveServer, page: Page, tmp_path: Path
) -> None:
    tenant = live_server.platform.catalogue.create(new_tenant_command(settings={"mfa_required_for": []}))
    admin = ensure_user(live_server.app, tenant.code, [Role.REGISTRY_ADMIN])
    reports = f"{live_server.registry(tenant.code)}/console/reports"
    sign_in(page, reports, admin.username)
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports")

    year = datetime.now(UTC).year
    page.get_by_label("Year").fill(str(year + 1))
    page.get_by_role("button", name="Generate").click()
    expect(page.locator("#year-error")).to_contain_text("has not started yet")

    page.get_by_label("Year").fill(str(year))
    page.get_by_role("button", name="Generate").click()
    page.wait_for_url("**/console/reports/jobs/*")
    expect(page.locator("progress#progress")).to_have_js_property("value", 100, timeout=60_000)
    expect(page.get_by_role("link", name="Excel workbook (XLSX)")).to_be_visible(timeout=30_000)
    screenshot(page, "console-aef-job-done")

    with page.expect_download() as waiting:
        page.get_by_role("link", name="Excel workbook (XLSX)").click()
    download = waiting.value
    assert download.suggested_filename.startswith(f"AEF-{tenant.party}-{year}-v1.0")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    book = load_workbook(saved, read_only=True)
    assert book.sheetnames == [*aef.SHEETS, STATUS_SHEET]
