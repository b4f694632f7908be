"""Two registries with an administrator, an account holder and accounts, the real receiver, and the path an
event takes: the outbox, the relay, the `webhooks` consumer, the delivery worker."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from flask import Flask

from gateway.auth.principal import Role
from gateway.bootstrap import Platform, platform_of
from gateway.bootstrap.webhooks import consumer_for
from gateway.cli.events import build_runtime
from services.webhooks.bootstrap import Webhooks
from services.webhooks.service_layer.worker import DeliveryWorker
from tenants.domain.model import Tenant
from tests.conftest import new_tenant_command
from tests.factories.auth import auth_header, bearer_token
from tests.factories.events import publish_pending_events
from tests.factories.resources import make_organization

OPENED, STATUS_CHANGED = "ledger.account.opened.v1", "ledger.account.status_changed.v1"


@dataclass
class FakeResolver:
    """Names a test gives addresses to; localhost is this machine, and an address is itself (as getaddrinfo has it)."""

    names: dict[str, list[str]] = field(default_factory=dict)

    def addresses(self, host: str) -> list[str]:
        if host == "localhost":
            return ["127.0.0.1"]
        try:
            return [str(ipaddress.ip_address(host))]
        except ValueError:
            return self.names.get(host, [])


@dataclass
class Registry:
    app: Flask
    tenant: Tenant
    tokens: dict[str, str] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return f"/api/v1/registries/{self.tenant.code}{path}"

    def token(self, who: str, organization_id: str | None = None) -> str:
        if who not in self.tokens:
            roles = {"admin": [Role.REGISTRY_ADMIN], "auditor": [Role.AUDITOR]}.get(who, [Role.ACCOUNT_REPRESENTATIVE])
            self.tokens[who] = bearer_token(
                self.app,
                self.tenant.code,
                roles,
                organization_id=UUID(organization_id) if organization_id else None,
                mfa=True,
            )
        return self.tokens[who]

    def call(self, method: str, path: str, who: str = "admin", body: Any = None, **query: Any) -> Any:
        client = self.app.test_client()
        return client.open(
            self.url(path), method=method, json=body, query_string=query, headers=auth_header(self.token(who))
        )

    def open_account(self, name: str, holder_id: str | None = None) -> str:
        kind = (
            {"account_type": "entity_holding", "holder_id": holder_id}
            if holder_id
            else {"account_type": "party_holding"}
        )
        body = {"name": name, **kind}
        answer = self.call("POST", "/accounts", body=body)
        assert answer.status_code == 201, answer.get_json()
        created: str = answer.get_json()["id"]
        return created

    def suspend(self, account_id: str) -> None:
        answer = self.call("POST", f"/accounts/{account_id}/status", body={"status": "suspended"})
        assert answer.status_code == 200, answer.get_json()

    def subscribe(self, url: str, types: list[str], who: str = "admin", **extra: Any) -> Any:
        return self.call("POST", "/webhooks/subscriptions", who, {"url": url, "event_types": types, **extra})


def new_registry(app: Flask) -> Registry:
    platform: Platform = platform_of(app)
    return Registry(app, platform.catalogue.create(new_tenant_command()))


def organization(registry: Registry) -> str:
    return make_organization(registry.app, registry.tenant.code)


def webhooks_of(app: Flask) -> Webhooks:
    found: Webhooks = app.extensions["webhooks"]
    return found


def deliver(app: Flask, *registries: Registry) -> DeliveryWorker:
    """Carry every event so far to the deliveries (relay, consumer); the worker that sends those of `registries`
    (other tests' registries share the PostgreSQL database)."""
    platform: Platform = platform_of(app)
    publish_pending_events(platform)
    webhooks = webhooks_of(app)
    consumer = consumer_for(platform, webhooks)
    build_runtime(platform, "webhooks", consumer).drain()
    return webhooks.worker(lambda: [registry.tenant.id for registry in registries])
