"""Reports pages: the AEF form checks the year before anything starts, the job page follows the job,
and its files download; another registry's job is a 404 page."""

from __future__ import annotations

import io
import re
import time
import zipfile
from datetime import UTC, datetime

from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from gateway.auth.principal import Role
from gateway.bootstrap import platform_of
from gateway.bootstrap import reporting as context
from tenants.domain.model import Tenant
from tests.conftest import new_tenant_command
from tests.integration.web.console_admin.conftest import NO_MFA, SignedIn, console, csrf

JOB = re.compile(r"/console/reports/jobs/([0-9a-f-]{36})$")


def _generate(client: FlaskClient, tenant: Tenant, year: object, reason: str = "") -> tuple[int, str]:
    answer = client.post(
        console(tenant, "/reports"), data={"csrf_token": csrf(client), "year": str(year), "reason": reason}
    )
    return answer.status_code, answer.headers.get("Location", "") or answer.get_data(as_text=True)


def _finished(client: FlaskClient, job_url: str) -> dict[str, object]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        state: dict[str, object] = client.get(f"{job_url}/progress").get_json()
        if state["done"]:
            return state
        time.sleep(0.2)
    raise AssertionError(f"the AEF job at {job_url} did not finish within a minute")


def test_an_administrator_generates_an_aef_follows_it_and_downloads_it(
    app: Flask, tenant: Tenant, signed_in: SignedIn
) -> None:
    client = signed_in([Role.REGISTRY_ADMIN])
    page = client.get(console(tenant, "/reports"))
    assert page.status_code == 200
    assert "<h1>Reports</h1>" in page.get_data(as_text=True)
    year = datetime.now(UTC).year
    status, location = _generate(client, tenant, year)
    assert status == 303
    found = JOB.search(location)
    assert found is not None
    job_url = console(tenant, f"/reports/jobs/{found.group(1)}")
    state = _finished(client, job_url)
    assert state == {"status": "done", "percent": 100, "step": "ready to download", "done": True}
    html = client.get(job_url).get_data(as_text=True)
    assert 'value="100"' in html
    assert "download?format=xlsx" in html
    assert 'http-equiv="refresh"' not in html  # a finished job's page stops refreshing
    xlsx = client.get(f"{job_url}/download?format=xlsx")
    assert xlsx.status_code == 200
    assert f"AEF-{tenant.party}-{year}-v1.0" in xlsx.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(xlsx.data), read_only=True)
    assert "Pre-submission checks" in book.sheetnames
    zipped = zipfile.ZipFile(io.BytesIO(client.get(f"{job_url}/download?format=csv").data))
    assert "pre_submission_checks.json" in zipped.namelist()
    assert client.get(f"{job_url}/download?format=json").get_json()["passed"] in (True, False)
    listing = client.get(console(tenant, "/reports")).get_data(as_text=True)
    assert f"{year}" in listing
    assert "Version 1.0" in listing


def test_a_year_in_the_future_is_refused_next_to_the_field_and_nothing_starts(
    app: Flask, tenant: Tenant, signed_in: SignedIn
) -> None:
    client = signed_in([Role.REGISTRY_ADMIN])
    status, html = _generate(client, tenant, datetime.now(UTC).year + 1)
    assert status == 422
    assert re.search(r'id="year-error">[^<]*has not started yet', html)
    assert f'value="{datetime.now(UTC).year + 1}"' in html  # the entered value is kept
    status, html = _generate(client, tenant, "twenty")
    assert status == 422
    assert 'id="year-error"' in html
    assert context.store(platform_of(app), tenant).list() == []


def test_a_correction_needs_a_reason(app: Flask, tenant: Tenant, signed_in: SignedIn) -> None:
    client = signed_in([Role.REGISTRY_ADMIN])
    year = datetime.now(UTC).year
    status, location = _generate(client, tenant, year)
    assert status == 303
    _finished(client, location.removeprefix("http://localhost"))
    status, html = _generate(client, tenant, year)
    assert status == 409
    assert 'id="reason-error"' in html
    status, location = _generate(client, tenant, year, reason="a retirement was recorded late")
    assert status == 303
    _finished(client, location.removeprefix("http://localhost"))
    versions = [s["version"] for s in context.store(platform_of(app), tenant).list(year)]
    assert versions == ["1.0", "1.1"]


def test_auditors_read_reports_but_cannot_generate_and_representatives_cannot_read(
    tenant: Tenant, signed_in: SignedIn
) -> None:
    auditor = signed_in([Role.AUDITOR])
    page = auditor.get(console(tenant, "/reports"))
    assert page.status_code == 200
    assert 'name="year"' not in page.get_data(as_text=True)
    assert _generate(auditor, tenant, 2025)[0] == 403
    representative = signed_in([Role.ACCOUNT_REPRESENTATIVE])
    refused = representative.get(console(tenant, "/reports"))
    assert refused.status_code == 403
    assert refused.mimetype == "text/html"


def test_a_form_without_its_csrf_token_is_refused(tenant: Tenant, signed_in: SignedIn) -> None:
    client = signed_in([Role.REGISTRY_ADMIN])
    assert client.post(console(tenant, "/reports"), data={"year": "2025"}).status_code == 403


def test_another_registrys_job_is_a_404_page(app: Flask, tenant: Tenant, signed_in: SignedIn) -> None:
    other = platform_of(app).catalogue.create(new_tenant_command(settings=NO_MFA))
    theirs = signed_in([Role.REGISTRY_ADMIN], on=other)
    status, location = _generate(theirs, other, datetime.now(UTC).year)
    assert status == 303
    job_id = location.rsplit("/", 1)[-1]
    mine = signed_in([Role.REGISTRY_ADMIN])
    for suffix in ("", "/progress", "/download?format=xlsx"):
        answer = mine.get(console(tenant, f"/reports/jobs/{job_id}{suffix}"))
        assert answer.status_code == 404, suffix
    assert theirs.get(console(other, f"/reports/jobs/{job_id}")).status_code == 200


def test_a_job_not_yet_done_has_no_download_and_its_page_refreshes(
    app: Flask, tenant: Tenant, signed_in: SignedIn
) -> None:
    client = signed_in([Role.REGISTRY_ADMIN])
    platform = platform_of(app)
    queued = context.request_aef(platform, tenant, datetime.now(UTC).year, None, "someone")  # not started
    job_url = console(tenant, f"/reports/jobs/{queued}")
    html = client.get(job_url).get_data(as_text=True)
    assert '<meta http-equiv="refresh"' in html
    assert "progress.js" in html
    assert client.get(f"{job_url}/progress").get_json()["done"] is False
    assert client.get(f"{job_url}/download?format=xlsx").status_code == 409
    assert client.get(f"{job_url}/download?format=pdf").status_code == 400
    script = client.get(console(tenant, "/reports/progress.js"))
    assert script.status_code == 200
    assert script.mimetype == "text/javascript"


def test_the_reconciliation_page_says_whether_reports_agree_with_the_ledger(
    tenant: Tenant, signed_in: SignedIn
) -> None:
    html = signed_in([Role.AUDITOR]).get(console(tenant, "/reports/reconciliation")).get_data(as_text=True)
    assert "<h1>Reconciliation</h1>" in html
    assert "Consistent" in html


def test_without_a_session_a_report_page_goes_to_sign_in(app: Flask, tenant: Tenant) -> None:
    answer = app.test_client().get(console(tenant, "/reports"))
    assert answer.status_code == 302
    assert "/oauth/authorize" in answer.headers["Location"]
