"""The registry's account-protection settings page: delays, the registry's limits, over-limit handling and
hours, saved through the tenant schema; a bad value is shown next to its field and nothing changes."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from gateway.auth.principal import Role
from gateway.bootstrap import platform_of
from tenants.domain.errors import InvalidTenant
from tenants.domain.model import Tenant
from tenants.service_layer.catalogue import change_settings
from tests.integration.web.console_admin.conftest import SignedIn, console, csrf

FORM = {
    "trusted_account_delay_minutes": "10080",
    "untrusted_transfer_delay_minutes": "1560",
    "on_limit": "hold",
    "per_transfer": "5000",
    "per_24_hours": "",
    "transfers_per_24_hours": "4",
    "opens": "08:00",
    "closes": "18:00",
    "days": ["1", "2", "3", "4", "5"],
}


def _save(client: FlaskClient, tenant: Tenant, **changes: object) -> tuple[int, str]:
    form = {"csrf_token": csrf(client), **FORM, **changes}
    answer = client.post(console(tenant, "/settings/protection"), data=form)
    return answer.status_code, answer.get_data(as_text=True)


def _saved(app: Flask, tenant: Tenant) -> object:
    return platform_of(app).catalogue.get(tenant.code).settings.get("account_protection")


def test_an_administrator_turns_account_protection_on(app: Flask, tenant: Tenant, signed_in: SignedIn) -> None:
    client = signed_in([Role.REGISTRY_ADMIN])
    page = client.get(console(tenant, "/settings/protection")).get_data(as_text=True)
    assert "Account protection is off" in page
    assert _save(client, tenant)[0] == 303
    assert _saved(app, tenant) == {
        "trusted_account_delay_minutes": 10080,
        "untrusted_transfer_delay_minutes": 1560,
        "on_limit": "hold",
        "limits": {"per_transfer": 5000, "transfers_per_24_hours": 4},
        "hours": {"opens": "08:00", "closes": "18:00", "days": [1, 2, 3, 4, 5]},
    }
    shown = client.get(console(tenant, "/settings/protection")).get_data(as_text=True)
    assert "Account protection is off" not in shown
    assert 'value="5000"' in shown
    assert 'value="08:00"' in shown


def test_empty_hours_and_limits_are_left_out(app: Flask, tenant: Tenant, signed_in: SignedIn) -> None:
    client = signed_in([Role.REGISTRY_ADMIN])
    empty = {"per_transfer": "", "transfers_per_24_hours": "", "opens": "", "closes": "", "on_limit": "refuse"}
    assert _save(client, tenant, **empty)[0] == 303
    assert _saved(app, tenant) == {
        "trusted_account_delay_minutes": 10080,
        "untrusted_transfer_delay_minutes": 1560,
        "on_limit": "refuse",
    }


def test_bad_values_are_refused_next_to_the_field_and_nothing_changes(
    app: Flask, tenant: Tenant, signed_in: SignedIn
) -> None:
    client = signed_in([Role.REGISTRY_ADMIN])
    for field, value, where in (
        ("untrusted_transfer_delay_minutes", "-5", "untrusted_transfer_delay_minutes-error"),
        ("per_transfer", "0", "per_transfer-error"),
        ("on_limit", "shrug", "on_limit-error"),
        ("closes", "07:00", "hours-error"),
        ("days", [], "hours-error"),
    ):
        status, html = _save(client, tenant, **{field: value})
        assert status == 422, field
        assert f'id="{where}"' in html, field
    status, html = _save(client, tenant, untrusted_transfer_delay_minutes="9999999")
    assert status == 422
    assert "account_protection" in html
    assert 'value="9999999"' in html
    assert _saved(app, tenant) is None


def test_auditors_read_the_page_and_cannot_change_it(app: Flask, tenant: Tenant, signed_in: SignedIn) -> None:
    auditor = signed_in([Role.AUDITOR])
    page = auditor.get(console(tenant, "/settings/protection"))
    assert page.status_code == 200
    assert "Only registry administrators" in page.get_data(as_text=True)
    assert _save(auditor, tenant)[0] == 403
    representative = signed_in([Role.ACCOUNT_REPRESENTATIVE])
    assert representative.get(console(tenant, "/settings/protection")).status_code == 403
    assert _saved(app, tenant) is None


def test_a_setting_the_schema_does_not_know_is_still_refused(app: Flask, tenant: Tenant) -> None:
    with pytest.raises(InvalidTenant, match="not a tenant setting"):
        change_settings(platform_of(app).catalogue, tenant.code, {"account_protections": {}})
