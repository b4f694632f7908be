"""Audit log page: auditors and administrators only, filtered by who, action, outcome and dates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask

from gateway.auth.principal import Role
from tenants.domain.model import Tenant
from tests.factories.auth import ensure_user
from tests.integration.web.console_admin.conftest import SignedIn, console

SIGN_IN = "POST /api/v1/registries/{registry}/oauth/authorize"


def test_auditors_read_the_log_with_sign_ins_by_username(app: Flask, tenant: Tenant, signed_in: SignedIn) -> None:
    admin = ensure_user(app, tenant.code, [Role.REGISTRY_ADMIN])
    client = signed_in([Role.AUDITOR])
    from tests.integration.web.test_browser_session import sign_in

    sign_in(app.test_client(), console(tenant, "/login"), admin.username)
    page = client.get(console(tenant, "/audit"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<h1>Audit log</h1>" in html
    assert admin.username in html
    assert SIGN_IN in html
    mine = client.get(console(tenant, f"/audit?actor={admin.username}")).get_data(as_text=True)
    assert admin.username in mine
    assert "No entry matches." not in mine
    nobody = client.get(console(tenant, "/audit?actor=nobody-at-all")).get_data(as_text=True)
    assert "No entry matches." in nobody


def test_dates_and_outcome_narrow_the_log(tenant: Tenant, signed_in: SignedIn) -> None:
    client = signed_in([Role.REGISTRY_ADMIN])
    today = datetime.now(UTC).date()
    kept = client.get(console(tenant, f"/audit?since={today - timedelta(days=1)}&until={today + timedelta(days=1)}"))
    assert SIGN_IN in kept.get_data(as_text=True)
    later = client.get(console(tenant, f"/audit?since={today + timedelta(days=2)}")).get_data(as_text=True)
    assert "No entry matches." in later
    denied = client.get(console(tenant, "/audit?outcome=denied")).get_data(as_text=True)
    assert SIGN_IN not in denied


def test_a_bad_date_is_shown_next_to_its_field(tenant: Tenant, signed_in: SignedIn) -> None:
    client = signed_in([Role.AUDITOR])
    answer = client.get(console(tenant, "/audit?since=31/01/2026"))
    html = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert 'id="since-error">Enter a date as YYYY-MM-DD' in html
    assert 'value="31/01/2026"' in html
    backwards = client.get(console(tenant, "/audit?since=2026-02-01&until=2026-01-01")).get_data(as_text=True)
    assert 'id="until-error"' in backwards


def test_account_representatives_get_a_403_page(tenant: Tenant, signed_in: SignedIn) -> None:
    answer = signed_in([Role.ACCOUNT_REPRESENTATIVE]).get(console(tenant, "/audit"))
    assert answer.status_code == 403
    assert answer.mimetype == "text/html"
