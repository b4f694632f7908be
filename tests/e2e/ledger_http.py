"""A registry's ledger driven over HTTP with a machine token, as an API client of a running process does."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from typing import Any

from gateway.app import create_app
from gateway.auth.principal import Role
from gateway.bootstrap import platform_of
from tests.conftest import DatabaseUrls, new_tenant_command, settings_for
from tests.factories.auth import machine_client

# No four-eyes approval and no step-up MFA: an admin's transfer completes in its own request.
DIRECT_SETTINGS = {"mfa_required_for": [], "approval_policy": {"four_eyes": []}}


def call(url: str, body: Any = None, token: str | None = None, timeout: float = 10, **headers: str) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET")  # noqa: S310
    request.add_header("Content-Type", "application/json")
    for name, value in ({"Authorization": f"Bearer {token}"} if token else {}).items() | headers.items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310 - loopback test server
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


def seed_registry(urls: DatabaseUrls) -> dict[str, Any]:
    """A new registry with direct settings and an administrator machine client: its code, Party and client."""
    app = create_app(settings_for(urls))
    try:
        tenant = platform_of(app).catalogue.create(new_tenant_command(settings=DIRECT_SETTINGS))
        admin = machine_client(app, tenant.code, [Role.REGISTRY_ADMIN])
    finally:
        platform_of(app).close()
    return {"code": tenant.code, "party": tenant.party, "admin": admin}


class LedgerClient:
    """Creates reference data and moves units in one registry, asserting each creation succeeds."""

    def __init__(self, realm: str, token: str) -> None:
        self.realm = realm
        self.token = token

    def created(self, path: str, body: Any, **headers: str) -> Any:
        status, answer = call(f"{self.realm}{path}", body, self.token, **headers)
        assert status == 201, answer
        return answer

    def issued_units(self, party: str, quantity: int, account_types: tuple[str, ...]) -> dict[str, str]:
        """A cooperative approach, a project and its issuance; `quantity` units issued into a new issuance
        account. Answers the ids of that account and of one new account of each of `account_types`."""
        self.created(
            "/cooperative-approaches",
            {
                "cooperative_approach_id": "CA0042",
                "name": "Bilateral",
                "participating_parties": [party, "CHE" if party != "CHE" else "GHA"],
            },
        )
        project = self.created(
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
        issuance = self.created(
            "/issuances",
            {
                "project_id": project["id"],
                "monitoring_start": "2023-01-01",
                "monitoring_end": "2023-12-31",
                "verifier": "Verifier GmbH",
                "verified_on": "2024-03-01",
                "issued_on": "2024-03-15",
                "quantities": [{"vintage": 2023, "quantity": quantity}],
            },
        )
        accounts = {kind: self.created("/accounts", {"account_type": kind, "name": kind})["id"]
                    for kind in ("issuance", *account_types)}  # fmt: skip
        issue = {
            "issuance_id": issuance["id"],
            "account_id": accounts["issuance"],
            "cooperative_approach_id": "CA0042",
            "vintage": 2023,
            "quantity": quantity,
        }
        self.created("/transactions/issuances", issue, **{"Idempotency-Key": "issue-all"})
        return accounts
