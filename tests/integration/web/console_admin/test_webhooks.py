"""The console's webhook pages: subscribe (the secret shown once), see deliveries and every attempt, replay,
pause, rotate and remove; an account holder only for its own accounts."""

from __future__ import annotations

import re
from uuid import UUID, uuid4

from flask import Flask

from gateway.auth.principal import Role
from services.webhooks.service_layer.ports import Attempt
from tenants.domain.model import Tenant
from tests.factories.auth import auth_header, bearer_token, ensure_user
from tests.factories.resources import make_account, make_organization
from tests.integration.web.console_admin.conftest import SignedIn, console, csrf
from tests.integration.web.test_browser_session import sign_in

PUBLIC = "https://93.184.216.34/hooks"  # an address: nothing to resolve
OPENED = "ledger.account.opened.v1"


class Refusing:
    """An endpoint that answers 500 to everything."""

    def post(self, url: str, headers: dict[str, str], body: str) -> Attempt:
        return Attempt(500, 12, "upstream down")


def subscribe(client: object, tenant: Tenant, **form: object) -> object:
    body = {"csrf_token": csrf(client), "url": PUBLIC, "event_types": [OPENED], **form}  # type: ignore[arg-type]
    return client.post(console(tenant, "/webhooks"), data=body)  # type: ignore[attr-defined]


def test_an_administrator_subscribes_sees_the_secret_once_and_replays_a_failed_delivery(
    app: Flask, tenant: Tenant, signed_in: SignedIn
) -> None:
    admin = signed_in([Role.REGISTRY_ADMIN])

    created = subscribe(admin, tenant, description="Exchange ERP")

    assert created.status_code == 201  # type: ignore[attr-defined]
    page = created.get_data(as_text=True)  # type: ignore[attr-defined]
    assert re.search(r"<code>whsec_[A-Za-z0-9+/=]{40,}</code>", page)
    listing = admin.get(console(tenant, "/webhooks")).get_data(as_text=True)
    assert PUBLIC in listing
    assert "Exchange ERP" in listing
    assert "whsec_" not in listing
    subscription_id = re.search(r"/webhooks/([0-9a-f-]{36})\"", listing).group(1)  # type: ignore[union-attr]

    webhooks = app.extensions["webhooks"]
    webhooks.transport = Refusing()
    with webhooks.database.transaction(tenant.id) as session:
        subscription = webhooks.store.subscription(session, tenant.id, UUID(subscription_id))
        webhooks.store.add_delivery(session, subscription, uuid4(), uuid4(), OPENED, '{"type": "x"}')
    webhooks.worker(lambda: [tenant.id]).send_due()

    detail = admin.get(console(tenant, f"/webhooks/{subscription_id}")).get_data(as_text=True)
    delivery_id = re.search(r"/webhooks/deliveries/([0-9a-f-]{36})", detail).group(1)  # type: ignore[union-attr]
    shown = admin.get(console(tenant, f"/webhooks/deliveries/{delivery_id}")).get_data(as_text=True)
    assert "upstream down" in shown
    assert ">500<" in shown

    replayed = admin.post(
        console(tenant, f"/webhooks/deliveries/{delivery_id}/replay"), data={"csrf_token": csrf(admin)}
    )
    assert replayed.status_code == 303
    with webhooks.database.transaction(tenant.id) as session:
        assert webhooks.store.delivery(session, tenant.id, UUID(delivery_id))["attempts"] == 0

    rotated = admin.post(console(tenant, f"/webhooks/{subscription_id}/rotate"), data={"csrf_token": csrf(admin)})
    assert re.search(r"<code>whsec_", rotated.get_data(as_text=True))
    paused = admin.post(
        console(tenant, f"/webhooks/{subscription_id}/status"), data={"csrf_token": csrf(admin), "status": "paused"}
    )
    assert paused.status_code == 303
    with webhooks.database.transaction(tenant.id) as session:
        assert webhooks.store.subscription(session, tenant.id, UUID(subscription_id)).status.value == "paused"
    removed = admin.post(console(tenant, f"/webhooks/{subscription_id}/delete"), data={"csrf_token": csrf(admin)})
    assert removed.status_code == 303
    assert admin.get(console(tenant, f"/webhooks/{subscription_id}")).status_code == 404


def test_an_account_holder_subscribes_for_its_own_accounts_only(app: Flask, tenant: Tenant) -> None:
    organization = make_organization(app, tenant.code)
    token = bearer_token(app, tenant.code, [Role.REGISTRY_ADMIN], mfa=True)
    body = {"account_type": "entity_holding", "name": "Own", "holder_id": organization}
    opened = app.test_client().post(f"/api/v1/registries/{tenant.code}/accounts", json=body, headers=auth_header(token))
    own_account, foreign_account = opened.get_json()["id"], make_account(app, tenant.code)
    holder = app.test_client()
    user = ensure_user(app, tenant.code, [Role.ACCOUNT_REPRESENTATIVE], organization_id=UUID(organization))
    sign_in(holder, console(tenant, "/login"), user.username)

    refused = subscribe(holder, tenant, account_ids=[foreign_account])
    unnamed = subscribe(holder, tenant)
    assert "No subscription yet." in holder.get(console(tenant, "/webhooks")).get_data(as_text=True)
    created = subscribe(holder, tenant, account_ids=[own_account])

    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert "your own accounts" in refused.get_data(as_text=True)  # type: ignore[attr-defined]
    assert unnamed.status_code == 422  # type: ignore[attr-defined]
    assert created.status_code == 201  # type: ignore[attr-defined]
    assert "No subscription yet." not in holder.get(console(tenant, "/webhooks")).get_data(as_text=True)


def test_an_auditor_sees_the_pages_but_no_form(tenant: Tenant, signed_in: SignedIn) -> None:
    auditor = signed_in([Role.AUDITOR])

    page = auditor.get(console(tenant, "/webhooks"))

    assert page.status_code == 200
    assert 'action="/registries' not in page.get_data(as_text=True).split("Subscriptions")[1]
    assert subscribe(auditor, tenant).status_code == 403  # type: ignore[attr-defined]
