"""The scripted theft over HTTP with real tokens: a stolen session of an account holder's representative puts
the attacker's account abroad on the trusted list and tries to empty the holding account abroad. Nothing
leaves: the trusted entry is not active, the transfer waits, and the holder cancels it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from uuid6 import uuid7

from gateway.auth.principal import Role
from gateway.platform import Platform
from tenants.domain.errors import InvalidTenant
from tenants.service_layer.catalogue import change_settings
from tests.factories.auth import auth_header, bearer_token
from tests.integration.ledger_api.world import Registry, authorization, authorize, issue, transfer


def protect(registry: Registry, **protection: Any) -> None:
    platform: Platform = registry.app.extensions["registry"]
    change_settings(platform.catalogue, registry.tenant.code, {"account_protection": protection})


def victim_with_units(ghana: Registry) -> tuple[UUID, str]:
    """An organization's holding account with 100 authorized units, and its number."""
    organization = ghana.ok(
        "/organizations", {"name": "Victim Ltd", "kind": "project_developer", "country": ghana.party}
    )
    account = ghana.open_account("victim", "entity_holding", holder_id=organization["id"])
    issue(ghana, 100)
    transfer(ghana, 100, "issuance", "victim")
    authorize(ghana, 100, authorization(ghana, ["NDC"]), account="victim")
    number: str = ghana.read(f"/accounts/{account}")["number"]
    return UUID(organization["id"]), number


def representative(app: Flask, ghana: Registry, organization_id: UUID, username: str = "alice") -> str:
    """A sign-in of one of the holder's representatives, second factor included (a session stolen after it is
    complete is as good as its owner's)."""
    return bearer_token(
        app,
        ghana.tenant.code,
        [Role.ACCOUNT_REPRESENTATIVE],
        organization_id=organization_id,
        username=username,
        mfa=True,
    )


def test_a_stolen_session_cannot_empty_a_holding_account_abroad(ghana: Registry, switzerland: Registry) -> None:
    protect(ghana)
    organization_id, number = victim_with_units(ghana)
    stolen = representative(ghana.app, ghana, organization_id)
    partner_number = ghana.read(f"/accounts/{ghana.accounts['partner']}")["number"]
    trusted_path = f"/accounts/{number}/trusted-accounts"

    proposed = ghana.post_as(
        stolen, trusted_path, {"account_number": partner_number, "registry_id": switzerland.tenant.registry_id}
    )
    assert proposed.status_code == 201, proposed.get_json()
    [entry] = proposed.get_json()["items"]
    assert entry["status"] == "proposed"
    self_approved = ghana.post_as(stolen, f"{trusted_path}/{entry['id']}/approval")
    assert (self_approved.status_code, self_approved.get_json()["code"]) == (422, "LDG-084")

    body = {"source_account_id": ghana.accounts["victim"], "external_account_id": ghana.accounts["partner"]}
    theft = ghana.post_as(stolen, "/transactions/international-transfers", body | {"quantity": 100})
    assert theft.status_code == 201, theft.get_json()
    transaction_id = theft.get_json()["transaction_id"]
    before_approval = datetime.now(UTC)
    approved = ghana.post(f"/transactions/{transaction_id}/approval", role=Role.APPROVER)  # a duped approver
    assert approved.status_code == 200, approved.get_json()
    assert approved.get_json()["status"] == "delayed"
    execute_after = datetime.fromisoformat(approved.get_json()["execute_after"])
    assert execute_after >= before_approval + timedelta(hours=26)

    holder = representative(ghana.app, ghana, organization_id, "bob")  # the holder's other representative
    pending = ghana.http.get(ghana.url(f"/accounts/{number}/pending-movements"), headers=_auth(holder)).get_json()
    assert [t["id"] for t in pending["items"]] == [transaction_id]
    listed = ghana.http.get(ghana.url(trusted_path), headers=_auth(holder)).get_json()
    assert [e["status"] for e in listed["items"]] == ["proposed"]
    cancelled = ghana.post_as(holder, f"/transactions/{transaction_id}/cancellation", {"reason": "not me"})
    assert (cancelled.status_code, cancelled.get_json()["status"]) == (200, "cancelled")
    removed = ghana.http.delete(ghana.url(f"{trusted_path}/{entry['id']}"), headers=_auth(holder))
    assert (removed.status_code, removed.get_json()["items"]) == (200, [])

    assert ghana.holdings("victim") == 100
    assert ghana.outbox_data("ledger.transfer.international_requested.v1") == []
    [delayed] = ghana.outbox_data("ledger.transaction.delayed.v1")
    assert delayed["account_id"] == ghana.accounts["victim"]
    assert delayed["reason"].startswith("LDG-086")
    [proposal] = ghana.outbox_data("ledger.trusted_account.proposed.v1")
    assert (proposal["account_id"], proposal["account_number"]) == (ghana.accounts["victim"], number)


def domestic(ghana: Registry, token: str, quantity: int) -> Any:
    body = {"source_account_id": ghana.accounts["victim"], "destination_account_id": ghana.accounts["party"]}
    return ghana.post_as(token, "/transactions/domestic-transfers", body | {"quantity": quantity})


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_only_administrators_change_limits_and_freezes_and_strangers_see_nothing(ghana: Registry) -> None:
    organization_id, number = victim_with_units(ghana)
    holder = representative(ghana.app, ghana, organization_id)
    stranger = bearer_token(ghana.app, ghana.tenant.code, [Role.ACCOUNT_REPRESENTATIVE], organization_id=uuid7())

    limits = ghana.http.put(ghana.url(f"/accounts/{number}/limits"), json={"per_transfer": 5}, headers=_auth(holder))
    frozen = ghana.post_as(holder, f"/accounts/{number}/freeze", {"reason": "mine"})
    peeked = ghana.http.get(ghana.url(f"/accounts/{number}/trusted-accounts"), headers=_auth(stranger))
    assert (limits.status_code, frozen.status_code, peeked.status_code) == (403, 403, 404)

    administrator = ghana.token(Role.REGISTRY_ADMIN)
    set_limits = ghana.http.put(
        ghana.url(f"/accounts/{number}/limits"), json={"per_transfer": 5}, headers=_auth(administrator)
    )
    assert set_limits.status_code == 200, set_limits.get_json()
    assert set_limits.get_json()["account"]["per_transfer"] == 5
    over = ghana.post_as(
        holder,
        "/transactions/retirements",
        {"source_account_id": ghana.accounts["victim"], "retirement_account_id": ghana.accounts["retirement"],
         "quantity": 6, "beneficiary": "Kumasi"},
    )  # fmt: skip
    assert over.status_code == 201  # limits bound transfers; a retirement is the holder's own use
    refused = ghana.post_as(
        holder,
        "/transactions/domestic-transfers",
        {
            "source_account_id": ghana.accounts["victim"],
            "destination_account_id": ghana.accounts["party"],
            "quantity": 6,
        },
    )
    assert (refused.status_code, refused.get_json()["code"]) == (422, "LDG-087")

    freeze = ghana.post_as(administrator, f"/accounts/{number}/freeze", {"reason": "phishing reported"})
    assert (freeze.status_code, freeze.get_json()["frozen"]) == (200, True)
    blocked = ghana.post_as(
        holder,
        "/transactions/domestic-transfers",
        {
            "source_account_id": ghana.accounts["victim"],
            "destination_account_id": ghana.accounts["party"],
            "quantity": 1,
        },
    )
    assert (blocked.status_code, blocked.get_json()["code"]) == (409, "LDG-080")
    assert ghana.read(f"/accounts/{ghana.accounts['victim']}/holdings")["total"] == 94  # reads still work
    asked = ghana.http.delete(ghana.url(f"/accounts/{number}/freeze"), headers=_auth(administrator))
    again = ghana.http.delete(ghana.url(f"/accounts/{number}/freeze"), headers=_auth(administrator))
    assert (asked.get_json()["frozen"], again.status_code, again.get_json()["code"]) == (True, 422, "LDG-092")
    audit = ghana.read("/audit-events", role=Role.AUDITOR, limit=50)
    controls = [e for e in _entries(audit) if e.get("detail", {}).get("control")]
    assert {e["detail"]["control"] for e in controls} >= {"limits.set", "account.frozen", "account.unfrozen"}


def _entries(audit: Any) -> list[dict[str, Any]]:
    return list(audit["items"] if isinstance(audit, dict) else audit)


def test_the_operator_freezes_a_registrys_transfers_abroad_in_one_action(ghana: Registry) -> None:
    issue(ghana, 100)
    transfer(ghana, 100, "issuance", "party")
    authorize(ghana, 100, authorization(ghana, ["NDC"]))
    operator = auth_header(bearer_token(ghana.app, None, [Role.PLATFORM_OPERATOR]))
    freeze_path = f"/api/v1/platform/tenants/{ghana.tenant.code}/transfers-abroad-freeze"
    abroad = {"source_account_id": ghana.accounts["party"], "external_account_id": ghana.accounts["partner"]}

    frozen = ghana.http.post(freeze_path, json={"reason": "incident 42"}, headers=operator)
    assert frozen.status_code == 200, frozen.get_json()
    refused = ghana.post("/transactions/international-transfers", abroad | {"quantity": 1})
    assert (refused.status_code, refused.get_json()["code"]) == (409, "LDG-082")
    assert "incident 42" in refused.get_json()["detail"]
    ghana.open_account("second", "party_holding")
    transfer(ghana, 1, "party", "second")  # transfers at home go on
    by_admin = ghana.http.post(freeze_path, json={"reason": "x"}, headers=auth_header(ghana.token(Role.REGISTRY_ADMIN)))
    assert by_admin.status_code == 403
    with pytest.raises(InvalidTenant):
        change_settings(
            ghana.app.extensions["registry"].catalogue, ghana.tenant.code, {"transfers_abroad_frozen": None}
        )

    lifted = ghana.http.delete(freeze_path, headers=operator)
    assert lifted.status_code == 200
    assert "transfers_abroad_frozen" not in lifted.get_json()["settings"]
    again = ghana.post("/transactions/international-transfers", abroad | {"quantity": 1})
    assert (again.status_code, again.get_json()["status"]) == (201, "awaiting_approval")
