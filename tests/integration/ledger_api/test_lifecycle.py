"""Four eyes, idempotent repeats and who may act on which account, through HTTP."""

from __future__ import annotations

from uuid import UUID

from uuid6 import uuid7

from gateway.auth.principal import Role
from tests.factories.auth import bearer_token
from tests.integration.ledger_api.world import Registry, authorization, authorize, issue, transfer


def held_first_transfer(ghana: Registry, token: str) -> str:
    issue(ghana, 100)
    transfer(ghana, 100, "issuance", "party")
    authorize(ghana, 100, authorization(ghana, ["NDC"]))
    body = {"source_account_id": ghana.accounts["party"], "external_account_id": ghana.accounts["partner"]}
    answer = ghana.post_as(token, "/transactions/international-transfers", body | {"quantity": 40})
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["status"] == "awaiting_approval"
    transaction_id: str = answer.get_json()["transaction_id"]
    return transaction_id


def test_the_initiator_cannot_approve_their_own_transaction_a_second_person_can(ghana: Registry) -> None:
    both = bearer_token(ghana.app, ghana.tenant.code, [Role.REGISTRY_ADMIN, Role.APPROVER], mfa=True)
    transaction_id = held_first_transfer(ghana, both)

    own = ghana.post_as(both, f"/transactions/{transaction_id}/approval")
    assert (own.status_code, own.get_json()["code"]) == (422, "LDG-072")
    assert ghana.read(f"/transactions/{transaction_id}")["status"] == "awaiting_approval"

    other = ghana.post(f"/transactions/{transaction_id}/approval", role=Role.APPROVER)
    assert (other.status_code, other.get_json()["status"]) == (200, "awaiting_acceptance")
    detail = ghana.read(f"/transactions/{transaction_id}")
    assert detail["approver_id"] != detail["initiator_id"]


def test_approvals_need_the_second_factor_the_registry_asks_for(ghana: Registry) -> None:
    transaction_id = held_first_transfer(ghana, ghana.token(Role.REGISTRY_ADMIN))
    without_mfa = bearer_token(ghana.app, ghana.tenant.code, [Role.APPROVER])

    answer = ghana.post_as(without_mfa, f"/transactions/{transaction_id}/approval")

    assert (answer.status_code, answer.get_json()["code"]) == (403, "auth.mfa_required")


def test_a_rejected_transaction_releases_its_units_and_stays_rejected(ghana: Registry) -> None:
    transaction_id = held_first_transfer(ghana, ghana.token(Role.REGISTRY_ADMIN))

    rejected = ghana.ok(
        f"/transactions/{transaction_id}/rejection", {"reason": "wrong partner"}, Role.APPROVER, status=200
    )
    again = ghana.post(f"/transactions/{transaction_id}/approval", role=Role.APPROVER)

    assert rejected["status"] == "rejected"
    assert (again.status_code, again.get_json()["code"]) == (409, "LDG-071")
    lines = ghana.read(f"/accounts/{ghana.accounts['party']}/holdings")["lines"]
    assert {line["state"] for line in lines} == {"active"}


def test_a_repeat_with_the_same_key_returns_the_first_answer_and_does_nothing(ghana: Registry) -> None:
    body = {
        "issuance_id": ghana.issuance_id,
        "account_id": ghana.accounts["issuance"],
        "cooperative_approach_id": ghana.approach_id,
        "vintage": 2023,
        "quantity": 500,
    }
    first = ghana.post("/transactions/issuances", body, Idempotency_Key="issue-2023-batch-1")
    after_first = ghana.counts()

    repeat = ghana.post("/transactions/issuances", body, Idempotency_Key="issue-2023-batch-1")
    other_body = ghana.post("/transactions/issuances", body | {"quantity": 501}, Idempotency_Key="issue-2023-batch-1")

    assert first.status_code == repeat.status_code == 201
    assert repeat.get_json() == first.get_json()
    assert ghana.counts() == after_first
    assert ghana.holdings("issuance") == 500
    assert (other_body.status_code, other_body.get_json()["code"]) == (409, "LDG-073")


def test_a_representative_acts_and_reads_only_on_its_organizations_accounts(ghana: Registry) -> None:
    organization = ghana.ok(
        "/organizations", {"name": "Cookstove Ltd", "kind": "project_developer", "country": ghana.party}
    )
    ghana.open_account("developer", "entity_holding", holder_id=organization["id"])
    issue(ghana, 100)
    transfer(ghana, 60, "issuance", "developer")
    mine = bearer_token(
        ghana.app, ghana.tenant.code, [Role.ACCOUNT_REPRESENTATIVE], organization_id=UUID(organization["id"])
    )
    stranger = bearer_token(ghana.app, ghana.tenant.code, [Role.ACCOUNT_REPRESENTATIVE], organization_id=uuid7())
    retire = {
        "source_account_id": ghana.accounts["developer"],
        "retirement_account_id": ghana.accounts["retirement"],
        "quantity": 5,
        "beneficiary": "Village of Kumasi",
    }

    refused = ghana.post_as(stranger, "/transactions/retirements", retire)
    done = ghana.post_as(mine, "/transactions/retirements", retire)

    assert (refused.status_code, refused.get_json()["code"]) == (404, "resource.not_found")
    assert done.status_code == 201, done.get_json()
    listed = ghana.http.get(ghana.url("/accounts"), headers={"Authorization": f"Bearer {mine}"}).get_json()
    assert [account["id"] for account in listed["items"]] == [ghana.accounts["developer"]]
    foreign = ghana.http.get(
        ghana.url(f"/accounts/{ghana.accounts['party']}"), headers={"Authorization": f"Bearer {mine}"}
    )
    assert foreign.status_code == 404
    seen = ghana.http.get(ghana.url("/transactions"), headers={"Authorization": f"Bearer {stranger}"}).get_json()
    assert seen["items"] == []
    assert seen["total"] == 0


def test_lists_page_and_filter(ghana: Registry) -> None:
    for _ in range(3):
        issue(ghana, 10)

    first = ghana.read("/transactions", type="issuance", page_size=2)
    second = ghana.read("/transactions", type="issuance", page_size=2, page=2)

    assert (first["total"], len(first["items"]), len(second["items"])) == (3, 2, 1)
    assert ghana.read("/accounts", type="retirement")["total"] == 1


def test_nobody_without_a_token_reads_the_ledger(ghana: Registry) -> None:
    answer = ghana.http.get(ghana.url("/accounts"))

    assert answer.status_code == 401
