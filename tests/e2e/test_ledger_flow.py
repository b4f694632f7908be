"""A real `registry serve` process on PostgreSQL: a registry issues, transfers and retires units over HTTP
with machine tokens, a repeated request changes nothing, and `registry journal verify` finds the chain whole."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import TEST_SECRET, DatabaseUrls
from tests.e2e.ledger_http import call, seed_registry, token_for
from tests.e2e.processes import REGISTRY, free_port, running

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]


@pytest.fixture
def seeded(postgres_urls: DatabaseUrls) -> dict[str, Any]:
    return seed_registry(postgres_urls)


def test_issue_transfer_and_retire_against_a_real_process(
    postgres_urls: DatabaseUrls, seeded: dict[str, Any], tmp_path: Path
) -> None:
    port = free_port()
    env: dict[str, str | None] = {
        "REGISTRY_PORT": str(port),
        "REGISTRY_WORKERS": "1",
        "SECRET_KEY": TEST_SECRET,
        "DATABASE_URL": postgres_urls.app,
        "DATABASE_OWNER_URL": postgres_urls.owner,
        "KAFKA_BOOTSTRAP_SERVERS": None,
    }
    with running(["serve"], env, tmp_path, port) as (base, _log):
        realm = f"{base}/api/v1/registries/{seeded['code']}"
        token = token_for(realm, seeded["admin"])

        def ok(path: str, body: Any, **headers: str) -> Any:
            status, answer = call(f"{realm}{path}", body, token, **headers)
            assert status == 201, answer
            return answer

        party = seeded["party"]
        ok(
            "/cooperative-approaches",
            {
                "cooperative_approach_id": "CA0042",
                "name": "Bilateral",
                "participating_parties": [party, "CHE" if party != "CHE" else "GHA"],
            },
        )
        project = ok(
            "/projects",
            {
                "name": "Solar mini-grids",
                "developer": "Sun Ltd",
                "sector": "Energy",
                "project_type": "Solar",
                "methodology": "AMS-I.L",
                "status": "registered",
                "country": party,
            },
        )
        issuance = ok(
            "/issuances",
            {
                "project_id": project["id"],
                "monitoring_start": "2023-01-01",
                "monitoring_end": "2023-12-31",
                "verifier": "Verifier GmbH",
                "verified_on": "2024-03-01",
                "issued_on": "2024-03-15",
                "quantities": [{"vintage": 2023, "quantity": 5_000}],
            },
        )
        accounts = {
            kind: ok("/accounts", {"account_type": kind, "name": kind})["id"]
            for kind in ("issuance", "party_holding", "retirement")
        }
        issue = {
            "issuance_id": issuance["id"],
            "account_id": accounts["issuance"],
            "cooperative_approach_id": "CA0042",
            "vintage": 2023,
            "quantity": 1_000,
        }
        first = ok("/transactions/issuances", issue, **{"Idempotency-Key": "batch-1"})
        repeat = ok("/transactions/issuances", issue, **{"Idempotency-Key": "batch-1"})
        ok(
            "/transactions/domestic-transfers",
            {
                "source_account_id": accounts["issuance"],
                "destination_account_id": accounts["party_holding"],
                "quantity": 1_000,
            },
        )
        ok("/transactions/retirements", {"source_account_id": accounts["party_holding"],
                                         "retirement_account_id": accounts["retirement"], "quantity": 40,
                                         "beneficiary": "City of Accra"})  # fmt: skip
        status, holdings = call(f"{realm}/accounts/{accounts['party_holding']}/holdings", token=token)
        bad_status, problem = call(f"{realm}/transactions/retirements", {
            "source_account_id": accounts["party_holding"], "retirement_account_id": accounts["retirement"],
            "quantity": 0, "beneficiary": "City of Accra"}, token)  # fmt: skip

    assert repeat == first
    assert (status, holdings["total"]) == (200, 960)
    assert (bad_status, problem["code"]) == (422, "LDG-011")
    verified = subprocess.run(
        [REGISTRY, "journal", "verify", "--registry", seeded["code"]],
        env={k: v for k, v in env.items() if v is not None} | {"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert (verified.returncode, verified.stdout.strip()) == (0, "journal intact: 3 records")
