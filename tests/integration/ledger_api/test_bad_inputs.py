"""Every bad input of the issue answers 4xx problem+json with its check code, and changes nothing:
the ledger's tables, its journal and the outbox keep the rows they had."""

from __future__ import annotations

from typing import Any

import pytest
from uuid6 import uuid7

from gateway.auth.principal import Role
from tests.integration.ledger_api.world import Registry, authorization, authorize, issue, transfer

Case = tuple[str, str, dict[str, Any], Role, int, str]


def first_transfer_abroad(ghana: Registry, switzerland: Registry, quantity: int) -> None:
    """Ghana sends authorized ITMOs; Switzerland records them and Ghana hears they were accepted."""
    sent = ghana.ok(
        "/transactions/international-transfers",
        {
            "source_account_id": ghana.accounts["party"],
            "external_account_id": ghana.accounts["partner"],
            "quantity": quantity,
            "units": {"authorized": True},
        },
    )
    ghana.ok(f"/transactions/{sent['transaction_id']}/approval", role=Role.APPROVER, status=200)
    [data] = ghana.outbox_data("ledger.transfer.international_requested.v1")
    switzerland.ok("/transactions/acquisitions", {"account_id": switzerland.accounts["party"], "transfer": data})
    ghana.ok(f"/transactions/{sent['transaction_id']}/acceptance", status=200)


def move(source: str, destination: str, quantity: Any, **extra: Any) -> dict[str, Any]:
    return {"source_account_id": source, "destination_account_id": destination, "quantity": quantity, **extra}


def ghana_cases(ghana: Registry, switzerland: Registry, expired: str) -> list[Case]:
    a = ghana.accounts
    unknown = str(uuid7())
    return [
        ("unknown account", "/transactions/domestic-transfers", move(unknown, a["party"], 1), Role.REGISTRY_ADMIN,
         422, "LDG-001"),
        ("another registry's account", "/transactions/domestic-transfers",
         move(a["party"], switzerland.accounts["party"], 1), Role.REGISTRY_ADMIN, 422, "LDG-001"),
        ("zero units", "/transactions/domestic-transfers", move(a["party"], a["spare"], 0), Role.REGISTRY_ADMIN,
         422, "LDG-011"),
        ("negative units", "/transactions/domestic-transfers", move(a["party"], a["spare"], -5),
         Role.REGISTRY_ADMIN, 422, "LDG-011"),
        ("fractional units", "/transactions/domestic-transfers", move(a["party"], a["spare"], 1.5),
         Role.REGISTRY_ADMIN, 422, "LDG-011"),
        ("more than held", "/transactions/domestic-transfers", move(a["party"], a["spare"], 10_000),
         Role.REGISTRY_ADMIN, 422, "LDG-012"),
        ("a future vintage", "/transactions/issuances",
         {"issuance_id": ghana.issuance_id, "account_id": a["issuance"],
          "cooperative_approach_id": ghana.approach_id, "vintage": 2099, "quantity": 1},
         Role.REGISTRY_ADMIN, 422, "LDG-056"),
        ("to a closed account", "/transactions/domestic-transfers", move(a["party"], a["closed"], 1),
         Role.REGISTRY_ADMIN, 422, "LDG-003"),
        ("a first transfer of unauthorized units", "/transactions/international-transfers",
         {"source_account_id": a["party"], "external_account_id": a["partner"], "quantity": 1,
          "units": {"authorized": False}}, Role.REGISTRY_ADMIN, 422, "LDG-038"),
        ("an authorization no longer in force", "/transactions/authorizations",
         {"account_id": a["party"], "authorization_id": expired, "quantity": 1, "units": {"authorized": False}},
         Role.AUTHORIZING_OFFICER, 422, "LDG-031"),
        ("an unknown authorization", "/transactions/authorizations",
         {"account_id": a["party"], "authorization_id": unknown, "quantity": 1}, Role.AUTHORIZING_OFFICER,
         422, "LDG-030"),
        ("a purpose the authorization does not cover", "/transactions/oimp-uses",
         {"source_account_id": a["party"], "oimp_account_id": a["corsia"], "quantity": 1,
          "units": {"authorized": True}}, Role.REGISTRY_ADMIN, 422, "LDG-034"),
        ("approving an unknown transaction", f"/transactions/{unknown}/approval", {}, Role.APPROVER, 404,
         "resource.not_found"),
        ("units of a vintage not held", "/transactions/domestic-transfers",
         move(a["party"], a["spare"], 1, units={"vintage": 1999}), Role.REGISTRY_ADMIN, 422, "LDG-012"),
        ("units of a registry not held, transferred", "/transactions/domestic-transfers",
         move(a["party"], a["spare"], 1, units={"registry_id": "ZZZ99"}), Role.REGISTRY_ADMIN, 422, "LDG-012"),
        ("units of a registry not held, retired", "/transactions/retirements",
         {"source_account_id": a["party"], "retirement_account_id": a["retirement"], "quantity": 1,
          "beneficiary": "Someone", "units": {"registry_id": "ZZZ99"}}, Role.REGISTRY_ADMIN, 422, "LDG-012"),
        ("units of a registry not held, cancelled", "/transactions/cancellations",
         {"source_account_id": a["party"], "cancellation_account_id": a["voluntary"], "quantity": 1,
          "units": {"registry_id": "ZZZ99"}}, Role.REGISTRY_ADMIN, 422, "LDG-012"),
        ("a tenant_id in the body", "/transactions/domestic-transfers",
         move(a["party"], a["spare"], 1, tenant_id=str(switzerland.tenant.id)), Role.REGISTRY_ADMIN, 422,
         "request.invalid"),
    ]  # fmt: skip


def switzerland_cases(switzerland: Registry, ghana: Registry) -> list[Case]:
    a = switzerland.accounts
    transaction = ghana.read("/transactions", type="first_transfer")["items"][0]["id"]
    return [
        ("use outside the NDC period", "/transactions/ndc-uses",
         {"source_account_id": a["party"], "ndc_account_id": a["ndc_2025"], "ndc_year": 2035, "quantity": 1},
         Role.REGISTRY_ADMIN, 422, "LDG-050"),
        ("an NDC use account outside the NDC period", "/accounts",
         {"account_type": "ndc_use", "name": "NDC 2035", "ndc_year": 2035}, Role.REGISTRY_ADMIN, 422, "LDG-050"),
        ("from a suspended account", "/transactions/retirements",
         {"source_account_id": a["suspended"], "retirement_account_id": a["retirement"], "quantity": 1,
          "beneficiary": "Someone"}, Role.REGISTRY_ADMIN, 422, "LDG-002"),
        ("another registry's transaction", f"/transactions/{transaction}/approval", {}, Role.APPROVER, 404,
         "resource.not_found"),
    ]  # fmt: skip


def prepare(ghana: Registry, switzerland: Registry) -> str:
    issue(ghana, 1_000)
    transfer(ghana, 1_000, "issuance", "party")
    authorize(ghana, 600, authorization(ghana, ["NDC"]))
    expired = authorization(ghana, ["NDC"], timeframe={"vintage_from": 2021, "vintage_to": 2030,
                                                        "valid_until": "2024-06-30"})  # fmt: skip
    ghana.open_account("spare", "party_holding")
    ghana.open_account("closed", "party_holding")
    ghana.ok(f"/accounts/{ghana.accounts['closed']}/status", {"status": "closed"}, status=200)
    first_transfer_abroad(ghana, switzerland, 100)
    switzerland.open_account("suspended", "party_holding")
    transfer(switzerland, 10, "party", "suspended")
    switzerland.ok(f"/accounts/{switzerland.accounts['suspended']}/status", {"status": "suspended"}, status=200)
    return expired


def test_each_bad_input_is_refused_with_its_check_code_and_changes_nothing(
    ghana: Registry, switzerland: Registry
) -> None:
    expired = prepare(ghana, switzerland)
    cases = [(ghana, case) for case in ghana_cases(ghana, switzerland, expired)]
    cases += [(switzerland, case) for case in switzerland_cases(switzerland, ghana)]
    for registry, (what, path, body, role, status, code) in cases:
        before = (ghana.counts(), switzerland.counts())
        answer = registry.post(path, body, role)
        problem = answer.get_json()
        assert answer.status_code == status, f"{what}: {answer.status_code} {problem}"
        assert answer.mimetype == "application/problem+json", what
        assert problem["code"] == code, f"{what}: {problem}"
        assert (ghana.counts(), switzerland.counts()) == before, f"{what} changed the ledger"


def test_a_check_failure_names_the_field_and_says_what_to_do(ghana: Registry) -> None:
    issue(ghana, 10)
    body = move(ghana.accounts["issuance"], ghana.accounts["party"], 11)

    problem = ghana.post("/transactions/domestic-transfers", body).get_json()

    assert (problem["status"], problem["code"], problem["field"]) == (422, "LDG-012", "quantity")
    assert "Lower the quantity" in problem["detail"]


@pytest.mark.parametrize("path", ["/accounts/{id}", "/transactions/{id}", "/authorizations/{id}", "/projects/{id}"])
def test_unknown_and_foreign_ids_in_the_path_answer_the_same_404(
    ghana: Registry, switzerland: Registry, path: str
) -> None:
    foreign = {
        "/accounts/{id}": switzerland.accounts["party"],
        "/transactions/{id}": issue(switzerland, 1)["transaction_id"],
        "/authorizations/{id}": authorization(switzerland, ["NDC"]),
        "/projects/{id}": switzerland.read("/projects")["items"][0]["id"],
    }[path]

    answers = [ghana.get(path.format(id=value)) for value in (foreign, str(uuid7()))]

    assert [a.status_code for a in answers] == [404, 404]
    assert answers[0].get_json()["detail"] == answers[1].get_json()["detail"]
