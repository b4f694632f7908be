"""A real `registry serve` process on PostgreSQL: a registry issues, transfers and retires units over HTTP
with machine tokens, a repeated request changes nothing, and `registry journal verify` finds the chain whole."""

from __future__ import annotations

import base64
import json
import subprocess
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from gateway.app import create_app
from gateway.auth.principal import Role
from tests.conftest import TEST_SECRET, DatabaseUrls, new_tenant_command, settings_for
from tests.e2e.processes import REGISTRY, free_port, running
from tests.factories.auth import machine_client

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]


def call(url: str, body: Any = None, token: str | None = None, **headers: str) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET")  # noqa: S310
    request.add_header("Content-Type", "application/json")
    for name, value in ({"Authorization": f"Bearer {token}"} if token else {}).items() | headers.items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - loopback test server
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read())


def token_for(realm: str, client: tuple[str, str]) -> str:
    basic = base64.b64encode(f"{client[0]}:{client[1]}".encode()).decode()
    request = urllib.request.Request(  # noqa: S310 - loopback test server
        f"{realm}/oauth/token", data=b"grant_type=client_credentials", headers={"Authorization": f"Basic {basic}"}
    )
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
        token: str = json.loads(answer.read())["access_token"]
        return token


@pytest.fixture
def seeded(postgres_urls: DatabaseUrls) -> dict[str, Any]:
    app = create_app(settings_for(postgres_urls))
    try:
        command = new_tenant_command(settings={"mfa_required_for": [], "approval_policy": {"four_eyes": []}})
        tenant = app.extensions["registry"].catalogue.create(command)
        admin = machine_client(app, tenant.code, [Role.REGISTRY_ADMIN])
    finally:
        app.extensions["registry"].close()
    return {"code": tenant.code, "party": tenant.party, "admin": admin}


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
