"""Registries driven through the HTTP API with real tokens, as their users would."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from gateway.auth.principal import Role
from gateway.bootstrap import Platform, platform_of
from services.events.adapters import orm as events_orm
from services.ledger.adapters import tables as ledger_tables
from tenants.domain.model import Tenant
from tests.conftest import new_tenant_command
from tests.factories.auth import auth_header, bearer_token
from tests.factories.resources import new_approach_id

NDC_ONLY_POLICY = {"four_eyes": ["first_transfer", "transfer_international"], "delay_minutes": {}}


@dataclass
class Registry:
    """One registry (tenant) and a signed-in user per role."""

    app: Flask
    tenant: Tenant
    tokens: dict[Role, str] = field(default_factory=dict)
    accounts: dict[str, str] = field(default_factory=dict)
    approach_id: str = ""
    issuance_id: str = ""

    @property
    def http(self) -> FlaskClient:
        return self.app.test_client()

    @property
    def party(self) -> str:
        return self.tenant.party

    def token(self, role: Role) -> str:
        if role not in self.tokens:
            self.tokens[role] = bearer_token(self.app, self.tenant.code, [role], mfa=True)
        return self.tokens[role]

    def url(self, path: str) -> str:
        return f"/api/v1/registries/{self.tenant.code}{path}"

    def post(self, path: str, body: Any = None, role: Role = Role.REGISTRY_ADMIN, **headers: str) -> Any:
        return self.post_as(self.token(role), path, body, **headers)

    def post_as(self, token: str, path: str, body: Any = None, **headers: str) -> Any:
        all_headers = auth_header(token) | {k.replace("_", "-"): v for k, v in headers.items()}
        return self.http.post(self.url(path), json=body if body is not None else {}, headers=all_headers)

    def get(self, path: str, role: Role = Role.AUDITOR, **query: Any) -> Any:
        return self.http.get(self.url(path), query_string=query, headers=auth_header(self.token(role)))

    def ok(self, path: str, body: Any = None, role: Role = Role.REGISTRY_ADMIN, status: int = 201) -> Any:
        answer = self.post(path, body, role)
        assert answer.status_code == status, answer.get_json()
        return answer.get_json()

    def read(self, path: str, role: Role = Role.AUDITOR, **query: Any) -> Any:
        answer = self.get(path, role, **query)
        assert answer.status_code == 200, answer.get_json()
        return answer.get_json()

    def open_account(self, key: str, account_type: str, **details: Any) -> str:
        body = {"account_type": account_type, "name": key.replace("_", " ").title(), **details}
        self.accounts[key] = self.ok("/accounts", body)["id"]
        return self.accounts[key]

    def holdings(self, key: str, **query: Any) -> int:
        total: int = self.read(f"/accounts/{self.accounts[key]}/holdings", **query)["total"]
        return total

    def counts(self) -> dict[str, int]:
        """Rows of every ledger table and of the outbox: what a refused request must leave as it was."""
        platform: Platform = platform_of(self.app)
        tables = [*ledger_tables.ALL_TABLES, events_orm.outbox]
        with platform.database.transaction(self.tenant.id) as session:
            return {
                table.name: session.execute(
                    select(func.count()).select_from(table).where(table.c.tenant_id == self.tenant.id, *_written(table))
                ).scalar_one()
                for table in tables
            }

    def outbox_data(self, event_type: str) -> list[dict[str, Any]]:
        platform: Platform = platform_of(self.app)
        box = events_orm.outbox
        with platform.database.transaction(self.tenant.id) as session:
            rows = session.execute(
                select(box.c.payload).where(box.c.tenant_id == self.tenant.id, box.c.event_type == event_type)
            ).scalars()
            return [json.loads(payload)["data"] for payload in rows]


def new_registry(app: Flask, **settings: Any) -> Registry:
    platform: Platform = platform_of(app)
    settings.setdefault("approval_policy", NDC_ONLY_POLICY)
    return Registry(app, platform.catalogue.create(new_tenant_command(settings=settings)))


def furnish(registry: Registry, partner: Registry, approach_id: str | None = None) -> Registry:
    """Reference data and the usual accounts: a cooperative approach with the partner, a project, an issuance."""
    registry.approach_id = approach_id or new_approach_id()
    registry.ok(
        "/cooperative-approaches",
        {
            "cooperative_approach_id": registry.approach_id,
            "name": f"{registry.party}-{partner.party} cooperation",
            "participating_parties": [registry.party, partner.party],
        },
    )
    project = registry.ok(
        "/projects",
        {
            "name": "Clean cookstoves in the Ashanti region",
            "developer": "Cookstove Ltd",
            "sector": "Energy",
            "project_type": "Cookstoves",
            "methodology": "GS TPDDTEC",
            "status": "registered",
            "country": registry.party,
            "cooperative_approach_id": registry.approach_id,
            "locations": [{"country": registry.party, "region": "Ashanti"}],
            "links": ["https://example.org/cookstoves"],
            "crediting_periods": [{"start": "2021-01-01", "end": "2030-12-31"}],
        },
    )
    registry.issuance_id = registry.ok(
        "/issuances",
        {
            "project_id": project["id"],
            "monitoring_start": "2023-01-01",
            "monitoring_end": "2023-12-31",
            "verifier": "Verifier GmbH",
            "verified_on": "2024-03-01",
            "issued_on": "2024-03-15",
            "quantities": [{"vintage": 2023, "quantity": 1_000_000}],
        },
    )["id"]
    registry.open_account("issuance", "issuance")
    registry.open_account("party", "party_holding")
    registry.open_account("ndc_2025", "ndc_use", ndc_year=2025)
    registry.open_account("omge", "omge_cancellation")
    registry.open_account("voluntary", "voluntary_cancellation")
    registry.open_account("retirement", "retirement")
    registry.open_account("corsia", "oimp", oimp_purpose="CORSIA", oimp_action="cancellation")
    registry.open_account(
        "partner", "external", external_party=partner.party, external_registry_id=partner.tenant.registry_id
    )
    return registry


def issue(registry: Registry, quantity: int, into: str = "issuance", **extra: Any) -> Any:
    body = {
        "issuance_id": registry.issuance_id,
        "account_id": registry.accounts[into],
        "cooperative_approach_id": registry.approach_id,
        "vintage": 2023,
        "quantity": quantity,
        **extra,
    }
    return registry.ok("/transactions/issuances", body)


def transfer(registry: Registry, quantity: int, source: str, destination: str, **extra: Any) -> Any:
    body = {
        "source_account_id": registry.accounts[source],
        "destination_account_id": registry.accounts[destination],
        "quantity": quantity,
        **extra,
    }
    return registry.ok("/transactions/domestic-transfers", body)


def authorization(registry: Registry, purposes: list[str], **terms: Any) -> str:
    body = {
        "reference": f"{registry.party}-A-{len(registry.accounts)}",
        "authorized_on": "2024-01-15",
        "cooperative_approach_id": registry.approach_id,
        "authorizing_party": registry.party,
        "purposes": purposes,
        "timeframe": {"vintage_from": 2021, "vintage_to": 2030},
        "gwp_values": ["AR5"],
        **terms,
    }
    created: str = registry.ok("/authorizations", body, Role.AUTHORIZING_OFFICER)["id"]
    return created


def authorize(registry: Registry, quantity: int, authorization_id: str, account: str = "party") -> Any:
    body = {"account_id": registry.accounts[account], "authorization_id": authorization_id, "quantity": quantity}
    return registry.ok("/transactions/authorizations", body, Role.AUTHORIZING_OFFICER)


def _written(table: Any) -> list[Any]:
    """The rows a request may write: the test's first token for a role signs a person in from a new device,
    an identity event that belongs to the sign-in, not to the request that needed the token."""
    if table is events_orm.outbox:
        return [table.c.event_type != "identity.sign_in.new_device.v1"]
    return []
