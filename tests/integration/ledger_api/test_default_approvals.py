"""A registry left on the default approval policy holds a first transfer abroad for a second person."""

from __future__ import annotations

from flask import Flask

from gateway.auth.principal import Role
from gateway.bootstrap import platform_of
from tests.conftest import new_tenant_command
from tests.integration.ledger_api.world import (
    Registry,
    authorization,
    authorize,
    furnish,
    issue,
    new_registry,
    transfer,
)


def test_a_first_transfer_abroad_waits_for_approval_under_the_default_policy(app: Flask) -> None:
    host = Registry(app, platform_of(app).catalogue.create(new_tenant_command()))
    furnish(host, new_registry(app))
    issue(host, 100)
    transfer(host, 100, "issuance", "party")
    held = authorize(host, 100, authorization(host, ["NDC"]))
    assert held["status"] == "awaiting_approval"  # authorizations were held by default already
    host.ok(f"/transactions/{held['transaction_id']}/approval", role=Role.APPROVER, status=200)

    body = {
        "source_account_id": host.accounts["party"],
        "external_account_id": host.accounts["partner"],
        "quantity": 40,
    }
    answer = host.post("/transactions/international-transfers", body)

    assert answer.status_code == 201, answer.get_json()
    assert (answer.get_json()["type"], answer.get_json()["status"]) == ("first_transfer", "awaiting_approval")
