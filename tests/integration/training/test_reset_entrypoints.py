"""Resetting a training registry from the operator API, the operator console (with a confirmation) and the
CLI; every one refuses a production registry and changes nothing in it."""

from __future__ import annotations

import html
import re
from typing import Any

from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from gateway.bootstrap import Platform, platform_of
from gateway.cli.main import main
from services.ledger.domain import commands
from services.shared.ids import new_id
from tenants.domain.model import Tenant
from tests.conftest import TEST_SECRET, DatabaseUrls, new_tenant_command
from tests.integration.training.conftest import TENANTS, operator
from tests.integration.training.test_reset import counts
from tests.integration.web.operator.conftest import Operator
from tests.integration.web.operator.test_onboarding import _form as onboarding_form


def transfers(platform: Platform, code: str) -> int:
    tenant = platform.catalogue.get(code)
    uow = platform.ledger.uow(platform.ledger_tenant(tenant))
    with uow:
        return len(uow.journal.records())


def rows(platform: Platform, tenant: Tenant) -> int:
    return sum(counts(platform, tenant).values())


def production_with_history(platform: Platform) -> Tenant:
    tenant = platform.catalogue.create(new_tenant_command())
    platform.ledger.bus(platform.ledger_tenant(tenant)).handle(
        commands.RecordCooperativeApproach(
            actor_id=new_id(), cooperative_approach_id="CA0001", name="Real",
            participating_parties=frozenset({"CHE", tenant.party}),
        )
    )  # fmt: skip
    return tenant


def test_the_operator_api_resets_a_training_registry_and_refuses_a_production_one(
    app: Flask, http: FlaskClient, created: dict[str, Any]
) -> None:
    platform = platform_of(app)
    seeded = transfers(platform, created["code"])
    answer = http.post(f"{TENANTS}/{created['code']}/reset", headers=operator(app))
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json() == {"partner": created["training"]["partner"], "people": []}
    assert transfers(platform, created["code"]) == seeded
    production = production_with_history(platform)
    refused = http.post(f"{TENANTS}/{production.code}/reset", headers=operator(app))
    assert (refused.status_code, refused.get_json()["code"]) == (409, "training.production_registry")
    assert rows(platform, production) == 1


def test_the_console_resets_only_after_the_code_is_typed(console_operator: Operator, created: dict[str, Any]) -> None:
    code = created["code"]
    page = console_operator.http.get(f"/operator/tenants/{code}").get_data(as_text=True)
    assert f'href="/operator/tenants/{code}/reset"' in page
    assert 'name="confirm_code"' in console_operator.http.get(f"/operator/tenants/{code}/reset").get_data(as_text=True)
    wrong = console_operator.post(f"/operator/tenants/{code}/reset", {"confirm_code": "nope"})
    assert wrong.status_code == 422  # type: ignore[attr-defined]
    done = console_operator.post(f"/operator/tenants/{code}/reset", {"confirm_code": code})
    assert done.status_code == 200  # type: ignore[attr-defined]
    assert "back to its seed" in done.get_data(as_text=True)  # type: ignore[attr-defined]


def test_the_console_offers_no_reset_for_a_production_registry(console_operator: Operator) -> None:
    production = production_with_history(console_operator.platform)
    page = console_operator.http.get(f"/operator/tenants/{production.code}").get_data(as_text=True)
    assert "/reset" not in page
    refused = console_operator.post(f"/operator/tenants/{production.code}/reset", {"confirm_code": production.code})
    assert refused.status_code == 409  # type: ignore[attr-defined]
    assert rows(console_operator.platform, production) == 1


def test_the_cli_resets_a_training_registry_and_refuses_a_production_one(
    database_urls: DatabaseUrls, app: Flask, created: dict[str, Any]
) -> None:
    env = {"DATABASE_URL": database_urls.app, "DATABASE_OWNER_URL": database_urls.owner, "SECRET_KEY": TEST_SECRET}
    done = CliRunner().invoke(main, ["tenants", "reset", created["code"], "--yes"], env=env)
    assert done.exit_code == 0, done.output
    assert "back to its seed" in done.output
    production = production_with_history(platform_of(app))
    refused = CliRunner().invoke(main, ["tenants", "reset", production.code, "--yes"], env=env)
    assert refused.exit_code == 2
    assert rows(platform_of(app), production) == 1


def test_the_onboarding_form_creates_a_seeded_training_registry_and_shows_the_passwords_once(
    console_operator: Operator,
) -> None:
    form = onboarding_form(kind="training")
    answer = console_operator.post("/operator/tenants/new", form)
    page = html.unescape(answer.get_data(as_text=True))  # type: ignore[attr-defined]
    assert answer.status_code == 200, page  # type: ignore[attr-defined]
    assert "These passwords are shown only now" in page
    assert re.search(r"<code>trainee-holder</code></td><td><code>training-[\w-]+</code>", page)
    tenant = console_operator.platform.catalogue.get(str(form["code"]))
    assert tenant.is_training
    assert transfers(console_operator.platform, tenant.code) > 5


def test_the_onboarding_form_refuses_a_production_partner(console_operator: Operator) -> None:
    production = production_with_history(console_operator.platform)
    form = onboarding_form(kind="training", partner=production.code)
    answer = console_operator.post("/operator/tenants/new", form)
    assert answer.status_code == 422  # type: ignore[attr-defined]
    assert "is not a training registry" in answer.get_data(as_text=True)  # type: ignore[attr-defined]
    assert console_operator.platform.catalogue.find(str(form["code"])) is None
