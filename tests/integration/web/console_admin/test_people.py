"""People page: administrators disable, re-enable and reset second factors with forms; auditors only read."""

from __future__ import annotations

from flask import Flask

from gateway.auth.principal import Role
from gateway.bootstrap import platform_of
from tenants.domain.model import Tenant
from tests.conftest import new_tenant_command
from tests.factories.auth import ensure_user, sign_in
from tests.integration.web.console_admin.conftest import SignedIn, console, csrf
from tests.integration.web.test_browser_session import sign_in as console_sign_in


def account(app: Flask, tenant: Tenant, username: str) -> object:
    identity = platform_of(app).identity
    with identity.uow(tenant.id) as uow:
        return uow.users.by_username(username)


def test_an_administrator_disables_and_enables_a_person(app: Flask, tenant: Tenant, signed_in: SignedIn) -> None:
    person = ensure_user(app, tenant.code, [Role.AUDITOR])
    client = signed_in([Role.REGISTRY_ADMIN])
    page = client.get(console(tenant, "/people")).get_data(as_text=True)
    assert f'action="/registries/{tenant.code}/console/people/{person.id}/disable"' in page
    disabled = client.post(console(tenant, f"/people/{person.id}/disable"), data={"csrf_token": csrf(client)})
    assert disabled.status_code == 303
    assert account(app, tenant, person.username).disabled  # type: ignore[attr-defined]
    page = client.get(console(tenant, "/people")).get_data(as_text=True)
    assert f"{person.username} is disabled." in page
    client.post(console(tenant, f"/people/{person.id}/enable"), data={"csrf_token": csrf(client)})
    assert sign_in(app, tenant.code, person.username)["access_token"]


def test_an_administrator_resets_a_second_factor(app: Flask, tenant: Tenant, signed_in: SignedIn) -> None:
    person = ensure_user(app, tenant.code, [Role.AUDITOR], mfa=True)
    client = signed_in([Role.REGISTRY_ADMIN])
    answer = client.post(console(tenant, f"/people/{person.id}/mfa-reset"), data={"csrf_token": csrf(client)})
    assert answer.status_code == 303
    assert not account(app, tenant, person.username).mfa_enabled  # type: ignore[attr-defined]


def test_a_forged_form_and_an_auditor_change_nothing(app: Flask, tenant: Tenant, signed_in: SignedIn) -> None:
    person = ensure_user(app, tenant.code, [Role.AUDITOR])
    admin = signed_in([Role.REGISTRY_ADMIN])
    assert admin.post(console(tenant, f"/people/{person.id}/disable"), data={"csrf_token": "forged"}).status_code == 403
    auditor = signed_in([Role.AUDITOR])
    page = auditor.get(console(tenant, "/people"))
    assert page.status_code == 200
    assert "/disable" not in page.get_data(as_text=True)
    refused = auditor.post(console(tenant, f"/people/{person.id}/disable"), data={"csrf_token": csrf(auditor)})
    assert refused.status_code == 403
    assert not account(app, tenant, person.username).disabled  # type: ignore[attr-defined]


def test_another_registrys_person_is_not_found(app: Flask, tenant: Tenant, signed_in: SignedIn) -> None:
    other = platform_of(app).catalogue.create(new_tenant_command())
    stranger = ensure_user(app, other.code, [Role.AUDITOR])
    client = signed_in([Role.REGISTRY_ADMIN])
    answer = client.post(console(tenant, f"/people/{stranger.id}/disable"), data={"csrf_token": csrf(client)})
    assert answer.status_code == 404
    assert not account(app, other, stranger.username).disabled  # type: ignore[attr-defined]


def test_an_administrator_cannot_disable_themselves(app: Flask, tenant: Tenant) -> None:
    me = ensure_user(app, tenant.code, [Role.REGISTRY_ADMIN])
    client = app.test_client()
    console_sign_in(client, console(tenant, "/login"), me.username)
    answer = client.post(console(tenant, f"/people/{me.id}/disable"), data={"csrf_token": csrf(client)})
    assert answer.status_code == 422
    assert "cannot disable your own account" in answer.get_data(as_text=True)
