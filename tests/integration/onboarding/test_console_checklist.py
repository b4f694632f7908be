"""The checklist beside the console's pages in a training registry, ticked from the registry's events,
and the feedback form on every page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from gateway.app import create_app
from gateway.auth.principal import Role
from gateway.bootstrap import platform_of
from tests.conftest import DatabaseUrls, new_tenant_command, settings_for
from tests.factories.auth import auth_header, bearer_token, ensure_user
from tests.factories.auth import sign_in as api_sign_in
from tests.integration.test_tenant_export import drain_events
from tests.integration.training.conftest import TENANTS, registry_body
from tests.integration.web.console.conftest import csrf
from tests.integration.web.test_browser_session import sign_in


@pytest.fixture
def app(database_urls: DatabaseUrls) -> Iterator[Flask]:
    built = create_app(settings_for(database_urls))
    built.config.update(RATE_LIMIT_PER_CLIENT_PER_MINUTE=100_000, RATE_LIMIT_PER_TENANT_PER_MINUTE=100_000)
    yield built
    platform_of(built).close()


def training(app: Flask) -> dict[str, Any]:
    operator = auth_header(bearer_token(app, None, [Role.PLATFORM_OPERATOR]))
    answer = app.test_client().post(TENANTS, json=registry_body(), headers=operator)
    assert answer.status_code == 201, answer.get_json()
    created: dict[str, Any] = answer.get_json()
    return created


def password_of(created: dict[str, Any], username: str) -> str:
    return next(p["password"] for p in created["training"]["people"] if p["username"] == username)


def console(app: Flask, code: str, username: str, password: str) -> FlaskClient:
    client = app.test_client()
    sign_in(client, f"/registries/{code}/console/", username, password)
    return client


def domestic_transfer(app: Flask, code: str, password: str) -> None:
    """The administrator moves one unit between two holding accounts of the registry, over the API."""
    token = api_sign_in(app, code, "trainee-admin", password=password)["access_token"]
    http, headers, base = app.test_client(), auth_header(token), f"/api/v1/registries/{code}"
    accounts = http.get(f"{base}/accounts?page_size=100", headers=headers).get_json()["items"]
    holding = [a["id"] for a in accounts if a["type"].endswith("holding")]
    source = next(a for a in holding if http.get(f"{base}/accounts/{a}/holdings", headers=headers).get_json()["total"])
    target = next(a for a in holding if a != source)
    body = {"source_account_id": source, "destination_account_id": target, "quantity": 1}
    moved = http.post(f"{base}/transactions/domestic-transfers", json=body, headers=headers)
    assert moved.status_code in (200, 201), moved.get_json()
    assert moved.get_json()["status"] == "completed"


def test_the_participant_s_script_sits_beside_the_page_and_ticks_a_step_done_in_the_registry(app: Flask) -> None:
    created = training(app)
    code = created["code"]
    holder = console(app, code, "trainee-holder", password_of(created, "trainee-holder"))
    page = holder.get(f"/registries/{code}/console/accounts").get_data(as_text=True)
    assert 'aside class="checklist"' in page
    assert "0 of 3 steps done" in page
    assert 'data-step="transfer-to-another-holder"' in page
    assert "Open &#34;Transfer units&#34; and send units" in page or 'Open "Transfer units" and send units' in page

    domestic_transfer(app, code, password_of(created, "trainee-admin"))
    drain_events(platform_of(app))
    page = holder.get(f"/registries/{code}/console/accounts").get_data(as_text=True)
    assert "1 of 3 steps done" in page
    assert 'class="step done" data-step="transfer-to-another-holder"' in page
    assert 'class="step current" data-step="retire-units"' in page

    french = holder.get(f"/registries/{code}/console/accounts?lang=fr").get_data(as_text=True)
    assert "Retirer des unités" in french


def test_feedback_from_a_console_page_reaches_the_operator_tied_to_the_page_and_step(app: Flask) -> None:
    created = training(app)
    code = created["code"]
    admin = console(app, code, "trainee-admin", password_of(created, "trainee-admin"))
    page = f"/registries/{code}/console/actions/issuance"
    admin.get(page)
    form = {
        "csrf_token": csrf(admin),
        "page": page,
        "role": "administrator",
        "step_id": "issue-units",
        "text": "Vintage?",
    }
    sent = admin.post(f"/registries/{code}/console/onboarding/feedback", data=form)
    assert (sent.status_code, sent.headers["Location"]) == (303, page)

    operator = auth_header(bearer_token(app, None, [Role.PLATFORM_OPERATOR]))
    items = app.test_client().get(f"/api/v1/platform/onboarding/{code}/feedback", headers=operator).get_json()["items"]
    assert [(f["page"], f["step_id"], f["function"], f["text"]) for f in items] == [
        (page, "issue-units", "issuance", "Vintage?")
    ]


def test_a_production_registry_shows_no_checklist(app: Flask) -> None:
    platform = platform_of(app)
    production = platform.catalogue.create(new_tenant_command())
    user = ensure_user(app, production.code, [Role.REGISTRY_ADMIN])
    client = app.test_client()
    sign_in(client, f"/registries/{production.code}/console/", user.username)
    assert "checklist" not in client.get(f"/registries/{production.code}/console/accounts").get_data(as_text=True)


def test_after_a_reset_to_the_seed_the_seed_s_own_events_tick_no_step(app: Flask) -> None:
    created = training(app)
    code, password = created["code"], password_of(created, "trainee-admin")
    admin = console(app, code, "trainee-admin", password)
    assert "0 of 6 steps done" in admin.get(f"/registries/{code}/console/").get_data(as_text=True)
    domestic_transfer(app, code, password)
    drain_events(platform_of(app))
    assert "1 of 6 steps done" in admin.get(f"/registries/{code}/console/").get_data(as_text=True)

    operator = auth_header(bearer_token(app, None, [Role.PLATFORM_OPERATOR]))
    reset = app.test_client().post(f"/api/v1/platform/tenants/{code}/reset", headers=operator)
    assert reset.status_code == 200, reset.get_json()
    drain_events(platform_of(app))  # the seed's transfers reach the registry's log again
    admin = console(app, code, "trainee-admin", password)
    assert "0 of 6 steps done" in admin.get(f"/registries/{code}/console/").get_data(as_text=True)
