"""The operator API and the CLI create a training registry already seeded; passwords are shown once."""

from __future__ import annotations

from typing import Any

from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from gateway.bootstrap import platform_of
from gateway.cli.main import main
from tests.conftest import TEST_SECRET, DatabaseUrls, unique_party
from tests.factories.auth import auth_header, sign_in
from tests.integration.training.conftest import TENANTS, operator, registry_body


def test_the_operator_api_seeds_a_training_registry_and_shows_each_password_once(
    app: Flask, http: FlaskClient, created: dict[str, Any]
) -> None:
    assert created["kind"] == "training"
    people = created["training"]["people"]
    roles = {p["username"] for p in people if p["registry"] == created["code"]}
    assert {"trainee-admin", "trainee-officer", "trainee-approver", "trainee-holder", "trainee-auditor"} <= roles
    admin = next(p for p in people if p["username"] == "trainee-admin")
    tokens = sign_in(app, created["code"], "trainee-admin", password=admin["password"])
    accounts = http.get(f"/api/v1/registries/{created['code']}/accounts", headers=auth_header(tokens["access_token"]))
    assert accounts.status_code == 200
    assert accounts.get_json()["total"] >= 6
    again = http.get(f"{TENANTS}/{created['code']}", headers=operator(app)).get_json()
    assert "training" not in again
    assert admin["password"] not in str(again)
    partner = platform_of(app).catalogue.get(created["training"]["partner"])
    assert partner.is_training


def test_a_production_registry_is_created_empty(app: Flask, http: FlaskClient) -> None:
    answer = http.post(TENANTS, json=registry_body(kind="production"), headers=operator(app))
    assert answer.status_code == 201
    assert answer.get_json().get("training") is None


def test_a_production_partner_is_refused_and_nothing_is_created(app: Flask, http: FlaskClient) -> None:
    production = http.post(TENANTS, json=registry_body(kind="production"), headers=operator(app)).get_json()
    body = registry_body(partner=production["code"])
    refused = http.post(TENANTS, json=body, headers=operator(app))
    assert (refused.status_code, refused.get_json()["code"]) == (422, "training.partner_not_training")
    assert refused.mimetype == "application/problem+json"
    assert platform_of(app).catalogue.find(body["code"]) is None


def test_the_cli_creates_a_seeded_training_registry_with_its_partner(database_urls: DatabaseUrls) -> None:
    party = unique_party()
    env = {"DATABASE_URL": database_urls.app, "DATABASE_OWNER_URL": database_urls.owner, "SECRET_KEY": TEST_SECRET}
    args = ["tenants", "create", "--code", f"{party.lower()}-train", "--party", party]
    args += ["--registry-id", f"{party}01", "--name", "Training", "--kind", "training"]
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == 0, result.output
    assert "trainee-holder" in result.output
    assert f"{party.lower()}-train-partner" in result.output
