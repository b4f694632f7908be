"""Settings page: administrators change the registry's settings through the schema; others read or are refused."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from gateway.auth.principal import Role
from gateway.bootstrap import platform_of
from tenants.domain.model import Tenant
from tests.conftest import new_tenant_command
from tests.integration.web.console_admin.conftest import SignedIn, console, csrf

FORM = {
    "languages": ["en", "fr"],
    "default_language": "fr",
    "time_zone": "Europe/Paris",
    "four_eyes": ["issuance", "transfer_international"],
    "confidential_fields": ["beneficiary"],
}


def _save(client: FlaskClient, tenant: Tenant, **changes: object) -> tuple[int, str]:
    answer = client.post(console(tenant, "/settings"), data={"csrf_token": csrf(client), **FORM, **changes})
    return answer.status_code, answer.get_data(as_text=True)


def test_an_administrator_changes_the_settings(app: Flask, tenant: Tenant, signed_in: SignedIn) -> None:
    client = signed_in([Role.REGISTRY_ADMIN])
    assert client.get(console(tenant, "/settings")).status_code == 200
    status, _ = _save(client, tenant)
    assert status == 303
    saved = platform_of(app).catalogue.get(tenant.code).settings
    assert saved["languages"] == ["en", "fr"]
    assert saved["default_language"] == "fr"
    assert saved["time_zone"] == "Europe/Paris"
    assert saved["confidential_fields"] == ["beneficiary"]
    assert saved["approval_policy"]["four_eyes"] == ["issuance", "transfer_international"]
    assert saved["mfa_required_for"] == []
    assert saved["ndc_implementation_period"] == tenant.settings["ndc_implementation_period"]


def test_bad_settings_are_refused_next_to_the_field_and_nothing_changes(
    app: Flask, tenant: Tenant, signed_in: SignedIn
) -> None:
    client = signed_in([Role.REGISTRY_ADMIN])
    status, html = _save(client, tenant, time_zone="Mars/Olympus_Mons")
    assert status == 422
    assert 'id="time_zone-error"' in html
    assert 'value="Mars/Olympus_Mons"' in html
    status, html = _save(client, tenant, default_language="es")
    assert status == 422
    assert 'id="default_language-error"' in html
    status, html = _save(client, tenant, languages=[])
    assert status == 422
    assert 'id="languages-error"' in html
    assert platform_of(app).catalogue.get(tenant.code).settings == tenant.settings


def test_auditors_read_the_settings_and_representatives_get_a_403_page(tenant: Tenant, signed_in: SignedIn) -> None:
    auditor = signed_in([Role.AUDITOR])
    page = auditor.get(console(tenant, "/settings"))
    assert page.status_code == 200
    assert "Only registry administrators can change" in page.get_data(as_text=True)
    assert _save(auditor, tenant)[0] == 403
    refused = signed_in([Role.ACCOUNT_REPRESENTATIVE]).get(console(tenant, "/settings"))
    assert refused.status_code == 403
    assert refused.mimetype == "text/html"


def test_changing_settings_needs_a_second_factor_where_the_registry_asks_for_one(
    app: Flask, signed_in: SignedIn
) -> None:
    strict = platform_of(app).catalogue.create(new_tenant_command())  # default: MFA for policy changes
    client = signed_in([Role.REGISTRY_ADMIN], on=strict)
    answer = client.post(console(strict, "/settings"), data={"csrf_token": csrf(client), **FORM})
    assert answer.status_code == 403
    assert "second factor" in answer.get_data(as_text=True)
    assert platform_of(app).catalogue.get(strict.code).settings == strict.settings
